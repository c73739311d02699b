package corpus

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxHeaderLines bounds how far down the header of a text file may go,
// maxFrontMatterLines a Markdown front matter.
const (
	maxHeaderLines      = 20
	maxFrontMatterLines = 100
)

// header is what the top lines of a text file say about it.
type header struct {
	title, source, url string
	date               Date
	hasDate            bool
	badDate            bool
	countries          []string
}

// headerKeys maps the accepted header keys (lowercase) to their field.
var headerKeys = map[string]string{
	"date": "date", "title": "title", "titre": "title",
	"country": "country", "countries": "country", "pays": "country",
	"source": "source", "url": "url", "lien": "url",
}

// parseHeader splits a text file into its header and its body. Header lines
// come first, may be indented, are separated from their value by ":" (or,
// for the date, by a space), and the date line may go on with the first
// sentence of the body ("date 2024-06 Le chef..."). Lines that are not
// headers end the header. Each bad value is passed to problem with its
// 1-based line number.
//
// A Markdown front matter (lines between "---" lines at the top) is read
// the same way, except that its other keys are ignored.
func parseHeader(text string, problem func(line int, err error)) (header, string) {
	var h header
	pos, line := 0, 1
	front, seen, limit := false, false, maxHeaderLines
	for n := 0; n < limit && pos < len(text); n++ {
		end := strings.IndexByte(text[pos:], '\n')
		next := len(text)
		if end >= 0 {
			next = pos + end + 1
		} else {
			end = len(text) - pos
		}
		raw := strings.TrimRight(text[pos:pos+end], "\r")
		t := strings.TrimLeftFunc(raw, unicode.IsSpace)
		if strings.TrimSpace(t) == "" {
			pos, line = next, line+1
			continue
		}
		if strings.TrimSpace(t) == "---" {
			if front {
				return h, text[next:]
			}
			if !seen {
				front, seen, limit = true, true, maxFrontMatterLines
				pos, line = next, line+1
				continue
			}
		}
		seen = true
		field, value, ok := splitHeader(t)
		if !ok {
			if front {
				pos, line = next, line+1
				continue
			}
			break
		}
		if front {
			value = strings.Trim(strings.TrimSpace(value), `"'[]`)
		}
		if field == "date" {
			colon := strings.Contains(t[:len(t)-len(value)], ":")
			value = strings.TrimLeftFunc(value, unicode.IsSpace)
			d, n, err := scanDate(value, true)
			if n == 0 && err == nil {
				if !colon {
					break // "Date limite..." is body text
				}
				err = fmt.Errorf("%q is %w", strings.TrimSpace(value), ErrBadDate)
			}
			if err != nil {
				problem(line, fmt.Errorf("date: %w; the report is kept without a date", err))
				h.badDate = true
			} else {
				h.date, h.hasDate = d, true
			}
			if err == nil && d.Precision == Day && isTimeOfDay(strings.TrimSpace(value[n:])) {
				n = len(value) // "date: 2024-06-15 10:30": the time is part of the header
			}
			if rest := strings.TrimSpace(value[n:]); rest != "" && (err == nil || n > 0) && !front {
				// Inline header: the body starts on this line.
				body := strings.TrimLeftFunc(value[n:], unicode.IsSpace) + text[pos+len(raw):]
				return h, body
			}
			pos, line = next, line+1
			continue
		}
		value = strings.TrimSpace(value)
		switch field {
		case "title":
			h.title = value
		case "source":
			h.source = value
		case "url":
			h.url = value
		case "country":
			codes, err := parseCountryList(value)
			if err != nil {
				problem(line, fmt.Errorf("country: %w", err))
			}
			h.countries = appendNew(h.countries, codes...)
		}
		pos, line = next, line+1
	}
	return h, text[pos:]
}

// splitHeader recognizes "key: value", "key : value" and, for the date
// only, "key value". It returns the field name and the raw value.
func splitHeader(t string) (field, value string, ok bool) {
	i := 0
	for i < len(t) && i < 12 && ('a' <= t[i]|0x20 && t[i]|0x20 <= 'z') {
		i++
	}
	if i == 0 || i >= len(t) {
		return "", "", false
	}
	field, ok = headerKeys[strings.ToLower(t[:i])]
	if !ok {
		return "", "", false
	}
	j := i
	for j < len(t) && (t[j] == ' ' || t[j] == '\t') {
		j++
	}
	if j < len(t) && t[j] == ':' {
		return field, t[j+1:], true
	}
	if field == "date" && j > i {
		return field, t[j:], true
	}
	return "", "", false
}

// parseCountryList reads "IL, BH" or "Israël; Bahreïn": ISO codes or
// names, separated by commas, semicolons or spaces between codes.
func parseCountryList(s string) ([]string, error) {
	var codes []string
	var bad []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' || r == '/' }) {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if c := strings.ToUpper(part); IsCountry(c) {
			codes = appendNew(codes, c)
			continue
		}
		// "IL BH" or a name.
		fields := strings.Fields(part)
		allCodes := true
		for _, f := range fields {
			if !IsCountry(strings.ToUpper(f)) {
				allCodes = false
				break
			}
		}
		if allCodes {
			for _, f := range fields {
				codes = appendNew(codes, strings.ToUpper(f))
			}
			continue
		}
		if found, _ := FindCountries(part); len(found) > 0 {
			codes = appendNew(codes, found...)
			continue
		}
		bad = append(bad, part)
	}
	if len(bad) > 0 {
		return codes, fmt.Errorf("unknown country %q (want ISO 3166-1 alpha-2 codes such as FR, or French names)", strings.Join(bad, ", "))
	}
	return codes, nil
}

// appendNew appends the codes not already in list.
func appendNew(list []string, codes ...string) []string {
	for _, c := range codes {
		dup := false
		for _, l := range list {
			if l == c {
				dup = true
				break
			}
		}
		if !dup {
			list = append(list, c)
		}
	}
	return list
}

// maxTitleLen is the longest first line taken whole as a title.
const maxTitleLen = 200

// splitTitle finds the title of a body without title header. A short first
// line followed by a blank line (or a Markdown heading) is the title and is
// taken out of the body; otherwise the title is the first sentence, cut to
// about 120 characters, and the body is kept whole.
func splitTitle(body string, markdown bool) (title, rest string) {
	body = strings.TrimLeftFunc(body, unicode.IsSpace)
	end := strings.IndexByte(body, '\n')
	first := body
	if end >= 0 {
		first = body[:end]
	}
	first = strings.TrimSpace(first)
	if markdown && strings.HasPrefix(first, "#") {
		if end < 0 {
			return strings.TrimSpace(strings.TrimLeft(first, "#")), ""
		}
		return strings.TrimSpace(strings.TrimLeft(first, "#")), strings.TrimLeftFunc(body[end+1:], unicode.IsSpace)
	}
	if end >= 0 && len(first) <= maxTitleLen && first != "" {
		after := strings.TrimLeft(body[end+1:], " \t\r")
		if after == "" || after[0] == '\n' {
			return first, strings.TrimLeftFunc(body[end+1:], unicode.IsSpace)
		}
	}
	return firstSentence(first, 120), body
}

// firstSentence returns s up to its first sentence end, cut at a word
// boundary to at most about limit bytes, with "…" when cut.
func firstSentence(s string, limit int) string {
	for i := 0; i < len(s); i++ {
		if (s[i] == '.' || s[i] == '!' || s[i] == '?') && (i+1 == len(s) || s[i+1] == ' ') && i > 20 {
			s = s[:i+1]
			break
		}
	}
	if len(s) <= limit {
		return s
	}
	cut := strings.LastIndexByte(s[:limit], ' ')
	if cut < limit/2 {
		cut = limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
	}
	return strings.TrimRight(s[:cut], " ,;:") + "…"
}
