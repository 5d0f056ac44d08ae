package search

import (
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"unicode/utf8"

	"github.com/cespare/xxhash/v2"
)

// alphabet encodes postings as text: 64 characters that need no escaping
// in JSON. Each character carries 5 bits of a number and a flag (values
// 32-63) saying that more characters of the same number follow, least
// significant group first.
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"

var alphaIndex = func() (t [256]int8) {
	for i := range t {
		t[i] = -1
	}
	for i := 0; i < len(alphabet); i++ {
		t[alphabet[i]] = int8(i)
	}
	return t
}()

// appendVarint appends v in the postings encoding.
func appendVarint(b []byte, v uint32) []byte {
	for v >= 32 {
		b = append(b, alphabet[32+v&31])
		v >>= 5
	}
	return append(b, alphabet[v])
}

// decodeVarints decodes a whole postings string.
func decodeVarints(s string) ([]uint32, error) {
	out := make([]uint32, 0, len(s))
	var acc uint32
	var shift uint
	for i := 0; i < len(s); i++ {
		x := alphaIndex[s[i]]
		if x < 0 {
			return nil, fmt.Errorf("postings: bad character %q at %d", s[i], i)
		}
		if shift > 30 {
			return nil, fmt.Errorf("postings: number too long at %d", i)
		}
		if x >= 32 {
			acc |= uint32(x-32) << shift
			shift += 5
			continue
		}
		out = append(out, acc|uint32(x)<<shift)
		acc, shift = 0, 0
	}
	if shift != 0 {
		return nil, fmt.Errorf("postings: truncated number at end")
	}
	return out, nil
}

// compareUTF16 orders strings by UTF-16 code units, the order of
// JavaScript's < on strings, so that the client can binary-search the
// chunk boundaries written by Go.
func compareUTF16(a, b string) int {
	for a != "" && b != "" {
		ra, na := utf8.DecodeRuneInString(a)
		rb, nb := utf8.DecodeRuneInString(b)
		if ra != rb {
			ka, kb := utf16Key(ra), utf16Key(rb)
			if ka < kb {
				return -1
			}
			return 1
		}
		a, b = a[na:], b[nb:]
	}
	switch {
	case a == "" && b == "":
		return 0
	case a == "":
		return -1
	}
	return 1
}

// utf16Key maps a code point to a key that sorts like its first UTF-16
// code unit (with the rest of the pair deciding ties between supplementary
// characters): supplementary characters come between U+D7FF and U+E000.
func utf16Key(r rune) int64 {
	switch {
	case r < 0xD800:
		return int64(r)
	case r >= 0x10000:
		return 0xD800 + int64(r-0x10000)
	default:
		return int64(r) + 0x100000
	}
}

// contentHash names a file after its content: the first 40 bits of its
// 64-bit xxHash, in hex. The names only need to change when the content
// does (the CDN caches them forever), not to resist a forger: xxHash
// reads about six times faster than SHA-256, and the index is a fifth of
// the bytes a build writes.
func contentHash(b []byte) string {
	return hashName(xxhash.Sum64(b))
}

// hashName is the file-name form of a 64-bit content hash.
func hashName(h uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], h)
	return hex.EncodeToString(b[:5])
}
