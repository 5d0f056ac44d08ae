package lambda

import (
	"bytes"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"portal/contact/internal/smtptest"
)

// fakeRuntimeAPI plays the AWS Lambda Runtime API for one invocation: the
// first "next" returns the event, the function's answer is captured, and
// later "next" calls wait until the test ends.
type fakeRuntimeAPI struct {
	event    []byte
	once     sync.Once
	answer   chan []byte
	failure  chan []byte
	shutdown chan struct{}
}

func (f *fakeRuntimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	const prefix = "/2018-06-01/runtime/invocation/"
	switch {
	case r.Method == "GET" && r.URL.Path == prefix+"next":
		first := false
		f.once.Do(func() { first = true })
		if !first {
			<-f.shutdown
			http.Error(w, "shutting down", http.StatusGone)
			return
		}
		w.Header().Set("Lambda-Runtime-Aws-Request-Id", "req-1")
		w.Header().Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(time.Now().Add(10*time.Second).UnixMilli(), 10))
		w.Header().Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-central-1:123456789012:function:contact")
		w.Header().Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000")
		w.Write(f.event)
	case r.Method == "POST" && r.URL.Path == prefix+"req-1/response":
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		f.answer <- b
	case r.Method == "POST" && r.URL.Path == prefix+"req-1/error":
		b, _ := io.ReadAll(r.Body)
		w.WriteHeader(http.StatusAccepted)
		f.failure <- b
	default:
		http.NotFound(w, r)
	}
}

// buildFunction builds the Netlify function as Netlify does. With testData,
// the embedded data.json is replaced (through a build overlay) by the test
// desks, whose addresses are on example.org.
func buildFunction(t *testing.T, testData bool) string {
	t.Helper()
	dir, err := filepath.Abs("../../netlify/functions/contact")
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "contact")
	args := []string{"build", "-ldflags", "-s -w", "-o", bin}
	if testData {
		src, err := filepath.Abs("../testdata/data.json")
		if err != nil {
			t.Fatal(err)
		}
		overlay, _ := json.Marshal(map[string]any{"Replace": map[string]string{filepath.Join(dir, "data.json"): src}})
		path := filepath.Join(t.TempDir(), "overlay.json")
		if err := os.WriteFile(path, overlay, 0o644); err != nil {
			t.Fatal(err)
		}
		args = append(args, "-overlay", path)
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building the function: %v\n%s", err, out)
	}
	return bin
}

// runFunction starts the built function against a fake Runtime API with the
// given environment, feeds it one event and returns its answer and its log.
func runFunction(t *testing.T, bin string, env []string, event []byte) (map[string]any, string) {
	t.Helper()
	api := &fakeRuntimeAPI{event: event, answer: make(chan []byte, 1), failure: make(chan []byte, 1), shutdown: make(chan struct{})}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: api}
	go srv.Serve(l)

	var stderr bytes.Buffer
	cmd := exec.Command(bin)
	cmd.Env = append([]string{"AWS_LAMBDA_RUNTIME_API=" + l.Addr().String(), "PATH=/usr/bin:/bin"}, env...)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// stop ends the function; once Wait returns, stderr holds all it wrote.
	stop := func() string {
		cmd.Process.Kill()
		cmd.Wait()
		close(api.shutdown)
		srv.Close()
		return stderr.String()
	}

	select {
	case b := <-api.answer:
		logs := stop()
		var resp map[string]any
		if err := json.Unmarshal(b, &resp); err != nil {
			t.Fatalf("answer is not JSON: %v\n%s", err, b)
		}
		return resp, logs
	case b := <-api.failure:
		t.Fatalf("function reported an error: %s\nstderr:\n%s", b, stop())
	case <-time.After(20 * time.Second):
		t.Fatalf("no answer from the function; stderr:\n%s", stop())
	}
	return nil, ""
}

// TestBuiltFunction builds netlify/functions/contact for linux/amd64 as
// Netlify does, runs the binary under a fake Lambda Runtime API with a real
// SMTP server on loopback, and checks one delivered question and the answer
// without configuration.
func TestBuiltFunction(t *testing.T) {
	bin := buildFunction(t, true)
	event := readEvent(t, "event-form-plain.json")

	t.Run("configured", func(t *testing.T) {
		smtp := smtptest.Start(t, smtptest.Options{})
		resp, logs := runFunction(t, bin, []string{
			"CONTACT_SMTP_HOST=127.0.0.1",
			"CONTACT_SMTP_PORT=" + strconv.Itoa(smtp.Port),
			"CONTACT_SMTP_INSECURE=true",
			"CONTACT_FROM=Portale <noreply@portale.example.org>",
		}, event)
		headers, _ := resp["headers"].(map[string]any)
		if resp["statusCode"] != float64(303) || headers["Location"] != "/en/contact/sent/" {
			t.Fatalf("answer = %v\nlog:\n%s", resp, logs)
		}
		msgs := smtp.Messages()
		if len(msgs) != 1 || len(msgs[0].To) != 1 || msgs[0].To[0] != "centro@desks.example.org" {
			t.Fatalf("messages = %+v", msgs)
		}
		if !strings.Contains(logs, `"outcome":"sent"`) || !strings.Contains(logs, `"request_id":"01JDEXAMPLEREQUEST0000000A"`) {
			t.Errorf("log lacks the outcome or request id:\n%s", logs)
		}
		for _, personal := range []string{"Maria", "maria.rossi", "permesso", "198.51.100.23"} {
			if strings.Contains(logs, personal) {
				t.Errorf("log contains %q:\n%s", personal, logs)
			}
		}
	})

	t.Run("not configured", func(t *testing.T) {
		resp, logs := runFunction(t, bin, []string{"CONTACT_SMTP_PASSWORD=never-log-this", "CONTACT_SMTP_USER=u"}, event)
		if resp["statusCode"] != float64(503) {
			t.Fatalf("answer = %v", resp)
		}
		if body, _ := resp["body"].(string); !strings.Contains(body, "mail is not configured") {
			t.Errorf("body does not say mail is not configured:\n%s", body)
		}
		if !strings.Contains(logs, "CONTACT_SMTP_HOST is not set") || !strings.Contains(logs, "CONTACT_FROM is not set") {
			t.Errorf("log does not name the missing variables:\n%s", logs)
		}
		if strings.Contains(logs, "never-log-this") {
			t.Errorf("log contains the password:\n%s", logs)
		}
	})
}

// TestBuiltFunctionCommittedData builds the function with the data.json the
// site build committed, and checks that it starts and answers.
func TestBuiltFunctionCommittedData(t *testing.T) {
	bin := buildFunction(t, false)
	var ev map[string]any
	if err := json.Unmarshal(readEvent(t, "event-form-plain.json"), &ev); err != nil {
		t.Fatal(err)
	}
	ev["httpMethod"], ev["body"] = "GET", ""
	event, _ := json.Marshal(ev)
	resp, logs := runFunction(t, bin, nil, event)
	headers, _ := resp["headers"].(map[string]any)
	if resp["statusCode"] != float64(405) || headers["Allow"] != "POST" {
		t.Fatalf("answer = %v\nlog:\n%s", resp, logs)
	}
}
