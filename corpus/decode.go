package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// ErrNotText is wrapped by the problem reported for a file that holds
// binary data rather than text.
var ErrNotText = errors.New("not a text file")

var (
	bomUTF8    = []byte{0xEF, 0xBB, 0xBF}
	bomUTF16LE = []byte{0xFF, 0xFE}
	bomUTF16BE = []byte{0xFE, 0xFF}
)

// decodeText converts raw file content to UTF-8 text; the text may share
// raw's memory, which must not change afterwards. It accepts UTF-8 with
// or without BOM, UTF-16 with BOM, and Windows-1252 (a superset of the
// printable Latin-1) for content that is not valid UTF-8. Content with NUL
// bytes or mostly control characters is ErrNotText.
func decodeText(raw []byte) (string, error) {
	switch {
	case bytes.HasPrefix(raw, bomUTF8):
		raw = raw[len(bomUTF8):]
	case bytes.HasPrefix(raw, bomUTF16LE), bytes.HasPrefix(raw, bomUTF16BE):
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder().Bytes(raw)
		if err != nil {
			return "", fmt.Errorf("decoding UTF-16: %w", err)
		}
		if isBinary(out) {
			return "", fmt.Errorf("%w (UTF-16 with control characters)", ErrNotText)
		}
		return string(out), nil
	}
	if isBinary(raw) {
		return "", fmt.Errorf("%w (binary data)", ErrNotText)
	}
	if utf8.Valid(raw) {
		if len(raw) == 0 {
			return "", nil
		}
		return unsafe.String(&raw[0], len(raw)), nil
	}
	out, err := charmap.Windows1252.NewDecoder().Bytes(raw)
	if err != nil {
		return "", fmt.Errorf("decoding Windows-1252: %w", err)
	}
	return string(out), nil
}

// isBinary reports whether the start of b looks like binary data: a NUL
// byte, or more than one control character in 20.
func isBinary(b []byte) bool {
	if len(b) > 8192 {
		b = b[:8192]
	}
	if bytes.IndexByte(b, 0) >= 0 {
		return true
	}
	ctl := 0
	for _, c := range b {
		if c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != '\v' {
			ctl++
		}
	}
	return ctl*20 > len(b)
}
