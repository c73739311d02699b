package fold

import "testing"

func TestString(t *testing.T) {
	cases := []struct{ in, want string }{
		{"", ""},
		{"armee", "armee"},
		{"ARMÉE", "armee"},
		{"Israël", "israel"},
		{"Émirats", "emirats"},
		{"Bahreïn", "bahrein"},
		{"cœur", "coeur"},
		{"ŒUVRE", "oeuvre"},
		{"Ærø", "aero"},
		{"straße", "strasse"},
		{"Côte d’Ivoire", "cote d’ivoire"},
		{"Arme\u0301e", "armee"}, // decomposed é
		{"Ştefan", "stefan"},
		{"Łódź", "lodz"},
		{"ǽ", "ae"}, // decomposes to æ and an accent
		{"Ǿ", "o"},
	}
	for _, tc := range cases {
		if got := String(tc.in); got != tc.want {
			t.Errorf("String(%q) = %q; want %q", tc.in, got, tc.want)
		}
		if got := string(Bytes([]byte(tc.in))); got != tc.want {
			t.Errorf("Bytes(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzString(f *testing.F) {
	f.Add("ARMÉE israélienne")
	f.Add("\xff\xfe")
	f.Fuzz(func(t *testing.T, s string) {
		once := String(s)
		if twice := String(once); twice != once {
			t.Errorf("String not idempotent on %q: %q then %q", s, once, twice)
		}
	})
}
