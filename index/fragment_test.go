package index

import "testing"

func TestTidyFragment(t *testing.T) {
	cases := []struct{ in, want string }{
		{"La <mark>défense</mark> aérienne.", "La <mark>défense</mark> aérienne."},
		{"…es délégués de la <mark>défense</mark> aérienne. Les dro…", "…délégués de la <mark>défense</mark> aérienne. Les…"},
		{"…ns l&#39;<mark>armée</mark> de l&#39;air…", "…l&#39;<mark>armée</mark> de…"}, // the cut may fall at a word's end: the edge word goes anyway
		{"… les <mark>missiles</mark> iraniens …", "… les <mark>missiles</mark> iraniens …"},
		{"…<mark>armée</mark> israélienne…", "…<mark>armée</mark>…"},
		{"…<mark>armée</mark> israélienne, des…", "…<mark>armée</mark> israélienne,…"},
		{"…israélienne <mark>armée</mark>…", "…<mark>armée</mark>…"},
		{"…<mark>armée</mark>…", "…<mark>armée</mark>…"},
		{"…mot…", "…mot…"},
		{"", ""},
		{"…", "…"},
		{"  texte sans coupe  ", "texte sans coupe"},
	}
	for _, tc := range cases {
		if got := tidyFragment(tc.in); got != tc.want {
			t.Errorf("tidyFragment(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzTidyFragment(f *testing.F) {
	f.Add("…es délégués de la <mark>défense</mark> aérienne. Les dro…")
	f.Fuzz(func(t *testing.T, s string) {
		got := tidyFragment(s)
		if len(got) > len(s) {
			t.Errorf("tidyFragment(%q) = %q: longer than its input", s, got)
		}
		if n, m := countMarks(s), countMarks(got); n != m {
			t.Errorf("tidyFragment(%q) = %q: %d marks, want %d", s, got, m, n)
		}
	})
}

func countMarks(s string) int {
	n := 0
	for i := 0; i+6 <= len(s); i++ {
		if s[i:i+6] == "<mark>" {
			n++
		}
	}
	return n
}
