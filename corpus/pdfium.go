package corpus

import (
	"context"
	"errors"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	pdfiumerr "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"
)

// PDFTimeout is the longest the text extraction of one PDF file may take;
// a file that takes longer (a hostile or broken file that makes PDFium
// loop) is stopped and reported, and the walk goes on.
var PDFTimeout = 5 * time.Minute

// pdfMemoryPages bounds the memory of one PDFium instance, in WebAssembly
// pages of 64 KiB: 1 GiB, enough for a MaxFileSize PDF and its pages.
const pdfMemoryPages = 1 << 14

// pdfRecycleBytes is the size of a PDF file after which the instance
// that read it is thrown away rather than reused: PDFium's memory only
// grows, and an instance keeps what the biggest file it read needed.
const pdfRecycleBytes = 16 << 20

// pdfEngine runs PDFium compiled to WebAssembly on wazero: no cgo, no
// external program, and a crash inside PDFium stays inside its sandbox
// (the instance is thrown away). It has one instance per worker.
type pdfEngine struct {
	pool pdfium.Pool
}

var (
	pdfOnce   sync.Once
	thePDF    *pdfEngine
	thePDFErr error
)

// pdfEngineFor returns the process-wide PDFium engine, starting it on
// first use. Compiling PDFium's WebAssembly takes seconds; the compiled
// code is cached in the user cache folder (rapports/wazero), so that later
// runs start in a fraction of a second.
func pdfEngineFor() (*pdfEngine, error) {
	pdfOnce.Do(func() {
		cfg := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithCloseOnContextDone(true).
			WithMemoryLimitPages(pdfMemoryPages)
		if dir, err := os.UserCacheDir(); err == nil {
			if cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "rapports", "wazero")); err == nil {
				cfg = cfg.WithCompilationCache(cache)
			}
		}
		workers := extractWorkers()
		pool, err := webassembly.Init(webassembly.Config{
			// Linear memories outside the Go heap (see pdfMemory).
			Context:       experimental.WithMemoryAllocator(context.Background(), thePDFMemory.allocator()),
			MinIdle:       0,
			MaxIdle:       workers,
			MaxTotal:      workers,
			RuntimeConfig: cfg,
			FSConfig:      wazero.NewFSConfig(), // no file system: PDFs are passed as bytes
			Stdout:        io.Discard,
			Stderr:        io.Discard,
			// An instance reads file after file: a new one per file (the
			// default) cost 15% more CPU and 70 MB more peak RSS on 200
			// 10-page PDFs (garbage linear memories). One that read a big
			// file is thrown away after it (pdfRecycleBytes), so that the
			// memory it grew to is not kept.
			ReuseWorkers: true,
		})
		if err != nil {
			thePDFErr = fmt.Errorf("starting PDFium: %w", err)
			return
		}
		thePDF = &pdfEngine{pool: pool}
	})
	return thePDF, thePDFErr
}

// extractWorkers is the number of files of the heavy formats (PDF, DOCX,
// ODT) read at once: one per core.
func extractWorkers() int { return max(1, runtime.GOMAXPROCS(0)) }

// pdfInfo is what PDFium tells of a document before its pages.
type pdfInfo struct {
	pages   int    // page count
	title   string // /Info Title
	created string // /Info CreationDate, as written ("D:20240615…")
}

// pdfReopenPages is how many pages are read from one opening of a
// document: PDFium keeps per-document caches (fonts, objects) that grow
// with the pages read, so the document is closed and opened again after
// so many pages, which bounds its memory whatever the page count (see
// TestPDFMemoryBounded).
var pdfReopenPages = 100

// pdfInFlight counts the files being read by PDFium at once, and
// pdfMaxInFlight the most at once (one per core: see extractWorkers).
var pdfInFlight, pdfMaxInFlight atomic.Int32

// pdfPageHook, when set (by tests), is called with each page's index once
// PDFium has read it.
var pdfPageHook func(i int)

// errPDFTimeout is wrapped by the problem of a PDF that took longer than
// PDFTimeout.
var errPDFTimeout = errors.New("took too long")

// withInstance runs fn on a PDFium instance, killing it when ctx is done
// or the time limit passes. The limit counts the time spent in PDFium:
// fn runs what may wait on others (passing pages on) through the wait it
// is given, which stops the clock. An instance is reused for the next file
// unless it was killed, fn failed or panicked, or discard is set.
func (e *pdfEngine) withInstance(ctx context.Context, limit time.Duration, discard bool, fn func(inst pdfium.Pdfium, wait func(func() error) error) error) error {
	inst, err := e.pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("PDFium instance: %w", err)
	}
	n := pdfInFlight.Add(1)
	defer pdfInFlight.Add(-1)
	for m := pdfMaxInFlight.Load(); n > m && !pdfMaxInFlight.CompareAndSwap(m, n); m = pdfMaxInFlight.Load() {
	}
	clock := newPausableTimer(limit)
	defer clock.stop()
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("PDFium failed: %v", p)
			}
		}()
		done <- fn(inst, clock.wait)
	}()
	kill := func() {
		// The instance's code may still run: its memory is unmapped only
		// once it stopped.
		thePDFMemory.beginKill()
		defer thePDFMemory.endKill()
		inst.Kill() //nolint:errcheck // the instance is being thrown away
		<-done
	}
	for {
		select {
		case err := <-done:
			// After a failure (a damaged file, a panic) the instance's state
			// is not trusted: it is not reused.
			if discard || err != nil {
				inst.Kill() //nolint:errcheck // the instance is being thrown away
				return err
			}
			if cerr := inst.Close(); cerr != nil && err == nil {
				err = fmt.Errorf("closing PDFium instance: %w", cerr)
			}
			return err
		case <-clock.C():
			if !clock.expired() {
				continue // paused in a wait: the clock goes on after it
			}
			kill()
			return fmt.Errorf("%w: stopped after %v", errPDFTimeout, limit)
		case <-ctx.Done():
			kill()
			return ctx.Err()
		}
	}
}

// pausableTimer is a time limit whose clock stops during waits.
type pausableTimer struct {
	mu     sync.Mutex
	timer  *time.Timer
	left   time.Duration // time left when the clock last started
	start  time.Time     // when the clock last started; zero while paused
	paused int
}

func newPausableTimer(limit time.Duration) *pausableTimer {
	return &pausableTimer{timer: time.NewTimer(limit), left: limit, start: time.Now()}
}

// C fires when the limit may have passed; check expired.
func (t *pausableTimer) C() <-chan time.Time { return t.timer.C }

// expired reports whether the limit passed (not while paused).
func (t *pausableTimer) expired() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.paused > 0 {
		return false
	}
	if rest := t.left - time.Since(t.start); rest > 0 {
		t.timer.Reset(rest)
		return false
	}
	return true
}

// wait runs fn with the clock stopped.
func (t *pausableTimer) wait(fn func() error) error {
	t.mu.Lock()
	if t.paused == 0 {
		t.left -= time.Since(t.start)
		t.timer.Stop()
	}
	t.paused++
	t.mu.Unlock()
	defer func() {
		t.mu.Lock()
		t.paused--
		if t.paused == 0 {
			t.start = time.Now()
			t.timer.Reset(max(t.left, 0))
		}
		t.mu.Unlock()
	}()
	return fn()
}

func (t *pausableTimer) stop() { t.timer.Stop() }

// pdfOpenError explains PDFium's error on opening a document.
func pdfOpenError(err error) error {
	switch {
	case errors.Is(err, pdfiumerr.ErrPassword):
		return fmt.Errorf("%w: the PDF is encrypted with a password", ErrEncrypted)
	case errors.Is(err, pdfiumerr.ErrSecurity):
		return fmt.Errorf("%w: the PDF uses an unsupported encryption", ErrEncrypted)
	case errors.Is(err, pdfiumerr.ErrFormat):
		return fmt.Errorf("%w: PDFium cannot read its structure", ErrDamaged)
	case errors.Is(err, pdfiumerr.ErrFile):
		return fmt.Errorf("%w: PDFium cannot read the file", ErrDamaged)
	}
	return fmt.Errorf("%w: %v", ErrDamaged, err)
}

// read extracts the text of data's pages one after the other: info is
// called first with the document's metadata, then page with each page's
// text, in order (0-based index), as PDFium gives it; both run through the
// time limit's wait, so that a page may wait for the pages before it to be
// indexed. ocr, if not nil, is run on the image of each page without text,
// and its text stands for the page's. The document is opened again every
// pdfReopenPages pages, so that PDFium's memory does not grow with the
// page count.
func (e *pdfEngine) read(ctx context.Context, data []byte, ocr OCR, info func(pdfInfo) error, page func(i int, text string) error) error {
	return e.withInstance(ctx, PDFTimeout, len(data) > pdfRecycleBytes, func(inst pdfium.Pdfium, wait func(func() error) error) error {
		open := func() (references.FPDF_DOCUMENT, func(), error) {
			opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
			if err != nil {
				return "", nil, pdfOpenError(err)
			}
			return opened.Document, func() {
				inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: opened.Document}) //nolint:errcheck // closed with the instance anyway
			}, nil
		}
		doc, closeDoc, err := open()
		if err != nil {
			return err
		}
		defer func() { closeDoc() }()
		count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
		if err != nil {
			return fmt.Errorf("%w: page count: %v", ErrDamaged, err)
		}
		in := pdfInfo{pages: count.PageCount}
		if md, err := inst.GetMetaData(&requests.GetMetaData{Document: doc, Tags: &[]string{"Title", "CreationDate"}}); err == nil {
			for _, t := range md.Tags {
				switch t.Tag {
				case "Title":
					in.title = t.Value
				case "CreationDate":
					in.created = t.Value
				}
			}
		}
		if err := wait(func() error { return info(in) }); err != nil {
			return err
		}
		for i := range count.PageCount {
			if err := ctx.Err(); err != nil {
				return err
			}
			if i > 0 && pdfReopenPages > 0 && i%pdfReopenPages == 0 {
				closeDoc()
				closeDoc = func() {}
				if doc, closeDoc, err = open(); err != nil {
					return fmt.Errorf("opening again at page %d: %w", i+1, err)
				}
			}
			pg := requests.Page{ByIndex: &requests.PageByIndex{Document: doc, Index: i}}
			text, err := pageText(inst, pg)
			if err != nil {
				return fmt.Errorf("%w: page %d: %v", ErrDamaged, i+1, err)
			}
			if !hasLetters(text) && ocr != nil {
				img, cleanup, err := renderPage(inst, pg)
				if err != nil {
					return fmt.Errorf("page %d: rendering for OCR: %w", i+1, err)
				}
				err = wait(func() error {
					var err error
					text, err = ocr.Recognize(ctx, img)
					return err
				})
				cleanup()
				if err != nil {
					return fmt.Errorf("page %d: OCR: %w", i+1, err)
				}
			}
			if pdfPageHook != nil {
				pdfPageHook(i)
			}
			if err := wait(func() error { return page(i, text) }); err != nil {
				return err
			}
		}
		return nil
	})
}

// pageText returns the text of a page, in PDFium's order, with its
// control marks (U+0002 for a hyphen at a line end). It asks for the
// page's text in one call (FPDFText_GetText): go-pdfium's GetPageText
// makes one WebAssembly call per character, each with its own goroutine
// watching the time limit, 3 to 4 times slower on pages of text.
func pageText(inst pdfium.Pdfium, page requests.Page) (string, error) {
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: page})
	if err != nil {
		return "", err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage}) //nolint:errcheck // released with the document anyway
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil {
		return "", err
	}
	if n.Count <= 0 {
		return "", nil
	}
	t, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, StartIndex: 0, Count: n.Count})
	if err != nil {
		return "", err
	}
	// As GetPageText: characters without a code (U+0000) are dropped, and
	// the hyphen at a line end, which FPDFText_GetText writes U+FFFE, is
	// PDFium's U+0002 (see normalizePage).
	return pageTextFix.Replace(t.Text), nil
}

// pageTextFix maps FPDFText_GetText's text to FPDFText_GetUnicode's.
var pageTextFix = strings.NewReplacer("\x00", "", "\ufffe", "\x02")

// ocrDPI is the resolution at which pages are rendered for OCR; Tesseract
// reads best around 300 dots per inch.
const ocrDPI = 300

// renderPage renders a page for OCR; cleanup releases the image.
func renderPage(inst pdfium.Pdfium, page requests.Page) (image.Image, func(), error) {
	r, err := inst.RenderPageInDPI(&requests.RenderPageInDPI{Page: page, DPI: ocrDPI})
	if err != nil {
		return nil, nil, err
	}
	return r.Result.Image, r.Cleanup, nil
}

// hasLetters reports whether s holds at least one letter or digit: a page
// with only spaces, line ends or PDFium's control marks has no text layer.
func hasLetters(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
