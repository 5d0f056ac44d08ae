package generator

import (
	"context"
	"sync"
)

// Session keeps a site built for preview (portal serve) and brings it up to
// date after files change. Rebuild is safe to call from one goroutine at a
// time; concurrent calls are serialised.
type Session struct {
	cfg Config
	mu  sync.Mutex
}

// NewSession returns a session that builds cfg.
func NewSession(cfg Config) *Session {
	cfg.defaults()
	return &Session{cfg: cfg}
}

// Config returns the session's configuration (with defaults filled in).
func (s *Session) Config() Config { return s.cfg }

// Rebuild brings the output directory up to date after the files in
// changed (paths as reported by the file watcher) were created, written or
// removed; a nil changed means everything. On error the previous output
// stays in place and the error holds every problem found, as for Build.
func (s *Session) Rebuild(ctx context.Context, changed []string) (*Result, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return Build(ctx, s.cfg)
}
