package corpus

import (
	"errors"
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	cases := []struct {
		in   string
		want string // Date.String(), "" with ok false for an error
		prec Precision
		ok   bool
	}{
		{"2024", "2024", Year, true},
		{"2024-06", "2024-06", Month, true},
		{"2024-06-15", "2024-06-15", Day, true},
		{" 2024-06-15 ", "2024-06-15", Day, true},
		{"2024-06-15T10:30:00Z", "2024-06-15", Day, true},
		{"15/06/2024", "2024-06-15", Day, true},
		{"5/6/2024", "2024-06-05", Day, true},
		{"15.06.2024", "2024-06-15", Day, true},
		{"14 avril 2024", "2024-04-14", Day, true},
		{"1er mars 2023", "2023-03-01", Day, true},
		{"mardi 2 janvier 2024", "2024-01-02", Day, true},
		{"Mardi 2 Janvier 2024", "2024-01-02", Day, true},
		{"le 2 janvier 2024", "2024-01-02", Day, true},
		{"29 février 2024", "2024-02-29", Day, true},
		{"3 fevrier 2024", "2024-02-03", Day, true},
		{"15 AOÛT 2023", "2023-08-15", Day, true},
		{"15 aout 2023", "2023-08-15", Day, true},
		{"avril 2024", "2024-04", Month, true},
		{"Décembre 2019", "2019-12", Month, true},
		{"janv. 2024", "2024-01", Month, true},
		{"2024-06-15 10:30:00", "2024-06-15", Day, true},
		{"2024-06-15 10:30", "2024-06-15", Day, true},
		{"2024-06-15 10:30:00.250 +02:00", "2024-06-15", Day, true},
		{"15/06/2024 08:15 UTC", "2024-06-15", Day, true},
		{"14 avril 2024 à 10h30", "2024-04-14", Day, true},
		{"14 avril 2024 10h", "2024-04-14", Day, true},
		{"1ᵉʳ mars 2023", "2023-03-01", Day, true},
		{"14-Juillet 2024", "2024-07-14", Day, true},
		{"le 14-juillet 2024", "2024-07-14", Day, true},
		{"2024-06 10:30", "", NoDate, false},
		{"2024-06-15 25:00", "", NoDate, false},
		{"2024-06-15 10:30 à Paris", "", NoDate, false},
		{"2024-06-1510:30", "", NoDate, false},
		{"14-avril-2024", "", NoDate, false},
		{"2024-13", "", NoDate, false},
		{"2024-00", "", NoDate, false},
		{"2023-02-29", "", NoDate, false},
		{"31 février 2024", "", NoDate, false},
		{"31/04/2024", "", NoDate, false},
		{"32 mai 2024", "", NoDate, false},
		{"14 avril", "", NoDate, false},
		{"avril", "", NoDate, false},
		{"hier", "", NoDate, false},
		{"", "", NoDate, false},
		{"2024-06-15 et après", "", NoDate, false},
		{"20240615", "", NoDate, false},
	}
	for _, tc := range cases {
		d, err := ParseDate(tc.in)
		if (err == nil) != tc.ok || d.String() != tc.want || d.Precision != tc.prec {
			t.Errorf("ParseDate(%q) = %q (%v), %v; want %q (%v), ok=%v", tc.in, d, d.Precision, err, tc.want, tc.prec, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) error %v does not wrap ErrBadDate", tc.in, err)
		}
	}
}

func TestFindDate(t *testing.T) {
	cases := []struct {
		in, want string
	}{
		{"Paris, le 14 avril 2024. Le ministre...", "2024-04-14"},
		{"Rapport publié en avril 2024 sur la région.", "2024-04"},
		{"Publié le 15/06/2024.", "2024-06-15"},
		{"Mis à jour 2024-06-15T10:00.", "2024-06-15"},
		{"Mardi 2 janvier 2024, à Gaza.", "2024-01-02"},
		{"En 2024, 1500 personnes ont fui.", ""},                   // a bare year is not a date
		{"Le 31 février 2024, puis le 3 mars 2024.", "2024-03-03"}, // impossible dates are skipped
		{"Il est venu en mars.", ""},
		{"La demarche de mai 68 et mai 2018.", "2018-05"},
		{"Le 14-Juillet 2023 a été pluvieux.", "2023-07-14"},
		{"Paris, le 1ᵉʳ mars 2023.", "2023-03-01"},
		{"", ""},
		{strings.Repeat("texte sans date ", 200) + "14 avril 2024", ""}, // too far from the start
	}
	for _, tc := range cases {
		if got := findDate(tc.in, dateWindow).String(); got != tc.want {
			t.Errorf("findDate(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

func TestTextDate(t *testing.T) {
	cases := []struct{ title, body, want string }{
		{"Paris, le 3 mars 2023. Selon le rapport…", "Paris, le 3 mars 2023. Selon le rapport, la dette a crû.", "2023-03-03"},
		{"Rapport publié en avril 2022.", "La situation est décrite en détail le 5 juin 2021.", "2022-04"},
		{"Le 1er février 2020, selon le rapport, …", "Le 1er février 2020, selon le rapport, les prix ont monté.", "2020-02-01"},
		{"Note", "PARIS, 12 mars (AFP) – Le gouvernement a annoncé en 2024 un plan.", "2024-03-12"},
		{"Note", "Bamako, 3 juin 2024 — La junte a annoncé un report.", "2024-06-03"},
		{"Note", "Saint-Denis de La Réunion, le 1er avril (AFP) - Un cyclone, le pire depuis 2019.", "2019-04-01"},
		{"Note", "PARIS, 12 mars (AFP) – Sans année nulle part.", ""},
		{"Note", "PARIS, 31 février (AFP) – Impossible en 2024.", ""},
		{"Titre sans date", "Texte sans date.", ""},
	}
	for _, tc := range cases {
		if got := textDate(tc.title, tc.body).String(); got != tc.want {
			t.Errorf("textDate(%q, %q) = %q; want %q", tc.title, tc.body, got, tc.want)
		}
	}
}
