package corpus

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unsafe"

	"github.com/klauspost/compress/gzip"
)

// MaxFileSize is the largest whole-file report (text, Markdown, HTML or a
// JSON document) read; bigger files are reported and skipped. JSON Lines
// files stream and have no size limit, only MaxLineSize.
const MaxFileSize = 256 << 20

// MaxLineSize is the longest JSON Lines line read; longer lines are
// reported and skipped.
const MaxLineSize = 64 << 20

// dateWindow is how far into a text the date is looked for when no header
// or field gives it.
const dateWindow = 1500

// walker carries the state of one walk.
type walker struct {
	opts  Options
	emit  func(Report) error
	stats WalkCounts
	// emitErr is set when emit fails, to tell it from input problems.
	emitErr error
	// jobs are the files being read in the background, oldest first;
	// jobCtx is their context, stopJobs cancels it.
	jobs     []*job
	jobCtx   context.Context
	stopJobs context.CancelFunc
}

func (w *walker) problem(p Problem) {
	w.stats.Failed++
	if w.opts.OnProblem != nil {
		w.opts.OnProblem(p)
	}
}

// send finishes r (countries, hash) and passes it to emit, in parts when
// its body is longer than MaxPartSize.
func (w *walker) send(r Report) error {
	for _, p := range SplitParts(r) {
		finish(&p)
		w.stats.Reports++
		if err := w.emit(p); err != nil {
			w.emitErr = err
			return err
		}
	}
	return nil
}

// Walk reads the reports of root, a file or a folder, and passes each to
// emit in a deterministic order: files sorted by name, folders recursively.
// Hidden files and folders (name starting with ".") are skipped, symbolic
// links are followed, and link loops and unreadable files are reported
// through opts.OnProblem without stopping the walk. A report's ID is its
// path relative to root with "/" separators (the base name when root is a
// file), or the id field of JSON input. Walk returns emit's first error,
// ctx's error when ctx is done, or an error when root cannot be read.
func Walk(ctx context.Context, root string, opts Options, emit func(Report) error) (WalkCounts, error) {
	w := &walker{opts: opts, emit: emit}
	info, err := os.Stat(root)
	if err != nil {
		return w.stats, fmt.Errorf("corpus: %w", err)
	}
	if !info.IsDir() {
		err = w.file(ctx, root, filepath.Base(root), info.Size(), func() (io.ReadCloser, error) { return os.Open(root) })
		return w.stats, w.finishJobs(ctx, err)
	}
	err = w.dir(ctx, root, "", []os.FileInfo{info})
	return w.stats, w.finishJobs(ctx, err)
}

// dir walks the folder abs (rel from the root); stack holds the folders
// above it, to detect symbolic link loops.
func (w *walker) dir(ctx context.Context, abs, rel string, stack []os.FileInfo) error {
	entries, err := os.ReadDir(abs)
	if err != nil {
		w.problem(Problem{Path: abs, Err: fmt.Errorf("reading folder: %w", unwrapPath(err))})
	}
	for _, e := range entries {
		if err := ctx.Err(); err != nil {
			return err
		}
		name := e.Name()
		if strings.HasPrefix(name, ".") {
			continue
		}
		p, r := filepath.Join(abs, name), path.Join(rel, name)
		info, err := e.Info()
		if err == nil && info.Mode()&fs.ModeSymlink != 0 {
			info, err = os.Stat(p)
			if err != nil {
				w.problem(Problem{Path: p, Err: fmt.Errorf("symbolic link: %w", unwrapPath(err))})
				continue
			}
		}
		if err != nil {
			w.problem(Problem{Path: p, Err: unwrapPath(err)})
			continue
		}
		if info.IsDir() {
			loop := false
			for _, a := range stack {
				if os.SameFile(a, info) {
					loop = true
					break
				}
			}
			if loop {
				w.problem(Problem{Path: p, Err: errors.New("symbolic link loop: leads back to a folder above it, not followed")})
				continue
			}
			if err := w.dir(ctx, p, r, append(stack, info)); err != nil {
				return err
			}
			continue
		}
		if !info.Mode().IsRegular() {
			w.skip(p, "not a regular file")
			continue
		}
		if err := w.file(ctx, p, r, info.Size(), func() (io.ReadCloser, error) { return os.Open(p) }); err != nil {
			return err
		}
	}
	return nil
}

// unwrapPath drops the *fs.PathError wrapper, whose path the Problem
// already carries.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}

// WalkFS is Walk over fsys, from its root ".": IDs and paths are fsys
// paths. It suits embedded corpora (embed.FS) and tests (fstest.MapFS).
func WalkFS(ctx context.Context, fsys fs.FS, opts Options, emit func(Report) error) (WalkCounts, error) {
	w := &walker{opts: opts, emit: emit}
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if cerr := ctx.Err(); cerr != nil {
			return cerr
		}
		if err != nil {
			w.problem(Problem{Path: p, Err: unwrapPath(err)})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if p != "." && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			w.skip(p, "not a regular file")
			return nil
		}
		var size int64
		if info, err := d.Info(); err == nil {
			size = info.Size()
		}
		return w.file(ctx, p, p, size, func() (io.ReadCloser, error) { return fsys.Open(p) })
	})
	return w.stats, w.finishJobs(ctx, err)
}

func (w *walker) skip(p, reason string) {
	w.stats.Skipped++
	if w.opts.OnSkip != nil {
		w.opts.OnSkip(p, reason)
	}
}

// file reads one file: display names it in problems, rel is its path
// relative to the root. Only emit's error and ctx's error are returned;
// input errors are reported as problems. The files of heavy formats are
// read in the background, up to extractWorkers at once, and their reports
// passed on in walk order; the other files are read here, after those
// before them.
func (w *walker) file(ctx context.Context, display, rel string, size int64, open func() (io.ReadCloser, error)) error {
	f, _, gz := formatOf(rel)
	if f == nil {
		ext := path.Ext(strings.ToLower(rel))
		if ext == "" {
			w.skip(display, "no file extension")
		} else {
			w.skip(display, fmt.Sprintf("unsupported format %q", ext))
		}
		return nil
	}
	if !f.heavy {
		if err := w.drain(ctx, 0); err != nil {
			return err
		}
	}
	w.stats.Files++
	w.stats.Bytes += size
	if w.opts.OnFile != nil {
		w.opts.OnFile(display, size)
	}
	src := &source{w: w, ctx: ctx, display: display, rel: rel, size: size}
	if !f.heavy {
		return w.result(ctx, src, src.read(f, gz, open))
	}
	if err := w.drain(ctx, extractWorkers()-1); err != nil {
		return err
	}
	if w.jobCtx == nil {
		w.jobCtx, w.stopJobs = context.WithCancel(ctx)
	}
	j := &job{src: src, events: make(chan event, 4)}
	src.ctx, src.events = w.jobCtx, j.events
	w.jobs = append(w.jobs, j)
	go func() {
		defer close(j.events)
		if err := src.read(f, gz, open); err != nil {
			j.err = err // read after events is closed
		}
	}()
	return nil
}

// result handles the error of reading the file of s: emit's error and
// ctx's error are returned, input errors reported as a problem.
func (w *walker) result(ctx context.Context, s *source, err error) error {
	if w.emitErr != nil {
		return w.emitErr
	}
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	if err != nil {
		w.problem(Problem{Path: s.display, Err: err})
	}
	return nil
}

// job is a file being read in the background; its reports, problems and
// skips come through events, in order.
type job struct {
	src    *source
	events chan event
	err    error // the file's error, set before events is closed
}

// event is what a background file gives: a report, a problem or a skip.
type event struct {
	report  *Report
	problem *Problem
	skip    string // reason
}

// drain waits for the oldest background files until at most keep remain,
// passing their reports on. On emit's error or ctx's, it stops the other
// background files and returns the error.
func (w *walker) drain(ctx context.Context, keep int) error {
	for len(w.jobs) > max(keep, 0) {
		j := w.jobs[0]
		w.jobs = w.jobs[1:]
		err := w.emitErr
		for ev := range j.events {
			if err != nil {
				continue // stopping: the reader sees its context done
			}
			switch {
			case ev.report != nil:
				err = w.send(*ev.report)
			case ev.problem != nil:
				w.problem(*ev.problem)
			default:
				w.skip(j.src.display, ev.skip)
			}
		}
		if err == nil {
			err = w.result(ctx, j.src, j.err)
		}
		if err != nil {
			w.stopJobs()
			for _, j := range w.jobs {
				for range j.events {
				}
			}
			w.jobs = nil
			return err
		}
	}
	return nil
}

// finishJobs passes on the reports of the background files left after the
// walk, unless the walk failed with err, and releases them.
func (w *walker) finishJobs(ctx context.Context, err error) error {
	if err == nil {
		err = w.drain(ctx, 0)
	} else if w.stopJobs != nil {
		w.stopJobs()
		for _, j := range w.jobs {
			for range j.events {
			}
		}
		w.jobs = nil
	}
	if w.stopJobs != nil {
		w.stopJobs()
	}
	return err
}

// read opens the file of s and reads it in format f (gz: through gzip).
func (s *source) read(f *fileFormat, gz bool, open func() (io.ReadCloser, error)) error {
	rc, err := open()
	if err != nil {
		return unwrapPath(err)
	}
	defer rc.Close()
	var r io.Reader = rc
	size := s.size
	if gz {
		zr, err := gzip.NewReader(r)
		if err != nil {
			return fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		r = zr
		size = -1 // unknown once decompressed
	} else {
		size = max(size, 0)
	}
	s.size = size
	return f.read(s, r)
}

// source is one file being read.
type source struct {
	w       *walker
	ctx     context.Context
	display string
	rel     string
	size    int64 // bytes to read, -1 if unknown
	// events, for a file read in the background, takes its reports,
	// problems and skips to the walk; nil for a file read by the walk.
	events chan<- event
}

// problem reports an input problem of the file.
func (s *source) problem(p Problem) {
	if s.events == nil {
		s.w.problem(p)
		return
	}
	s.post(event{problem: &p}) //nolint:errcheck // a problem is dropped when the walk stops
}

// skip reports the file as skipped, with the reason.
func (s *source) skip(display, reason string) {
	if s.events == nil {
		s.w.skip(display, reason)
		return
	}
	s.post(event{skip: reason}) //nolint:errcheck // dropped when the walk stops
}

// send passes on a report of the file (see walker.send).
func (s *source) send(r Report) error {
	if s.events == nil {
		return s.w.send(r)
	}
	return s.post(event{report: &r})
}

// post sends ev to the walk, or returns the context's error when the walk
// stops.
func (s *source) post(ev event) error {
	select {
	case s.events <- ev:
		return nil
	case <-s.ctx.Done():
		return s.ctx.Err()
	}
}

// readAll reads a whole-file report, up to MaxFileSize; size, when known
// (not -1), sizes the buffer.
func readAll(r io.Reader, size int64) ([]byte, error) {
	var b []byte
	var err error
	if size >= 0 && size <= MaxFileSize {
		b = make([]byte, 0, size+1)
		for err == nil && len(b) <= MaxFileSize {
			if len(b) == cap(b) {
				b = append(b, 0)[:len(b)]
			}
			var n int
			n, err = r.Read(b[len(b):cap(b)])
			b = b[:len(b)+n]
		}
		if err == io.EOF {
			err = nil
		}
	} else {
		b, err = io.ReadAll(io.LimitReader(r, MaxFileSize+1))
	}
	if err != nil {
		return nil, fmt.Errorf("reading: %w", unwrapPath(err))
	}
	if len(b) > MaxFileSize {
		return nil, fmt.Errorf("larger than %d MB, skipped", MaxFileSize>>20)
	}
	return b, nil
}

// readText reads a plain text file as one report.
func readText(s *source, r io.Reader) error { return s.readHeaded(r, false) }

// readMarkdown reads a Markdown file as one report.
func readMarkdown(s *source, r io.Reader) error { return s.readHeaded(r, true) }

// readHeaded reads a text or Markdown file, with its optional header
// lines, as one report.
func (s *source) readHeaded(r io.Reader, markdown bool) error {
	text, err := s.readText(r)
	if err != nil {
		return err
	}
	problem := func(line int, err error) { s.problem(Problem{Path: s.display, Line: line, Err: err}) }
	h, body := parseHeader(text, problem)
	rep := Report{ID: s.rel, Path: s.rel, Title: h.title, Source: h.source, URL: h.url, Countries: h.countries}
	if rep.Title == "" {
		rep.Title, body = splitTitle(body, markdown)
	}
	if markdown {
		rep.Title, body = markdownText(rep.Title), markdownText(body)
	}
	rep.Body = strings.TrimSpace(body)
	return s.sendDocument(rep, h, Date{})
}

// readHTML reads an HTML page as one report.
func readHTML(s *source, r io.Reader) error {
	text, err := s.readText(r)
	if err != nil {
		return err
	}
	rep := Report{ID: s.rel, Path: s.rel}
	rep.Title, rep.Body = htmlText(text)
	return s.sendDocument(rep, header{}, Date{})
}

// readText reads the whole file as text (see decodeText).
func (s *source) readText(r io.Reader) (string, error) {
	raw, err := readAll(r, s.size)
	if err != nil {
		return "", err
	}
	return decodeText(raw)
}

// sendDocument sends rep, the one report of a document file, unless it has
// no text. Its date is the header's h, else the first date written in its
// title or near the start of its body (see textDate), else (not when the
// header's date was bad) meta, the date of the file's properties, marked
// as such in Report.DateSource.
func (s *source) sendDocument(rep Report, h header, meta Date) error {
	if strings.TrimSpace(rep.Body) == "" && rep.Title == "" {
		s.skip(s.display, "no text")
		return nil
	}
	switch {
	case h.hasDate:
		rep.Date = h.date
	case h.badDate:
	default:
		rep.Date = textDate(rep.Title, rep.Body)
		if rep.Date.IsZero() && !meta.IsZero() {
			rep.Date, rep.DateSource = meta, DateFromMetadata
		}
	}
	return s.send(rep)
}

// finish completes a report whose Countries hold the header or field
// countries: it adds the countries named in the title and body, counts the
// mentions, finds the organisations named, and computes the hash.
func finish(r *Report) {
	texts := []string{r.Body}
	if t := strings.TrimSuffix(r.Title, "…"); !strings.HasPrefix(r.Body, t) {
		// The title is not the body's start: count it too, first.
		texts = []string{r.Title, r.Body}
	}
	codes, counts, orgs, orgCounts := findNames(texts, true, true)
	given := r.Countries
	all := make([]string, 0, len(given)+len(codes))
	mentions := make([]int, 0, len(given)+len(codes))
	for _, c := range given {
		n := 1
		for i, f := range codes {
			if f == c {
				n = max(counts[i], 1)
				break
			}
		}
		all = append(all, c)
		mentions = append(mentions, n)
	}
	for i, c := range codes {
		dup := false
		for _, g := range given {
			if g == c {
				dup = true
				break
			}
		}
		if !dup {
			all = append(all, c)
			mentions = append(mentions, counts[i])
		}
	}
	if len(all) == 0 {
		all, mentions = nil, nil
	}
	r.Countries, r.Mentions = all, mentions
	r.Organizations, r.OrgMentions = orgs, orgCounts
	r.Hash = hashReport(r)
}

// hashReport digests every field of r but the hash itself.
func hashReport(r *Report) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	field := func(f string) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(f)))])
		h.Write(unsafe.Slice(unsafe.StringData(f), len(f))) // read only
	}
	field(r.ID)
	field(r.Path)
	field(r.Title)
	field(r.Date.String())
	field(strings.Join(r.Countries, ","))
	for _, m := range r.Mentions {
		h.Write(n[:binary.PutUvarint(n[:], uint64(m))])
	}
	field(strings.Join(r.Organizations, ","))
	for _, m := range r.OrgMentions {
		h.Write(n[:binary.PutUvarint(n[:], uint64(m))])
	}
	field(r.Source)
	field(r.URL)
	field(r.Body)
	// The fields added later count only when set, so that the hashes of
	// the reports that lack them stay the same from version to version.
	if r.DateSource != "" || r.FirstPage != 0 {
		field(r.DateSource)
		h.Write(n[:binary.PutUvarint(n[:], uint64(r.FirstPage))])
		for _, p := range r.PageStarts {
			h.Write(n[:binary.PutUvarint(n[:], uint64(p))])
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
