// Command contact is the Netlify function behind /.netlify/functions/contact.
// It is a thin adapter: it reads the configuration from CONTACT_* environment
// variables, loads the desk data the site build wrote next to it (data.json),
// and serves package contact's handler through the Lambda runtime.
//
// Netlify builds it from this directory with
//
//	CGO_ENABLED=0 GOOS=linux GOARCH=amd64 go build
//
// against the repository's go.mod.
package main

import (
	"bytes"
	_ "embed"
	"log/slog"
	"os"

	awslambda "github.com/aws/aws-lambda-go/lambda"

	"portal/contact"
	"portal/contact/lambda"
)

// data is written by the site build; it is committed so that the function
// always compiles.
//
//go:embed data.json
var data []byte

func main() {
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	d, err := contact.LoadData(bytes.NewReader(data))
	if err != nil {
		// The build checks data.json, so this means a broken deploy; failing
		// at start makes Netlify report it instead of answering wrongly.
		log.Error("contact: embedded data.json is invalid", "error", err.Error())
		os.Exit(1)
	}
	// A configuration error is logged by NewHandler (variable names only),
	// and the handler then answers 503 "mail is not configured".
	cfg, _ := contact.ConfigFromEnv(os.Getenv)
	awslambda.Start(lambda.Handler(contact.NewHandler(cfg, d, contact.WithLogger(log))))
}
