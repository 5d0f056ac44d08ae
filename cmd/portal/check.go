package main

import "portal/generator/check"

func init() {
	commands["check"] = command{"check all content without writing a site", check.Main}
}
