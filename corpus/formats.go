package corpus

import (
	"io"
	"path"
	"strings"
)

// fileFormat is one document format that a walk reads: the file name
// extensions that select it and the reader that turns an open file into
// reports. Adding a format is one entry of formats.
type fileFormat struct {
	// name says what the format is, for documentation and messages.
	name string
	// exts are the lowercase extensions, with their dot.
	exts []string
	// read reads the (decompressed) content r of the file s and sends
	// its reports with s.send; it returns the input error that ends the
	// file, reported as a problem by the walk.
	read func(s *source, r io.Reader) error
	// heavy formats take long to read (PDF extraction, archives): their
	// files are read in parallel, one per worker (see extractWorkers),
	// and their reports passed on in walk order.
	heavy bool
}

// formats is the table of the formats read, looked up by extension.
var formats = []fileFormat{
	{name: "plain text", exts: []string{".txt", ".text"}, read: readText},
	{name: "Markdown", exts: []string{".md", ".markdown"}, read: readMarkdown},
	{name: "HTML", exts: []string{".html", ".htm", ".xhtml"}, read: readHTML},
	{name: "JSON", exts: []string{".json"}, read: (*source).readJSON},
	{name: "JSON Lines", exts: []string{".jsonl", ".ndjson"}, read: (*source).readJSONL},
	{name: "PDF", exts: []string{".pdf"}, read: readPDF, heavy: true},
	{name: "Word", exts: []string{".docx", ".dotx", ".docm", ".dotm"}, read: readDOCX, heavy: true},
	{name: "OpenDocument text", exts: []string{".odt", ".ott"}, read: readODT, heavy: true},
}

// formatByExt indexes formats by extension.
var formatByExt = func() map[string]*fileFormat {
	m := map[string]*fileFormat{}
	for i := range formats {
		for _, e := range formats[i].exts {
			if _, dup := m[e]; dup {
				panic("corpus: extension " + e + " listed twice in formats")
			}
			m[e] = &formats[i]
		}
	}
	return m
}()

// formatOf returns the format of a file name (case-insensitive), seen
// through a ".gz" suffix, or nil when it is not read; gz says whether the
// file is gzip-compressed, ext is its extension without ".gz".
func formatOf(name string) (f *fileFormat, ext string, gz bool) {
	name = strings.ToLower(name)
	gz = strings.HasSuffix(name, ".gz")
	if gz {
		name = strings.TrimSuffix(name, ".gz")
	}
	ext = path.Ext(name)
	return formatByExt[ext], ext, gz
}
