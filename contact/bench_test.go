package contact

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

func BenchmarkParseForm(b *testing.B) {
	body := []byte(with(validForm(), "question", strings.Repeat("Il mio permesso scade a gennaio. ", 150)).Encode())
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, errs := ParseForm(body); len(errs) != 0 {
			b.Fatal(errs)
		}
	}
}

// discardSender accepts every message without sending it.
type discardSender struct{}

func (discardSender) Send(context.Context, string, string, []byte) error { return nil }

// BenchmarkHandler measures one valid submission through the handler,
// without the network.
func BenchmarkHandler(b *testing.B) {
	cfg := Config{SMTPHost: "127.0.0.1", SMTPPort: 25, SMTPInsecure: true, From: testFrom}
	h := NewHandler(cfg, loadTestData(b), WithSender(discardSender{}), WithRateLimit(1<<30, 1),
		WithClock((&fakeClock{t: testNow}).Now), WithLogger(newJSONLogger(&syncBuffer{})))
	body := validForm().Encode()
	for b.Loop() {
		if w := post(h, body); w.Code != http.StatusSeeOther {
			b.Fatalf("status %d", w.Code)
		}
	}
}
