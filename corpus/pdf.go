package corpus

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
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
// pages, with the page starts in Report.PageStarts, or as parts of it
// when it is longer than MaxPartSize (as SplitParts cuts it). Pages flow
// through: each is cleaned (pageCleaner) and added to the part being built
// (partBuilder) as PDFium reads it, and a part is passed on once full, so
// that the memory of a PDF does not grow with its page count. The first
// part gives the title and the date, which the later parts keep.
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
	var (
		info    pdfInfo
		cleaner pageCleaner
		scanned []int // the first pages without text (see pageList)
		nScan   int
		title   string
		date    Date
		source  string
	)
	parts := &partBuilder{send: func(p pagePart) error {
		rep := Report{ID: s.rel, Path: s.rel, Body: p.body, FirstPage: p.firstPage, PageStarts: p.starts}
		if p.part <= 1 {
			title = pdfTitle([]string{p.body}, info.title)
			meta, _ := parsePDFDate(info.created)
			date = textDate(title, p.body)
			if date.IsZero() && !meta.IsZero() {
				date, source = meta, DateFromMetadata
			}
		}
		rep.Date, rep.DateSource = date, source
		if p.part == 0 {
			rep.Title = title
			if strings.TrimSpace(rep.Body) == "" && rep.Title == "" {
				s.skip(s.display, "no text")
				return nil
			}
			return s.send(rep)
		}
		rep.Title = partTitle(title, p.part, p.firstPage, p.firstPage+len(p.starts)-1, info.pages)
		if p.part > 1 {
			rep.ID = fmt.Sprintf("%s#p%d", s.rel, p.part)
		}
		return s.send(rep)
	}}
	add := func(pages []string) error {
		for _, p := range pages {
			if err := parts.add(p); err != nil {
				return err
			}
		}
		return nil
	}
	err = eng.read(s.ctx, data, s.w.opts.OCR, func(in pdfInfo) error {
		info = in
		return nil
	}, func(i int, text string) error {
		if !hasLetters(text) {
			// A page without letters or digits has nothing to search: it
			// stays empty, and is named when other pages have text.
			text = ""
			if nScan++; len(scanned) <= 10 {
				scanned = append(scanned, i+1)
			}
		}
		return add(cleaner.push(text))
	})
	if err != nil {
		return err
	}
	if err := add(cleaner.flush()); err != nil {
		return err
	}
	if nScan == info.pages {
		if info.pages == 0 {
			s.skip(s.display, "no pages")
		} else {
			s.skip(s.display, ScannedReason)
		}
		return nil
	}
	if nScan > 0 {
		s.problem(Problem{Path: s.display, Err: fmt.Errorf("%s %s: %s; the other pages are indexed", plural(nScan, "page", "pages"), pageList(scanned), ScannedReason)})
	}
	return parts.finish()
}

// partTitle is the title of part k of a paged report: "Title (partie k,
// p. 41–80 sur 950)", pages first to last of count. A PDF's parts are
// passed on as they are read, before their number is known: the page
// range tells where a part sits.
func partTitle(title string, k, first, last, count int) string {
	pages := fmt.Sprintf("p. %d–%d", first, last)
	if last <= first {
		pages = fmt.Sprintf("p. %d", first)
	}
	if count > 0 {
		pages += fmt.Sprintf(" sur %d", count)
	}
	if title == "" {
		return fmt.Sprintf("partie %d, %s", k, pages)
	}
	return fmt.Sprintf("%s (partie %d, %s)", title, k, pages)
}

// pagePart is a report's text made of pages, as partBuilder passes it on.
type pagePart struct {
	body      string
	firstPage int   // 1-based
	starts    []int // where each page starts in body
	// part is 0 for a whole report (it fits in MaxPartSize), else its
	// number among the parts, from 1.
	part int
}

// partBuilder gathers cleaned pages, in order, into parts of at most
// MaxPartSize bytes cut at page boundaries (inside a page only when that
// page alone is longer), as SplitParts cuts a report with PageStarts, and
// passes each part on as soon as it is full. It holds one part's pages.
type partBuilder struct {
	send    func(pagePart) error
	pending []string // the pages of the part being built
	size    int      // their bytes, joined
	next    int      // page number of the first pending page, from 0
	sent    int      // parts sent
}

// add appends a page, sending the part before it when the page does not
// fit in it.
func (b *partBuilder) add(text string) error {
	if len(b.pending) > 0 && b.size+2+len(text) > MaxPartSize {
		if err := b.flush(); err != nil {
			return err
		}
	}
	if len(b.pending) > 0 {
		b.size += 2
	}
	b.pending = append(b.pending, text)
	b.size += len(text)
	return nil
}

// flush sends the pending pages as a part (several, cut inside a page
// longer than MaxPartSize).
func (b *partBuilder) flush() error {
	body, starts := joinPages(b.pending)
	first := b.next + 1
	b.next += len(b.pending)
	b.pending, b.size = b.pending[:0], 0
	text := strings.TrimRight(body, " \t\r\n")
	if len(text) <= MaxPartSize {
		b.sent++
		return b.send(pagePart{body: text, firstPage: first, starts: starts, part: b.sent})
	}
	for rest := text; rest != ""; {
		cut := partCut(rest, MaxPartSize)
		b.sent++
		if err := b.send(pagePart{body: strings.TrimSpace(rest[:cut]), firstPage: first, starts: []int{0}, part: b.sent}); err != nil {
			return err
		}
		rest = strings.TrimLeft(rest[cut:], " \t\r\n")
	}
	return nil
}

// finish sends what is left: the whole report when no part was sent and
// it fits, else the last part.
func (b *partBuilder) finish() error {
	if b.sent == 0 && b.size <= MaxPartSize {
		body, starts := joinPages(b.pending)
		b.pending = nil
		return b.send(pagePart{body: body, firstPage: 1, starts: starts})
	}
	if len(b.pending) == 0 {
		return nil
	}
	return b.flush()
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

// runningWindow is how many pages, around a page, decide its running
// headers and footers: the whole document when it has at most this many
// pages, else the runningWindow pages centred on the page (shifted at the
// start and the end). A long document's running lines often change with
// its chapters; a window also keeps the memory bounded.
const runningWindow = 40

// pageCleaner turns PDFium's page texts, pushed in page order, into clean
// text: line ends normalized, words hyphenated across a line end rejoined,
// control characters dropped, and the running headers and footers removed
// (lines at the top or bottom of a page that come back, digits aside, on
// at least half of the pages of its window that have text, and on at least
// 3; a line must have a word of two letters); lines that are only a page
// number ("12", "- 12 -", "Page 12", "12/40") are kept. It holds at most
// runningWindow+1 pages.
type pageCleaner struct {
	buf  []cleanerPage // pages from index base on
	base int           // page index of buf[0]
	read int           // pages pushed
	out  int           // pages given out
}

// cleanerPage is a page waiting in pageCleaner's window.
type cleanerPage struct {
	lines []string
	keys  []string // runningKey of its edge lines that are not page numbers, without repeats
	text  bool     // it has edge lines
}

// push adds the next page and returns the pages whose window is complete,
// cleaned, in order.
func (c *pageCleaner) push(raw string) []string {
	ls := strings.Split(normalizePage(raw), "\n")
	pg := cleanerPage{lines: ls}
	for _, i := range edges(ls) {
		pg.text = true
		if isPageNumber(ls[i]) {
			continue
		}
		// A line without a word ("}", "* * *") is not a running line:
		// such lines end many pages of code or verse.
		if k := runningKey(ls[i]); hasWord(k, 2) && !slices.Contains(pg.keys, k) {
			pg.keys = append(pg.keys, k)
		}
	}
	c.buf = append(c.buf, pg)
	c.read++
	var out []string
	for c.out < c.read && c.read >= max(0, c.out-runningWindow/2)+runningWindow {
		from := max(0, c.out-runningWindow/2)
		out = append(out, c.clean(c.out, from, from+runningWindow))
	}
	return out
}

// flush returns the pages left, cleaned: the document has ended.
func (c *pageCleaner) flush() []string {
	var out []string
	for c.out < c.read {
		from := min(max(0, c.out-runningWindow/2), max(0, c.read-runningWindow))
		out = append(out, c.clean(c.out, from, min(c.read, from+runningWindow)))
	}
	c.buf = nil
	return out
}

// clean gives out page i, its running lines counted on pages [from, to),
// and drops the pages no later window needs.
func (c *pageCleaner) clean(i, from, to int) string {
	window := c.buf[from-c.base : to-c.base]
	pg := c.buf[i-c.base]
	withText := 0
	for _, w := range window {
		if w.text {
			withText++
		}
	}
	var running map[string]bool
	if withText >= 3 {
		for _, k := range pg.keys {
			n := 0
			for _, w := range window {
				if slices.Contains(w.keys, k) {
					n++
				}
			}
			if n >= 3 && 2*n >= withText {
				if running == nil {
					running = map[string]bool{}
				}
				running[k] = true
			}
		}
	}
	ls := pg.lines
	if running != nil {
		ls = dropRunning(ls, running)
	}
	c.out++
	// A later page's window starts at c.out-runningWindow/2, or at the
	// end's c.read-runningWindow (or later, as pages come): the pages
	// before are not needed any more.
	if drop := max(0, min(c.out-runningWindow/2, c.read-runningWindow)) - c.base; drop > 0 {
		c.buf = slices.Delete(c.buf, 0, drop)
		c.base += drop
	}
	return strings.TrimSpace(strings.Join(ls, "\n"))
}

// cleanPages cleans a document's pages at once (see pageCleaner).
func cleanPages(raw []string) []string {
	var c pageCleaner
	var out []string
	for _, p := range raw {
		out = append(out, c.push(p)...)
	}
	return append(out, c.flush()...)
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
// other control characters and the spaces at line ends, and joins the
// spacing accents of PDFs made by TeX to their letters (composeAccents).
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
	return composeAccents(b.String())
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
