package main

import "portal/generator/newguide"

func init() {
	commands["new"] = command{"start a guide or a translation: portal new guide <topic>/<slug> [--lang xx] [--from it]", newguide.Main}
}
