package corpus

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapports/rapports/internal/fold"
)

// months maps folded French month names (and common abbreviations) to
// their number.
var months = map[string]int{
	"janvier": 1, "janv": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3,
	"avril": 4, "avr": 4, "mai": 5, "juin": 6, "juillet": 7, "juil": 7,
	"aout": 8, "septembre": 9, "sept": 9, "octobre": 10, "oct": 10,
	"novembre": 11, "nov": 11, "decembre": 12, "dec": 12,
}

// weekdays are the folded French day names, which may precede a date.
var weekdays = map[string]bool{
	"lundi": true, "mardi": true, "mercredi": true, "jeudi": true,
	"vendredi": true, "samedi": true, "dimanche": true,
}

// ParseDate parses a whole string as a date and keeps its precision. It
// accepts the ISO forms "2024", "2024-06" and "2024-06-15", "15/06/2024"
// (also with "." or "-"), and the French forms "14 avril 2024", "1er mars
// 2023" (or "1ᵉʳ"), "14-Juillet 2024", "mardi 2 janvier 2024", "le 2 janvier
// 2024" and "avril 2024", in any case and with or without accents. A time
// after a day is ignored: RFC 3339 ("2024-06-15T10:00:00Z"), or after a
// space ("2024-06-15 10:00:00", "15/06/2024 à 10h30", "14 avril 2024
// 08:15 +02:00"). An impossible date ("2024-13", "31 février 2024") or
// anything else is an error wrapping ErrBadDate.
func ParseDate(s string) (Date, error) {
	t := strings.TrimSpace(s)
	if len(t) > 11 && t[10] == 'T' && isDigit(t[11]) {
		t = t[:10] // RFC 3339: keep the day
	}
	d, n, err := scanDate(t, true)
	if err != nil {
		return Date{}, err
	}
	if rest := strings.TrimSpace(t[n:]); n == 0 || rest != "" && (d.Precision != Day || rest == t[n:] || !isTimeOfDay(rest)) {
		return Date{}, fmt.Errorf("%q is %w (want 2024-06-15, 15/06/2024, 15 juin 2024 or juin 2024)", s, ErrBadDate)
	}
	return d, nil
}

// isTimeOfDay reports whether s is a time of day, as written after a date:
// "10:30", "10:30:15.250", "10h", "10h30", "à 10h30", optionally followed by
// "Z", "UTC" or an offset ("+02:00", "-0500").
func isTimeOfDay(s string) bool {
	s = strings.TrimPrefix(s, "à ")
	h, i := digits(s, 0)
	if i < 1 || i > 2 || h > 23 || i == len(s) || s[i] != ':' && s[i] != 'h' {
		return false
	}
	sep := s[i]
	i++
	m, j := digits(s, i)
	switch {
	case j == i && sep == 'h': // "10h"
	case j-i != 2 || m > 59:
		return false
	case sep == ':' && j < len(s) && s[j] == ':': // seconds
		sec, k := digits(s, j+1)
		if k-(j+1) != 2 || sec > 60 {
			return false
		}
		j = k
		if j < len(s) && s[j] == '.' {
			if _, k := digits(s, j+1); k > j+1 {
				j = k
			}
		}
	}
	zone := strings.TrimSpace(s[j:])
	switch {
	case zone == "" || zone == "Z" || zone == "UTC":
		return true
	case zone[0] == '+' || zone[0] == '-':
		_, k := digits(zone, 1)
		if k == 3 && k < len(zone) && zone[k] == ':' {
			_, k2 := digits(zone, 4)
			return k2 == 6 && k2 == len(zone)
		}
		return (k == 3 || k == 5) && k == len(zone)
	}
	return false
}

// scanDate reads a date at the start of s. It returns n == 0 when s does
// not start with something shaped like a date, and an error wrapping
// ErrBadDate when it does but the date is impossible. A bare year counts
// only when year is true.
func scanDate(s string, year bool) (d Date, n int, err error) {
	if s == "" {
		return Date{}, 0, nil
	}
	if isDigit(s[0]) {
		return scanNumericDate(s, year)
	}
	// Words: [weekday] [le] ...
	pos := 0
	w, next := word(s, pos)
	fw := fold.String(w)
	if weekdays[fw] {
		pos = skipSpaces(s, next)
		w, next = word(s, pos)
		fw = fold.String(w)
	}
	if fw == "le" {
		pos = skipSpaces(s, next)
		w, next = word(s, pos)
		fw = fold.String(w)
	}
	if pos > 0 && pos < len(s) && isDigit(s[pos]) {
		return scanDayMonthYear(s, pos)
	}
	if m, ok := months[fw]; ok && pos == 0 {
		return scanMonthYear(s, next, m)
	}
	return Date{}, 0, nil
}

// scanNumericDate reads "2024", "2024-06", "2024-06-15" or "15/06/2024".
func scanNumericDate(s string, year bool) (Date, int, error) {
	a, i := digits(s, 0)
	switch {
	case i == 4: // ISO
		n := i
		if n+3 <= len(s) && s[n] == '-' && isDigit(s[n+1]) && isDigit(s[n+2]) {
			n += 3
			if n+3 <= len(s) && s[n] == '-' && isDigit(s[n+1]) && isDigit(s[n+2]) {
				n += 3
			}
		}
		timeFollows := n == 10 && n+1 < len(s) && s[n] == 'T' && isDigit(s[n+1])
		if n < len(s) && (isDigit(s[n]) || isLetterByte(s[n])) && !timeFollows {
			return Date{}, 0, nil
		}
		if n == 4 && !year {
			return Date{}, 0, nil
		}
		d, err := ParseISODate(s[:n])
		return d, n, err
	case i == 1 || i == 2: // 15/06/2024, or 14 avril 2024
		if i+1 < len(s) && s[i] == '-' && isLetterByte(s[i+1]) { // "14-Juillet 2024"
			return scanDayMonthYear(s, 0)
		}
		if i < len(s) && (s[i] == '/' || s[i] == '.' || s[i] == '-') {
			sep := s[i]
			m, j := digits(s, i+1)
			if j-(i+1) < 1 || j-(i+1) > 2 || j >= len(s) || s[j] != sep {
				return Date{}, 0, nil
			}
			y, k := digits(s, j+1)
			if k-(j+1) != 4 || (k < len(s) && (isDigit(s[k]) || isLetterByte(s[k]))) {
				return Date{}, 0, nil
			}
			d, err := MakeDate(y, m, a)
			if err != nil {
				return Date{}, k, fmt.Errorf("%q is %w: no such day", s[:k], ErrBadDate)
			}
			return d, k, nil
		}
		return scanDayMonthYear(s, 0)
	}
	return Date{}, 0, nil
}

// scanDayMonthYear reads "14 avril 2024", "1er mars 2023", "1ᵉʳ mars 2023"
// or "14-Juillet 2024" at s[pos:].
func scanDayMonthYear(s string, pos int) (Date, int, error) {
	day, i := digits(s, pos)
	if i-pos < 1 || i-pos > 2 {
		return Date{}, 0, nil
	}
	if strings.HasPrefix(s[i:], "er") {
		i += len("er")
	} else if strings.HasPrefix(s[i:], "ᵉʳ") {
		i += len("ᵉʳ")
	}
	j := skipSpaces(s, i)
	if j == i && i+1 < len(s) && s[i] == '-' && isLetterByte(s[i+1]) {
		j = i + 1 // "14-Juillet"
	}
	if j == i {
		return Date{}, 0, nil
	}
	w, next := word(s, j)
	m, ok := months[fold.String(w)]
	if !ok {
		return Date{}, 0, nil
	}
	if next < len(s) && s[next] == '.' { // "janv. 2024"
		next++
	}
	k := skipSpaces(s, next)
	y, end := digits(s, k)
	if k == next || end-k != 4 || (end < len(s) && (isDigit(s[end]) || isLetterByte(s[end]))) {
		return Date{}, 0, nil
	}
	d, err := MakeDate(y, m, day)
	if err != nil {
		return Date{}, end, fmt.Errorf("%q is %w: no such day", s[:end], ErrBadDate)
	}
	return d, end, nil
}

// scanMonthYear reads the year after a month name ending at s[pos].
func scanMonthYear(s string, pos, m int) (Date, int, error) {
	if pos < len(s) && s[pos] == '.' {
		pos++
	}
	k := skipSpaces(s, pos)
	y, end := digits(s, k)
	if k == pos || end-k != 4 || (end < len(s) && (isDigit(s[end]) || isLetterByte(s[end]))) {
		return Date{}, 0, nil
	}
	return Date{Time: time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC), Precision: Month}, end, nil
}

// findDate returns the first complete date (day or month precision, not a
// bare year) written in the first limit bytes of text.
func findDate(text string, limit int) Date {
	if len(text) > limit {
		text = text[:limit]
	}
	prevWord := false
	for i := 0; i < len(text); {
		c := text[i]
		size := 1
		var alnum bool
		if c < utf8.RuneSelf {
			alnum = asciiWord[c]
		} else {
			var r rune
			r, size = utf8.DecodeRuneInString(text[i:])
			alnum = unicode.IsLetter(r) || unicode.IsDigit(r)
		}
		if alnum && !prevWord && (isDigit(c) || startsDateWord(text[i:])) {
			d, n, err := scanDate(text[i:], false)
			if err == nil && n > 0 {
				return d
			}
			if n > 0 { // an impossible date: skip it whole
				i += n
				prevWord = true
				continue
			}
		}
		prevWord = alnum
		i += size
	}
	return Date{}
}

// dateWordStart[c] is true for the letters that start a French month or
// day name, or "le", in either case.
var dateWordStart = func() (t [utf8.RuneSelf]bool) {
	for _, c := range "jfmasondlvJFMASONDLV" {
		t[c] = true
	}
	return t
}()

// startsDateWord reports whether s starts with a day or month name, or
// "le".
func startsDateWord(s string) bool {
	if s == "" || s[0] >= utf8.RuneSelf || !dateWordStart[s[0]] {
		return false
	}
	w, _ := word(s, 0)
	if len(w) < 2 || len(w) > 10 {
		return false
	}
	var buf [10]byte
	ascii := true
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
		buf[i] = c | 0x20
	}
	if ascii {
		k := buf[:len(w)]
		_, m := months[string(k)]
		return m || weekdays[string(k)] || string(k) == "le"
	}
	f := fold.String(w)
	_, m := months[f]
	return m || weekdays[f]
}

// word returns the letters starting at s[pos] and the index after them.
func word(s string, pos int) (string, int) {
	i := pos
	for i < len(s) {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		if !unicode.IsLetter(r) {
			break
		}
		i += size
	}
	return s[pos:i], i
}

// digits parses the decimal digits starting at s[pos] (at most 9).
func digits(s string, pos int) (int, int) {
	n, i := 0, pos
	for i < len(s) && isDigit(s[i]) && i-pos < 9 {
		n = n*10 + int(s[i]-'0')
		i++
	}
	return n, i
}

// skipSpaces skips ASCII spaces, tabs and no-break spaces.
func skipSpaces(s string, i int) int {
	for i < len(s) {
		switch {
		case s[i] == ' ' || s[i] == '\t':
			i++
		case strings.HasPrefix(s[i:], "\u00a0"), strings.HasPrefix(s[i:], "\u202f"):
			_, size := utf8.DecodeRuneInString(s[i:])
			i += size
		default:
			return i
		}
	}
	return i
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetterByte(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || c >= utf8.RuneSelf
}

// textDate returns the date of a report whose header or fields give none:
// the first complete date (day or month, not a bare year) written in its
// title, else in the first dateWindow bytes of its body, else the day and
// month of a wire dateline without year at the start of the body ("PARIS,
// 12 mars (AFP) –"), in the first year written near the start of the body
// ("… en 2024 …"). A dateline with a year ("Bamako, 3 juin 2024 —") is a
// date of the body like any other. The first date wins: title first, as it
// comes first in the document.
func textDate(title, body string) Date {
	if d := findDate(title, dateWindow); !d.IsZero() {
		return d
	}
	if d := findDate(body, dateWindow); !d.IsZero() {
		return d
	}
	return datelineDate(body)
}

// datelineRe matches a wire dateline without year at the start of a text:
// a place in capitals or capitalized, a comma, an optional "le", a day and
// a month name, then an agency in parentheses and/or a dash.
var datelineRe = regexp.MustCompile(`^\s*\p{Lu}[\p{L}' .-]{1,40},\s+(?:(?i:le)\s+)?(\d{1,2})(?:er|ᵉʳ)?\s+(\p{L}+)\.?\s*(?:\([^)]{1,40}\)\s*)?[-–—]`)

// yearRe matches a plausible year.
var yearRe = regexp.MustCompile(`\b(19[5-9]\d|20\d\d)\b`)

// datelineDate reads the date of a wire dateline without year (see
// textDate), or returns no date.
func datelineDate(body string) Date {
	m := datelineRe.FindStringSubmatch(body[:min(len(body), 200)])
	if m == nil {
		return Date{}
	}
	month, ok := months[fold.String(m[2])]
	if !ok {
		return Date{}
	}
	y := yearRe.FindString(body[:min(len(body), dateWindow)])
	if y == "" {
		return Date{}
	}
	day, _ := strconv.Atoi(m[1])
	year, _ := strconv.Atoi(y)
	d, err := MakeDate(year, month, day)
	if err != nil {
		return Date{}
	}
	return d
}
