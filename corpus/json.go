package corpus

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// record is one JSON report as written. A string field of the wrong type
// is an *json.UnmarshalTypeError naming the field; id and countries may
// have several types and are checked apart.
type record struct {
	ID        json.RawMessage `json:"id"`
	Title     string          `json:"title"`
	Date      string          `json:"date"`
	Country   json.RawMessage `json:"country"`
	Countries json.RawMessage `json:"countries"`
	Source    string          `json:"source"`
	URL       string          `json:"url"`
	Text      string          `json:"text"`
	Body      string          `json:"body"`
	Content   string          `json:"content"`
}

// errNoText is the problem of a JSON record without text.
var errNoText = errors.New(`no text (want a "text", "body" or "content" string)`)

// article returns a JSON type name from encoding/json with its article.
func article(typ string) string {
	switch typ {
	case "array", "object":
		return "an " + typ
	case "bool":
		return "a boolean"
	case "":
		return "nothing"
	}
	return "a " + typ
}

// parseRecord decodes one JSON object into a report (without countries
// found in the text nor hash). n is its 1-based line or array index, used
// for the default ID "rel#n" (0 for a file holding one object: ID rel).
// A date or country that is not one is returned as fieldErr with the
// report still valid; any other error rejects the record.
func parseRecord(data []byte, rel string, n int) (rep Report, fieldErr, err error) {
	rec, ok := fastRecord(data)
	if !ok {
		if rec, err = decodeRecord(data); err != nil {
			return Report{}, nil, err
		}
	}
	rep.Path = rel
	id := rec.id
	if id == "" {
		id = rel
		if n > 0 {
			id += "#" + strconv.Itoa(n)
		}
	}
	rep.ID = id
	rep.Title, rep.Source, rep.URL = strings.TrimSpace(rec.title), strings.TrimSpace(rec.source), strings.TrimSpace(rec.url)
	switch {
	case strings.TrimSpace(rec.text) != "":
		rep.Body = rec.text
	case strings.TrimSpace(rec.body) != "":
		rep.Body = rec.body
	default:
		rep.Body = rec.content
	}
	rep.Body = strings.TrimSpace(rep.Body)
	if rep.Body == "" {
		return Report{}, nil, errNoText
	}
	if rec.listErr != nil {
		return Report{}, nil, rec.listErr
	}
	for _, f := range [2]struct {
		name string
		list []string
	}{{"country", rec.country}, {"countries", rec.countries}} {
		for _, v := range f.list {
			codes, cerr := parseCountryList(v)
			rep.Countries = appendNew(rep.Countries, codes...)
			if cerr != nil && fieldErr == nil {
				fieldErr = fmt.Errorf("%s: %w", f.name, cerr)
			}
		}
	}
	if ds := strings.TrimSpace(rec.date); ds != "" {
		d, derr := ParseDate(ds)
		if derr != nil {
			fieldErr = fmt.Errorf("date: %w", derr)
		} else {
			rep.Date = d
		}
	} else {
		rep.Date = textDate(rep.Title, rep.Body)
	}
	if rep.Title == "" {
		rep.Title, _ = splitTitle(rep.Body, false)
		if len(rep.Title) > maxTitleLen {
			rep.Title = firstSentence(rep.Title, 120)
		}
	}
	return rep, fieldErr, nil
}

// fields are the fields of a JSON record that a report reads, decoded:
// the id trimmed, the country fields as lists.
type fields struct {
	id                                            string
	country, countries                            []string
	title, date, source, url, text, body, content string
	// listErr is the error of a country field that is not a string or a
	// list of strings, returned after the check of the text.
	listErr error
}

// decodeRecord decodes data, one JSON object, with encoding/json. Its
// errors say what is wrong with the record.
func decodeRecord(data []byte) (fields, error) {
	var rec record
	if err := json.Unmarshal(data, &rec); err != nil {
		var te *json.UnmarshalTypeError
		if !errors.As(err, &te) {
			return fields{}, fmt.Errorf("invalid JSON: %w", err)
		}
		if te.Field == "" {
			return fields{}, fmt.Errorf("want a JSON object, got %s", article(te.Value))
		}
		return fields{}, fmt.Errorf("field %q: want a string, got %s", te.Field, article(te.Value))
	}
	f := fields{title: rec.Title, date: rec.Date, source: rec.Source, url: rec.URL, text: rec.Text, body: rec.Body, content: rec.Content}
	var err error
	if f.id, err = jsonID(rec.ID); err != nil {
		return fields{}, err
	}
	if f.country, f.listErr = jsonStrings("country", rec.Country); f.listErr == nil {
		f.countries, f.listErr = jsonStrings("countries", rec.Countries)
	}
	return f, nil
}

// jsonType names the JSON type of raw for error messages.
func jsonType(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "a number"
}

// jsonString decodes a string field; null or absent is "".
func jsonString(name string, raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] != '"' {
		return "", fmt.Errorf("field %q: want a string, got %s", name, jsonType(raw))
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("field %q: %w", name, err)
	}
	return s, nil
}

// jsonStrings decodes a string or a list of strings.
func jsonStrings(name string, raw json.RawMessage) ([]string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	if raw[0] == '[' {
		var list []string
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, fmt.Errorf("field %q: want a string or a list of strings", name)
		}
		return list, nil
	}
	s, err := jsonString(name, raw)
	if err != nil {
		return nil, fmt.Errorf("field %q: want a string or a list of strings, got %s", name, jsonType(raw))
	}
	return []string{s}, nil
}

// jsonID decodes the id field: a string or an integer.
func jsonID(raw json.RawMessage) (string, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	if raw[0] == '"' {
		s, err := jsonString("id", raw)
		return strings.TrimSpace(s), err
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", fmt.Errorf(`field "id": want a string or a number, got %s`, jsonType(raw))
	}
	return n.String(), nil
}

// record reads one JSON object at line (or element) n and sends it, or
// reports why it is skipped.
func (s *source) record(data []byte, n, line int) error {
	rep, dateErr, err := parseRecord(data, s.rel, n)
	if err != nil {
		s.problem(Problem{Path: s.display, Line: line, Err: err})
		return nil
	}
	if dateErr != nil {
		s.problem(Problem{Path: s.display, Line: line, Err: fmt.Errorf("%w; the report is kept without a date", dateErr)})
	}
	return s.send(rep)
}

// readJSONL streams a JSON Lines file: one object a line, blank lines
// ignored, lines longer than MaxLineSize reported and skipped.
func (s *source) readJSONL(r io.Reader) error {
	br := bufio.NewReaderSize(r, 1<<20)
	if start, _ := br.Peek(2); bytes.Equal(start, bomUTF16LE) || bytes.Equal(start, bomUTF16BE) {
		br = bufio.NewReaderSize(transform.NewReader(br, unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder()), 1<<20)
	}
	var buf []byte
	for line := 1; ; line++ {
		if line%256 == 0 {
			if err := s.ctx.Err(); err != nil {
				return err
			}
		}
		data, tooLong, err := readLine(br, &buf)
		if tooLong {
			s.problem(Problem{Path: s.display, Line: line, Err: fmt.Errorf("line longer than %d MB, skipped", MaxLineSize>>20)})
		} else if len(bytes.TrimSpace(data)) > 0 {
			if line == 1 {
				data = bytes.TrimPrefix(data, bomUTF8)
			}
			if !utf8.Valid(data) {
				// JSON is UTF-8, but French files are often Windows-1252.
				dec, derr := charmap.Windows1252.NewDecoder().Bytes(data)
				if derr != nil {
					return fmt.Errorf("line %d: decoding Windows-1252: %w", line, derr)
				}
				data = dec
			}
			if err := s.record(data, line, line); err != nil {
				return err
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("line %d: reading: %w", line, unwrapPath(err))
		}
	}
}

// readLine reads one line without its end into *buf (reused). A line over
// MaxLineSize is consumed and returned as tooLong. err is io.EOF after the
// last line.
func readLine(br *bufio.Reader, buf *[]byte) (data []byte, tooLong bool, err error) {
	*buf = (*buf)[:0]
	for {
		chunk, err := br.ReadSlice('\n')
		if !tooLong {
			if len(*buf)+len(chunk) > MaxLineSize+1 {
				tooLong = true
				*buf = (*buf)[:0]
			} else if len(*buf) == 0 && err == nil {
				// Whole line in the reader's buffer: no copy.
				return bytes.TrimRight(chunk, "\r\n"), false, nil
			} else {
				*buf = append(*buf, chunk...)
			}
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if tooLong {
			return nil, true, err
		}
		return bytes.TrimRight(*buf, "\r\n"), false, err
	}
}

// readJSON reads a JSON document: one object, or an array of objects.
// An element with wrong types is reported with its line and skipped; a
// syntax error ends the file.
func (s *source) readJSON(r io.Reader) error {
	raw, err := readAll(r, s.size)
	if err != nil {
		return err
	}
	text, err := decodeText(raw)
	if err != nil {
		return err
	}
	raw = []byte(text)
	trimmed := bytes.TrimLeft(raw, " \t\r\n")
	if len(trimmed) == 0 {
		return errors.New("empty JSON file")
	}
	if trimmed[0] != '[' {
		if trimmed[0] != '{' {
			return fmt.Errorf("want a JSON object or an array of objects, got %s", jsonType(trimmed))
		}
		return s.record(raw, 0, 0)
	}
	lines := lineCounter{data: raw, line: 1}
	dec := json.NewDecoder(bytes.NewReader(raw))
	if _, err := dec.Token(); err != nil {
		return fmt.Errorf("invalid JSON: %w", err)
	}
	for n := 1; dec.More(); n++ {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		var elem json.RawMessage
		start := dec.InputOffset()
		if err := dec.Decode(&elem); err != nil {
			return fmt.Errorf("line %d: invalid JSON: %w", lines.at(start), err)
		}
		rep, dateErr, err := parseRecord(elem, s.rel, n)
		// The element starts after the separator and spaces that follow start.
		line := lines.at(start + int64(len(raw[start:])-len(bytes.TrimLeft(raw[start:], " \t\r\n,"))))
		if err != nil {
			s.problem(Problem{Path: s.display, Line: line, Err: fmt.Errorf("element %d: %w", n, err)})
			continue
		}
		if dateErr != nil {
			s.problem(Problem{Path: s.display, Line: line, Err: fmt.Errorf("element %d: %w; the report is kept without a date", n, dateErr)})
		}
		if err := s.send(rep); err != nil {
			return err
		}
	}
	return nil
}

// lineCounter turns increasing byte offsets of data into line numbers.
type lineCounter struct {
	data []byte
	off  int64
	line int
}

func (c *lineCounter) at(off int64) int {
	if off > int64(len(c.data)) {
		off = int64(len(c.data))
	}
	if off > c.off {
		c.line += bytes.Count(c.data[c.off:off], []byte{'\n'})
		c.off = off
	}
	return c.line
}
