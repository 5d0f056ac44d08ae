package devserver

import (
	"testing"
)

func TestHubDropsSlowClients(t *testing.T) {
	h := newHub(func() event { return event{name: "hello", data: []byte(`{}`)} })
	slow, ok := h.add()
	if !ok {
		t.Fatal("add on an open hub failed")
	}
	fast, _ := h.add()
	// The fast client reads everything; the slow one reads nothing, and its
	// buffer already holds the hello event.
	<-fast.ch
	for i := range clientBuffer - 1 {
		h.broadcast(jsonEvent("reload", reloadData{Build: string(rune('a' + i))}))
		<-fast.ch
	}
	select {
	case <-slow.gone:
		t.Fatal("a client was dropped before its buffer was full")
	default:
	}
	h.broadcast(jsonEvent("reload", reloadData{Build: "last"}))
	select {
	case <-slow.gone:
	default:
		t.Fatal("a client with a full buffer was not dropped")
	}
	if ev := <-fast.ch; ev.name != "reload" || string(ev.data) != `{"build":"last","changed":null}` {
		t.Errorf("fast client got %s %s", ev.name, ev.data)
	}
	if n := h.count(); n != 1 {
		t.Errorf("%d clients after dropping one of two, want 1", n)
	}
	// The first event a client gets is hello, whatever was broadcast.
	if ev := <-slow.ch; ev.name != "hello" {
		t.Errorf("first event %q, want hello", ev.name)
	}

	h.close()
	h.close() // closing twice is harmless
	if _, ok := h.add(); ok {
		t.Error("a closed hub accepted a client")
	}
	h.remove(fast)
	if n := h.count(); n != 0 {
		t.Errorf("%d clients after removing the last, want 0", n)
	}
}
