package corpus

import "fmt"

// Problem is an input error tied to a file and, when known, a line. It is
// reported through Options.OnProblem; the file or report at fault is
// skipped and the walk goes on, except for a date field that is not a
// date: the report is then kept without date.
type Problem struct {
	// Path is the file as the walk reached it: the root joined with the
	// relative path for Walk, the fs.FS path for WalkFS.
	Path string
	// Line is the 1-based line (or JSON array element) at fault, 0 for the
	// whole file.
	Line int
	// Err says what is wrong.
	Err error
}

// Error formats p as "path:line: reason" (or "path: reason" without line).
func (p Problem) Error() string {
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", p.Path, p.Line, p.Err)
	}
	return fmt.Sprintf("%s: %v", p.Path, p.Err)
}

// Unwrap returns p.Err, so that errors.Is(p, ErrBadDate) works.
func (p Problem) Unwrap() error { return p.Err }

// Options are the callbacks of a walk. Any of them may be nil.
type Options struct {
	// OnProblem receives each input error; the walk goes on after it.
	OnProblem func(Problem)
	// OnSkip receives each file that gives no report because its format is
	// not supported, it is not a regular file or it holds no text, with the
	// reason.
	OnSkip func(path, reason string)
	// OnFile is called before each supported file is read, with its size
	// on disk (compressed size for gzip files).
	OnFile func(path string, size int64)
	// OCR, if set, reads the text of the PDF pages that have none (scans),
	// from their image rendered by PDFium; see Tesseract.
	OCR OCR
}

// WalkCounts counts what a walk did: the files it opened, skipped and
// failed on, and the reports it gave.
type WalkCounts struct {
	// Files is the number of supported files opened.
	Files int
	// Reports is the number of reports passed to emit.
	Reports int
	// Skipped is the number of files passed to Options.OnSkip: of an
	// unsupported format, not regular files, or without text.
	Skipped int
	// Failed is the number of problems reported: files that could not be
	// read, and records or fields that were rejected.
	Failed int
	// Bytes is the size on disk of the files opened.
	Bytes int64
}
