package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rapports/rapports/internal/fold"
)

// Errors wrapped by the problems of document files that cannot be read.
var (
	// ErrEncrypted: the document needs a password.
	ErrEncrypted = errors.New("encrypted")
	// ErrDamaged: the document's structure cannot be read (truncated or
	// corrupt file).
	ErrDamaged = errors.New("damaged file")
	// ErrWrongFormat: the content is not of the format its extension says
	// (a ".pdf" that is not a PDF).
	ErrWrongFormat = errors.New("not of the format its extension says")
)

// ScannedReason is the skip reason of a PDF whose pages have no text layer.
const ScannedReason = "no text layer: scanned? OCR with --ocr"

// readPDF reads a PDF file as one report whose body is the text of its
// pages, with the page starts in Report.PageStarts.
func readPDF(s *source, r io.Reader) error {
	data, err := readAll(r, s.size)
	if err != nil {
		return err
	}
	if len(data) == 0 {
		s.skip(s.display, "empty file")
		return nil
	}
	if err := checkPDF(data); err != nil {
		return err
	}
	eng, err := pdfEngineFor()
	if err != nil {
		return err
	}
	doc, err := eng.read(s.ctx, data, s.w.opts.OCR)
	if err != nil {
		return err
	}
	data = nil //nolint:ineffassign,staticcheck // let the file's bytes go before the text is built
	if len(doc.scanned) == len(doc.pages) {
		if len(doc.pages) == 0 {
			s.skip(s.display, "no pages")
		} else {
			s.skip(s.display, ScannedReason)
		}
		return nil
	}
	if len(doc.scanned) > 0 {
		s.problem(Problem{Path: s.display, Err: fmt.Errorf("%s %s: %s; the other pages are indexed", plural(len(doc.scanned), "page", "pages"), pageList(doc.scanned), ScannedReason)})
	}
	pages := cleanPages(doc.pages)
	rep := Report{ID: s.rel, Path: s.rel}
	rep.Body, rep.PageStarts = joinPages(pages)
	rep.FirstPage = 1
	rep.Title = pdfTitle(pages, doc.title)
	meta, _ := parsePDFDate(doc.created)
	return s.sendDocument(rep, header{}, meta)
}

// checkPDF tells a file that is not a PDF, or a truncated one, before
// PDFium reads it: a PDF starts with "%PDF-" (within its first kilobyte,
// as readers allow) and ends with "%%EOF" (within its last kilobyte).
func checkPDF(data []byte) error {
	head := data[:min(len(data), 1024)]
	if !bytes.Contains(head, []byte("%PDF-")) {
		return fmt.Errorf("%w: not a PDF (no %%PDF- header)", ErrWrongFormat)
	}
	tail := data[max(0, len(data)-1024):]
	if !bytes.Contains(tail, []byte("%%EOF")) {
		return fmt.Errorf("%w: truncated PDF (no %%%%EOF at the end: the file was cut short)", ErrDamaged)
	}
	return nil
}

// plural returns "1 page" or "3 pages".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// pageList writes up to 10 page numbers, "3, 5, 8…".
func pageList(pages []int) string {
	var b strings.Builder
	for i, p := range pages {
		if i == 10 {
			b.WriteString("…")
			break
		}
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(strconv.Itoa(p))
	}
	return b.String()
}

// joinPages joins the pages' texts with a blank line and returns where
// each page starts in the result.
func joinPages(pages []string) (string, []int) {
	n := 0
	for _, p := range pages {
		n += len(p) + 2
	}
	var b strings.Builder
	b.Grow(n)
	starts := make([]int, len(pages))
	for i, p := range pages {
		if i > 0 {
			b.WriteString("\n\n")
		}
		starts[i] = b.Len()
		b.WriteString(p)
	}
	return b.String(), starts
}

// cleanPages turns PDFium's page texts into clean text: line ends
// normalized, words hyphenated across a line end rejoined, control
// characters dropped, and the running headers and footers removed (lines
// at the top or bottom of a page that come back, digits aside, on at least
// half of the pages, and at least 3); lines that are only a page number
// ("12", "- 12 -", "Page 12", "12/40") are kept.
func cleanPages(raw []string) []string {
	lines := make([][]string, len(raw))
	for i, p := range raw {
		lines[i] = strings.Split(normalizePage(p), "\n")
	}
	running := runningLines(lines)
	out := make([]string, len(raw))
	for i, ls := range lines {
		if running != nil {
			ls = dropRunning(ls, running)
		}
		out[i] = strings.TrimSpace(strings.Join(ls, "\n"))
	}
	return out
}

// edgeLines is how many non-blank lines at the top and at the bottom of a
// page may be running headers or footers.
const edgeLines = 2

// runningKey is the form under which header and footer lines are
// compared: folded, digits as "#", spaces collapsed.
func runningKey(line string) string {
	f := fold.String(strings.TrimSpace(line))
	var b strings.Builder
	space := false
	for _, r := range f {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsDigit(r):
			r = '#'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	return b.String()
}

// edges returns the indexes of the first and last edgeLines non-blank
// lines of a page.
func edges(ls []string) []int {
	var idx []int
	for i := 0; i < len(ls) && len(idx) < edgeLines; i++ {
		if strings.TrimSpace(ls[i]) != "" {
			idx = append(idx, i)
		}
	}
	top := len(idx)
	for i := len(ls) - 1; i >= 0 && len(idx)-top < edgeLines; i-- {
		if strings.TrimSpace(ls[i]) == "" {
			continue
		}
		if top > 0 && i <= idx[top-1] {
			break
		}
		idx = append(idx, i)
	}
	return idx
}

// runningLines returns the keys of the running headers and footers of a
// document's pages, or nil.
func runningLines(pages [][]string) map[string]bool {
	withText := 0
	for _, ls := range pages {
		if len(edges(ls)) > 0 {
			withText++
		}
	}
	if withText < 3 {
		return nil
	}
	count := map[string]int{}
	for _, ls := range pages {
		seen := map[string]bool{}
		for _, i := range edges(ls) {
			if isPageNumber(ls[i]) {
				continue
			}
			k := runningKey(ls[i])
			if k != "" && !seen[k] {
				seen[k] = true
				count[k]++
			}
		}
	}
	var running map[string]bool
	for k, n := range count {
		if n >= 3 && 2*n >= withText {
			if running == nil {
				running = map[string]bool{}
			}
			running[k] = true
		}
	}
	return running
}

// dropRunning removes the running lines from the edges of a page.
func dropRunning(ls []string, running map[string]bool) []string {
	drop := map[int]bool{}
	for _, i := range edges(ls) {
		if !isPageNumber(ls[i]) && running[runningKey(ls[i])] {
			drop[i] = true
		}
	}
	if len(drop) == 0 {
		return ls
	}
	out := make([]string, 0, len(ls)-len(drop))
	for i, l := range ls {
		if !drop[i] {
			out = append(out, l)
		}
	}
	return out
}

// pageNumberRe matches a line that is only a page number.
var pageNumberRe = regexp.MustCompile(`^(?i)(page|p\.)?\s*[-–—]?\s*\d{1,5}\s*((/|sur|of)\s*\d{1,5})?\s*[-–—]?$`)

// isPageNumber reports whether a line is only a page number.
func isPageNumber(line string) bool {
	return pageNumberRe.MatchString(strings.TrimSpace(line))
}

// normalizePage normalizes the line ends of a page's text to "\n", rejoins
// the words hyphenated across a line end (PDFium marks such a hyphen with
// U+0002; a soft hyphen U+00AD, or a hyphen between a letter at a line end
// and a lowercase letter starting the next line, are rejoined too), drops
// other control characters and the spaces at line ends.
func normalizePage(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				size++
			}
			trimLineEnd(&b)
			b.WriteByte('\n')
		case r == '\n':
			trimLineEnd(&b)
			b.WriteByte('\n')
		case r == 0x02 || r == 0xad:
			// A hyphen at a line end: drop it and the line end after it.
			j := i + size
			for j < len(s) && (s[j] == '\r' || s[j] == '\n') {
				j++
			}
			size = j - i
		case r == '-' && endsWithLetter(b.String()) && lineEndThenLower(s[i+1:]):
			j := i + 1
			for j < len(s) && (s[j] == '\r' || s[j] == '\n' || s[j] == ' ') {
				j++
			}
			size = j - i
		case r == '\t' || r == 0xa0:
			b.WriteByte(' ')
		case r == utf8.RuneError && size == 1, r < 0x20, r == 0xfffe, r == 0xffff:
			// Control characters and invalid bytes are dropped.
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	trimLineEnd(&b)
	return b.String()
}

// trimLineEnd drops the spaces at the end of b.
func trimLineEnd(b *strings.Builder) {
	s := b.String()
	if t := strings.TrimRight(s, " "); len(t) < len(s) {
		b.Reset()
		b.WriteString(t)
	}
}

// endsWithLetter reports whether s ends with a letter.
func endsWithLetter(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLetter(r)
}

// lineEndThenLower reports whether s is a line end followed by a lowercase
// letter.
func lineEndThenLower(s string) bool {
	j := 0
	for j < len(s) && s[j] == ' ' {
		j++
	}
	if j == len(s) || (s[j] != '\r' && s[j] != '\n') {
		return false
	}
	for j < len(s) && (s[j] == '\r' || s[j] == '\n' || s[j] == ' ') {
		j++
	}
	r, _ := utf8.DecodeRuneInString(s[j:])
	return unicode.IsLower(r)
}

// pdfTitle picks the title of a PDF: the first line of its text when it
// looks like a title (at most maxTitleLen bytes, with a word of 3 letters
// or more, not only a date or a page number), else the /Info title when it
// is meaningful (not a file name, "Microsoft Word - …" nor "untitled"),
// else the first sentence of the text.
func pdfTitle(pages []string, info string) string {
	var first string
	for _, p := range pages {
		if p = strings.TrimSpace(p); p != "" {
			first = p
			break
		}
	}
	line, _, _ := strings.Cut(first, "\n")
	line = strings.TrimSpace(line)
	if len(line) <= maxTitleLen && hasWord(line, 3) && !isPageNumber(line) {
		if d, err := ParseDate(line); err != nil || d.IsZero() {
			return line
		}
	}
	if t := cleanInfoTitle(info); t != "" {
		return t
	}
	return firstSentence(line, 120)
}

// hasWord reports whether s has a word of at least n letters.
func hasWord(s string, n int) bool {
	run := 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}

// cleanInfoTitle returns a document property title, or "" when it says
// nothing: empty, a file name, the "Microsoft Word - " prefix of a printed
// file, "untitled" and the like.
func cleanInfoTitle(t string) string {
	t = strings.Join(strings.Fields(t), " ")
	t = strings.TrimPrefix(t, "Microsoft Word - ")
	low := strings.ToLower(t)
	for _, ext := range []string{".doc", ".docx", ".odt", ".pdf", ".rtf", ".txt", ".indd", ".qxd", ".ps", ".dvi"} {
		if strings.HasSuffix(low, ext) {
			return ""
		}
	}
	switch low {
	case "untitled", "sans titre", "titre", "title", "document", "rapport", "présentation powerpoint":
		return ""
	}
	if !hasWord(t, 3) || len(t) > 2*maxTitleLen {
		return ""
	}
	return t
}

// parsePDFDate reads a PDF date, "D:YYYYMMDDHHmmSSOHH'mm'" with every part
// after the year optional, and keeps the date as written (the local day of
// its author).
func parsePDFDate(s string) (Date, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	n := 0
	for n < len(s) && n < 8 && isDigit(s[n]) {
		n++
	}
	switch n {
	case 4, 6, 8:
	default:
		return Date{}, fmt.Errorf("PDF date %q is %w", s, ErrBadDate)
	}
	iso := s[:4]
	if n >= 6 {
		iso += "-" + s[4:6]
	}
	if n == 8 {
		iso += "-" + s[6:8]
	}
	return ParseISODate(iso)
}
