package contact

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"math"
	"net"
	"sync"
	"time"
)

// clientKey is a salted hash of a client address. The limiter keeps only
// these, never the address itself.
type clientKey [16]byte

// limiter is a token bucket per client: each client may send Burst messages
// at once, and earns one more every Every. It lives in one function
// instance's memory, so it is a best-effort brake, not a global quota.
type limiter struct {
	salt  []byte
	burst float64
	every time.Duration
	max   int // entries kept before full buckets are forgotten

	mu      sync.Mutex
	buckets map[clientKey]*bucket
}

type bucket struct {
	tokens float64
	last   time.Time
}

// Default rate limit: five questions at once, then one every two minutes.
const (
	DefaultRateBurst = 5
	DefaultRateEvery = 2 * time.Minute
)

func newLimiter(salt string, burst int, every time.Duration) *limiter {
	s := []byte(salt)
	if len(s) == 0 {
		s = make([]byte, 32)
		rand.Read(s)
	}
	return &limiter{salt: s, burst: float64(burst), every: every, max: 10000, buckets: make(map[clientKey]*bucket)}
}

// key hashes the host part of a remote address with the salt.
func (l *limiter) key(remoteAddr string) clientKey {
	host, _, err := net.SplitHostPort(remoteAddr)
	if err != nil {
		host = remoteAddr
	}
	m := hmac.New(sha256.New, l.salt)
	m.Write([]byte(host))
	var k clientKey
	copy(k[:], m.Sum(nil))
	return k
}

// allow takes a token for the client at now. When none is left it returns
// false and how long until the next token.
func (l *limiter) allow(remoteAddr string, now time.Time) (bool, time.Duration) {
	k := l.key(remoteAddr)
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buckets[k]
	if b == nil {
		if len(l.buckets) >= l.max {
			l.forgetFull(now)
			if len(l.buckets) >= l.max {
				// Too many clients at once to remember them all: start
				// afresh rather than grow without bound.
				clear(l.buckets)
			}
		}
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[k] = b
	}
	l.refill(b, now)
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	wait := time.Duration(math.Ceil((1 - b.tokens) * float64(l.every)))
	return false, wait
}

func (l *limiter) refill(b *bucket, now time.Time) {
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = min(l.burst, b.tokens+float64(elapsed)/float64(l.every))
		b.last = now
	}
}

// forgetFull drops buckets that have refilled completely: forgetting them
// changes nothing for their clients.
func (l *limiter) forgetFull(now time.Time) {
	for k, b := range l.buckets {
		l.refill(b, now)
		if b.tokens >= l.burst {
			delete(l.buckets, k)
		}
	}
}
