package devserver

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// batch is a set of changes that settled: the paths reported, sorted and
// unique, or all when the watcher lost track (its event queue overflowed)
// and everything must be rebuilt.
type batch struct {
	paths []string
	all   bool
	first time.Time // when the first change of the batch was seen
}

// watcher turns file system events under a few directory trees into
// debounced batches of changed paths.
//
// fsnotify watches are not recursive and should be put on directories, not
// files (editors save by writing a temporary file and renaming it over the
// original, which would orphan a watch on the file). So every directory of
// every tree is watched, new directories are added as they appear, and
// single files such as netlify.toml are followed through their parent
// directory.
type watcher struct {
	fsw      *fsnotify.Watcher
	trees    []string        // absolute, cleaned roots watched recursively
	files    map[string]bool // absolute files followed through their parent
	debounce time.Duration   // quiet time that ends a burst
	maxWait  time.Duration   // a burst never delays a batch longer than this
	log      *slog.Logger
	batches  chan batch
}

// newWatcher watches trees recursively (those that exist; the ones whose
// parent directory exists are picked up when created) and the given files.
func newWatcher(trees, files []string, debounce time.Duration, log *slog.Logger) (*watcher, error) {
	fsw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("devserver: starting the file watcher: %w", err)
	}
	w := &watcher{
		fsw:      fsw,
		files:    map[string]bool{},
		debounce: debounce,
		maxWait:  max(20*debounce, time.Second),
		log:      log,
		batches:  make(chan batch),
	}
	parents := map[string]bool{}
	for _, t := range trees {
		t = filepath.Clean(t)
		w.trees = append(w.trees, t)
		parents[filepath.Dir(t)] = true
		if _, err := w.addTree(t); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fsw.Close()
			return nil, err
		}
	}
	for _, f := range files {
		f = filepath.Clean(f)
		w.files[f] = true
		parents[filepath.Dir(f)] = true
	}
	for p := range parents {
		if w.inTree(p) {
			continue
		}
		if err := fsw.Add(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fsw.Close()
			return nil, fmt.Errorf("devserver: watching %s: %w", p, err)
		}
	}
	return w, nil
}

// close stops watching.
func (w *watcher) close() error { return w.fsw.Close() }

// inTree reports whether p is one of the trees or inside one.
func (w *watcher) inTree(p string) bool {
	for _, t := range w.trees {
		if p == t || strings.HasPrefix(p, t+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// addTree watches dir and every directory below it, and returns the files
// and directories found below it, which may have been created before their
// parent was watched.
func (w *watcher) addTree(dir string) ([]string, error) {
	var found []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == dir {
				return err
			}
			return nil // vanished while walking: its removal is reported
		}
		if !d.IsDir() {
			if !ignoredFile(d.Name()) {
				found = append(found, p)
			}
			return nil
		}
		if p != dir && skippedDir(d.Name()) {
			return filepath.SkipDir
		}
		if p != dir {
			found = append(found, p)
		}
		if err := w.fsw.Add(p); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return filepath.SkipDir
			}
			return fmt.Errorf("devserver: watching %s: %w (on Linux, raise fs.inotify.max_user_watches if the limit is reached)", p, err)
		}
		return nil
	})
	return found, err
}

// forget drops the watches on dir and below, after it was removed or
// renamed away (inotify keeps a watch on a renamed directory under its old
// name, which would report wrong paths).
func (w *watcher) forget(dir string) {
	prefix := dir + string(filepath.Separator)
	for _, p := range w.fsw.WatchList() {
		if p == dir || strings.HasPrefix(p, prefix) {
			_ = w.fsw.Remove(p) // already gone when the kernel dropped it
		}
	}
}

// skippedDir reports directories never watched: version control and
// editor state.
func skippedDir(name string) bool {
	switch name {
	case ".git", ".hg", ".svn", ".idea", ".vscode", "node_modules":
		return true
	}
	return false
}

// ignoredFile reports the names editors use for swap, backup and
// temporary files, whose changes never change the site: a save through a
// temporary file is seen when it is renamed to its real name.
func ignoredFile(name string) bool {
	switch {
	case name == "":
		return true
	case strings.HasPrefix(name, "."): // .visto.md.swp, .#visto.md, .DS_Store, atomic-save temporaries
		return true
	case strings.HasSuffix(name, "~"): // backups
		return true
	case strings.HasPrefix(name, "#") && strings.HasSuffix(name, "#"): // Emacs auto-save
		return true
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".swp", ".swx", ".swo", ".tmp", ".part", ".crdownload", ".bak":
		return true
	}
	// Vim probes whether it may write a directory with a file named 4913
	// (and 5036, ...): names made of digits only.
	return strings.Trim(name, "0123456789") == ""
}

// relevant reports whether a change to p can change the site, and handles
// directories appearing and disappearing. It returns the paths to report:
// p itself, plus the files inside a directory that just appeared.
func (w *watcher) relevant(ev fsnotify.Event) []string {
	p := filepath.Clean(ev.Name)
	if w.files[p] {
		return []string{p}
	}
	if !w.inTree(p) {
		return nil
	}
	switch {
	case ev.Op.Has(fsnotify.Create):
		info, err := os.Lstat(p)
		if err == nil && info.IsDir() {
			if skippedDir(info.Name()) {
				return nil
			}
			found, err := w.addTree(p)
			if err != nil && !errors.Is(err, fs.ErrNotExist) {
				w.log.Warn("cannot watch a new folder; restart portal serve to see its changes", "dir", p, "err", err)
			}
			return append([]string{p}, found...)
		}
	case ev.Op.Has(fsnotify.Remove) || ev.Op.Has(fsnotify.Rename):
		w.forget(p)
	case ev.Op == fsnotify.Chmod:
		// Sent on Linux for permission changes, touches and as the first
		// half of a deletion (whose Remove follows); none changes content.
		return nil
	}
	if ignoredFile(filepath.Base(p)) {
		return nil
	}
	return []string{p}
}

// run delivers batches on w.batches until ctx is done. A batch is ready
// once no relevant event arrived for w.debounce (or w.maxWait after its
// first event, so a steady stream of events cannot hold rebuilds back).
// While the receiver is busy with a batch, later changes accumulate into
// the next one.
func (w *watcher) run(ctx context.Context) {
	pending := map[string]bool{}
	var (
		pendingAll   bool
		pendingFirst time.Time
		ready        *batch
		out          chan batch // w.batches when a batch is ready, else nil
		timer        = time.NewTimer(time.Hour)
		timerC       <-chan time.Time
	)
	timer.Stop()
	defer timer.Stop()
	arm := func() {
		now := time.Now()
		if len(pending) == 0 && !pendingAll {
			pendingFirst = now
		}
		d := w.debounce
		if limit := pendingFirst.Add(w.maxWait).Sub(now); d > limit {
			d = max(limit, 0)
		}
		timer.Reset(d)
		timerC = timer.C
	}
	for {
		var send batch
		if ready != nil {
			send = *ready
		}
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-w.fsw.Events:
			if !ok {
				return
			}
			paths := w.relevant(ev)
			if len(paths) == 0 {
				continue
			}
			w.log.Debug("change", "op", ev.Op.String(), "path", ev.Name)
			arm()
			for _, p := range paths {
				pending[p] = true
			}
		case err, ok := <-w.fsw.Errors:
			if !ok {
				return
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				w.log.Warn("too many file changes at once; rebuilding everything")
				arm()
				pendingAll = true
				continue
			}
			w.log.Error("file watcher", "err", err)
		case <-timerC:
			timerC = nil
			if ready == nil {
				ready = &batch{first: pendingFirst}
			}
			for p := range pending {
				ready.paths = append(ready.paths, p)
			}
			slices.Sort(ready.paths)
			ready.paths = slices.Compact(ready.paths)
			ready.all = ready.all || pendingAll
			clear(pending)
			pendingAll = false
			out = w.batches
		case out <- send:
			ready, out = nil, nil
		}
	}
}
