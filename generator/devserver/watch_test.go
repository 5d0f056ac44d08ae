package devserver

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestIgnoredFile(t *testing.T) {
	tests := []struct {
		name    string
		ignored bool
	}{
		{"visto.it.md", false},
		{"_index.md", false},
		{"site.css", false},
		{"it.toml", false},
		{"netlify.toml", false},
		{"2026-rinnovo.md", false},
		{".visto.it.md.swp", true},
		{"visto.it.md.swp", true},
		{".visto.it.md.swx", true},
		{"visto.it.md~", true},
		{"#visto.it.md#", true},
		{".#visto.it.md", true},
		{"4913", true},
		{".DS_Store", true},
		{"visto.it.md.tmp", true},
		{"visto.it.md.bak", true},
		{"", true},
	}
	for _, tt := range tests {
		if got := ignoredFile(tt.name); got != tt.ignored {
			t.Errorf("ignoredFile(%q) = %v, want %v", tt.name, got, tt.ignored)
		}
	}
}

// watchFixture is a project with a content tree and a layouts tree (the
// latter created by some tests) and a netlify.toml followed on its own.
type watchFixture struct {
	root, content, layouts, toml string
	w                            *watcher
}

const testDebounce = 50 * time.Millisecond

func newWatchFixture(t *testing.T) *watchFixture {
	t.Helper()
	root := t.TempDir()
	f := &watchFixture{
		root:    root,
		content: filepath.Join(root, "content"),
		layouts: filepath.Join(root, "layouts"),
		toml:    filepath.Join(root, "netlify.toml"),
	}
	writeFile(t, filepath.Join(f.content, "guides", "entry", "visto.it.md"), "uno")
	writeFile(t, f.toml, "[build]\n")
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelDebug}))
	w, err := newWatcher([]string{f.content, f.layouts}, []string{f.toml}, testDebounce, log)
	if err != nil {
		t.Fatal(err)
	}
	f.w = w
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		w.run(ctx)
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		w.close()
	})
	return f
}

// next waits for the next batch.
func (f *watchFixture) next(t *testing.T) batch {
	t.Helper()
	select {
	case b := <-f.w.batches:
		return b
	case <-time.After(waitLimit):
		t.Fatalf("no batch within %s", waitLimit)
	}
	return batch{}
}

// none checks that no batch comes for a while.
func (f *watchFixture) none(t *testing.T) {
	t.Helper()
	select {
	case b := <-f.w.batches:
		t.Fatalf("unexpected batch %q", b.paths)
	case <-time.After(6 * testDebounce):
	}
}

func (f *watchFixture) path(rel string) string {
	return filepath.Join(f.root, filepath.FromSlash(rel))
}

func TestWatcherBatches(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, f *watchFixture)
		want   []string // paths relative to the root; nil: no batch
	}{
		{
			name:   "write",
			change: func(t *testing.T, f *watchFixture) { writeFile(t, f.path("content/guides/entry/visto.it.md"), "due") },
			want:   []string{"content/guides/entry/visto.it.md"},
		},
		{
			name: "rename over the original",
			change: func(t *testing.T, f *watchFixture) {
				tmp := f.path("content/guides/entry/.visto.it.md.tmp-99")
				writeFile(t, tmp, "tre")
				if err := os.Rename(tmp, f.path("content/guides/entry/visto.it.md")); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"content/guides/entry/visto.it.md"},
		},
		{
			name: "editor scratch files only",
			change: func(t *testing.T, f *watchFixture) {
				writeFile(t, f.path("content/guides/entry/.visto.it.md.swp"), "x")
				writeFile(t, f.path("content/guides/entry/4913"), "")
				writeFile(t, f.path("content/guides/entry/visto.it.md~"), "x")
				os.Remove(f.path("content/guides/entry/4913"))
			},
		},
		{
			name:   "file outside the trees",
			change: func(t *testing.T, f *watchFixture) { writeFile(t, f.path("README.md"), "x") },
		},
		{
			name:   "chmod only",
			change: func(t *testing.T, f *watchFixture) { os.Chmod(f.path("content/guides/entry/visto.it.md"), 0o600) },
		},
		{
			name:   "netlify.toml",
			change: func(t *testing.T, f *watchFixture) { writeFile(t, f.toml, "[build]\npublish = \"public\"\n") },
			want:   []string{"netlify.toml"},
		},
		{
			name: "many files at once",
			change: func(t *testing.T, f *watchFixture) {
				for _, n := range []string{"a", "b", "c", "a", "b"} {
					writeFile(t, f.path("content/guides/entry/"+n+".it.md"), n)
				}
			},
			want: []string{"content/guides/entry/a.it.md", "content/guides/entry/b.it.md", "content/guides/entry/c.it.md"},
		},
		{
			name: "nested folders created at once",
			change: func(t *testing.T, f *watchFixture) {
				writeFile(t, f.path("content/guides/family/sub/x.it.md"), "x")
			},
			want: []string{"content/guides/family", "content/guides/family/sub", "content/guides/family/sub/x.it.md"},
		},
		{
			name: "deleted file",
			change: func(t *testing.T, f *watchFixture) {
				if err := os.Remove(f.path("content/guides/entry/visto.it.md")); err != nil {
					t.Fatal(err)
				}
			},
			want: []string{"content/guides/entry/visto.it.md"},
		},
		{
			name: "tree created after start",
			change: func(t *testing.T, f *watchFixture) {
				writeFile(t, f.path("layouts/base.html"), "x")
			},
			want: []string{"layouts", "layouts/base.html"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newWatchFixture(t)
			tt.change(t, f)
			if tt.want == nil {
				f.none(t)
				return
			}
			b := f.next(t)
			var want []string
			for _, p := range tt.want {
				want = append(want, f.path(p))
			}
			// A new folder's files may be reported both by the walk and by
			// their own events; the batch lists each once.
			if !slices.Equal(b.paths, want) || b.all {
				t.Errorf("batch %q (all %v), want %q", b.paths, b.all, want)
			}
			f.none(t)
		})
	}
}

func TestWatcherFollowsNewAndRenamedFolders(t *testing.T) {
	f := newWatchFixture(t)
	dir := f.path("content/guides/family")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	f.next(t)
	writeFile(t, filepath.Join(dir, "ricongiungimento.it.md"), "x")
	if b := f.next(t); !slices.Equal(b.paths, []string{filepath.Join(dir, "ricongiungimento.it.md")}) {
		t.Errorf("a file in a folder created while watching: batch %q", b.paths)
	}

	renamed := f.path("content/guides/famiglia")
	if err := os.Rename(dir, renamed); err != nil {
		t.Fatal(err)
	}
	b := f.next(t)
	if !slices.Contains(b.paths, dir) || !slices.Contains(b.paths, renamed) {
		t.Errorf("renaming a folder: batch %q, want both names", b.paths)
	}
	// Changes under the new name are reported under the new name, not the
	// stale one.
	writeFile(t, filepath.Join(renamed, "ricongiungimento.it.md"), "y")
	if b := f.next(t); !slices.Equal(b.paths, []string{filepath.Join(renamed, "ricongiungimento.it.md")}) {
		t.Errorf("a file in a renamed folder: batch %q", b.paths)
	}
}

func TestWatcherGathersChangesWhileBusy(t *testing.T) {
	f := newWatchFixture(t)
	a, b := f.path("content/a.it.md"), f.path("content/b.it.md")
	writeFile(t, a, "1")
	// Nobody receives the first batch for a while, as during a long build:
	// later changes join it instead of queueing more rebuilds.
	time.Sleep(4 * testDebounce)
	writeFile(t, b, "1")
	time.Sleep(4 * testDebounce)
	writeFile(t, a, "2")
	time.Sleep(4 * testDebounce)
	if got := f.next(t); !slices.Equal(got.paths, []string{a, b}) {
		t.Errorf("batch %q, want %q", got.paths, []string{a, b})
	}
	f.none(t)
}

func TestWatcherDoesNotWaitForeverOnSteadyChanges(t *testing.T) {
	f := newWatchFixture(t)
	f.w.maxWait = 4 * testDebounce
	p := f.path("content/guides/entry/visto.it.md")
	got := make(chan batch, 1)
	go func() { got <- <-f.w.batches }()
	// Changes every half debounce never leave a quiet gap; a batch must
	// still come out.
	for i := 0; i < 100; i++ {
		select {
		case b := <-got:
			if !slices.Equal(b.paths, []string{p}) {
				t.Errorf("batch %q", b.paths)
			}
			return
		default:
		}
		writeFile(t, p, "x")
		time.Sleep(testDebounce / 2)
	}
	t.Fatalf("no batch during %s of steady changes with maxWait %s", 50*testDebounce, f.w.maxWait)
}
