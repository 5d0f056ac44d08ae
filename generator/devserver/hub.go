package devserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"sync"
	"time"
)

// event is one server-sent event for the open tabs.
type event struct {
	name string // "hello", "reload" or "error"
	data []byte // JSON
}

// hub fans events out to every connected event stream. A client whose
// buffer is full is disconnected rather than waited for: its browser
// reconnects by itself and the "hello" event then brings it up to date.
type hub struct {
	mu      sync.Mutex
	clients map[*client]struct{}
	closed  bool
	done    chan struct{} // closed by close, ends every stream
	hello   func() event  // the state a new client is told first
}

type client struct {
	ch   chan event
	gone chan struct{} // closed when the hub drops the client
}

// clientBuffer is how many events a slow client may fall behind before it
// is dropped.
const clientBuffer = 16

func newHub(hello func() event) *hub {
	return &hub{clients: map[*client]struct{}{}, done: make(chan struct{}), hello: hello}
}

// broadcast sends ev to every client without blocking.
func (h *hub) broadcast(ev event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		select {
		case c.ch <- ev:
		default:
			delete(h.clients, c)
			close(c.gone)
		}
	}
}

// count returns the number of connected clients.
func (h *hub) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// close ends every stream; later connections are refused.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.closed = true
	close(h.done)
}

func (h *hub) add() (*client, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil, false
	}
	c := &client{ch: make(chan event, clientBuffer), gone: make(chan struct{})}
	// The hello event is queued under the lock, so no broadcast can slip in
	// before it and be contradicted by an older state.
	c.ch <- h.hello()
	h.clients[c] = struct{}{}
	return c, true
}

func (h *hub) remove(c *client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; ok {
		delete(h.clients, c)
		close(c.gone)
	}
}

// keepAlive is how often an idle stream gets a comment line, so that
// proxies and the browser do not time it out.
const keepAlive = 25 * time.Second

// ServeHTTP streams events as text/event-stream until the client leaves or
// the hub closes.
func (h *hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET")
		http.Error(w, "Method not allowed.", http.StatusMethodNotAllowed)
		return
	}
	rc := http.NewResponseController(w)
	c, ok := h.add()
	if !ok {
		http.Error(w, "The server is shutting down.", http.StatusServiceUnavailable)
		return
	}
	defer h.remove(c)
	hdr := w.Header()
	hdr.Set("Content-Type", "text/event-stream; charset=utf-8")
	hdr.Set("Cache-Control", "no-store")
	hdr.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	// retry: how long the browser waits before reconnecting after the
	// server went away (a restart, a crash).
	if _, err := fmt.Fprint(w, "retry: 500\n\n"); err != nil {
		return
	}
	if err := rc.Flush(); err != nil {
		return
	}
	tick := time.NewTicker(keepAlive)
	defer tick.Stop()
	for {
		select {
		case ev := <-c.ch:
			if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", ev.name, ev.data); err != nil {
				return
			}
		case <-tick.C:
			if _, err := fmt.Fprint(w, ": keep-alive\n\n"); err != nil {
				return
			}
		case <-c.gone:
			return
		case <-h.done:
			return
		case <-r.Context().Done():
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// jsonEvent builds an event whose data is v as one line of JSON (JSON
// escapes line breaks inside strings, so the data never spans lines).
func jsonEvent(name string, v any) event {
	data, err := json.Marshal(v)
	if err != nil {
		// Only structs of strings and numbers are sent, so this does not
		// happen; a tab told "reload" is still better than a silent one.
		return event{name: "reload", data: []byte(`{"changed":null}`)}
	}
	return event{name: name, data: data}
}
