package corpus

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSplitParts(t *testing.T) {
	para := strings.Repeat("L'armée israélienne a intercepté les missiles. ", 1000) // 48 kB
	sentences := strings.Repeat(para, 3*MaxPartSize/len(para))
	cases := []struct {
		name     string
		body     string
		min, max int // number of parts
	}{
		{"small", "Un court rapport.", 1, 1},
		{"exactly the limit", strings.Repeat("a", MaxPartSize), 1, 1},
		{"paragraphs", strings.Repeat(para+"\n\n", 3*MaxPartSize/len(para)), 3, 4},
		{"one line of sentences", sentences, 3, 4},
		{"words", strings.Repeat("défense ", 3*MaxPartSize/8), 3, 4},
		{"one word", strings.Repeat("é", MaxPartSize), 2, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := Report{ID: "dossier/long.txt", Title: "Un long rapport", Body: tc.body}
			parts := SplitParts(r)
			if len(parts) < tc.min || len(parts) > tc.max {
				t.Fatalf("SplitParts(%d bytes) = %d parts; want %d to %d", len(tc.body), len(parts), tc.min, tc.max)
			}
			var words int
			for i, p := range parts {
				if len(p.Body) > MaxPartSize {
					t.Errorf("part %d: %d bytes; want at most %d", i+1, len(p.Body), MaxPartSize)
				}
				if !utf8.ValidString(p.Body) {
					t.Errorf("part %d: body cut inside a character", i+1)
				}
				words += len(strings.Fields(p.Body))
				wantID := r.ID
				if i > 0 {
					wantID = fmt.Sprintf("%s#p%d", r.ID, i+1)
				}
				if p.ID != wantID {
					t.Errorf("part %d: ID %q; want %q", i+1, p.ID, wantID)
				}
				if len(parts) > 1 {
					if want := fmt.Sprintf("(partie %d/%d)", i+1, len(parts)); !strings.HasSuffix(p.Title, want) {
						t.Errorf("part %d: title %q; want it to end with %q", i+1, p.Title, want)
					}
				}
			}
			if want := len(strings.Fields(tc.body)); tc.name != "one word" && words != want {
				t.Errorf("parts hold %d words; want %d (nothing lost)", words, want)
			}
		})
	}
}

func FuzzSplitParts(f *testing.F) {
	f.Add("Un court rapport.", 10)
	f.Add("é é é é\n\nfin. début", 3)
	f.Fuzz(func(t *testing.T, body string, limit int) {
		if limit < 1 || limit > 1<<16 {
			return
		}
		var total int
		for rest := body; rest != ""; {
			cut := partCut(rest, limit)
			if cut <= 0 || cut > len(rest) || (cut > limit && len(rest) > limit) {
				t.Fatalf("partCut(%q, %d) = %d", rest, limit, cut)
			}
			total += cut
			rest = rest[cut:]
		}
		if total != len(body) {
			t.Fatalf("cuts cover %d bytes of %d", total, len(body))
		}
	})
}
