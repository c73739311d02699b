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
	"time"
	"unicode"

	"github.com/klippa-app/go-pdfium"
	pdfiumerr "github.com/klippa-app/go-pdfium/errors"
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

// pdfDoc is what PDFium reads from a PDF file.
type pdfDoc struct {
	pages   []string // raw text of each page, as PDFium gives it
	title   string   // /Info Title
	created string   // /Info CreationDate, as written ("D:20240615…")
	// scanned lists the 1-based pages without text (candidates for OCR).
	scanned []int
}

// errPDFTimeout is wrapped by the problem of a PDF that took longer than
// PDFTimeout.
var errPDFTimeout = errors.New("took too long")

// withInstance runs fn on a PDFium instance, killing it when ctx is done
// or the time limit passes. An instance is reused for the next file unless
// it was killed, fn failed or panicked, or discard is set.
func (e *pdfEngine) withInstance(ctx context.Context, limit time.Duration, discard bool, fn func(inst pdfium.Pdfium) error) error {
	inst, err := e.pool.GetInstanceWithContext(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return fmt.Errorf("PDFium instance: %w", err)
	}
	done := make(chan error, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- fmt.Errorf("PDFium failed: %v", p)
			}
		}()
		done <- fn(inst)
	}()
	timer := time.NewTimer(limit)
	defer timer.Stop()
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
	case <-timer.C:
		inst.Kill() //nolint:errcheck // the instance is being thrown away
		<-done
		return fmt.Errorf("%w: stopped after %v", errPDFTimeout, limit)
	case <-ctx.Done():
		inst.Kill() //nolint:errcheck // the instance is being thrown away
		<-done
		return ctx.Err()
	}
}

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

// read extracts the text of every page of data and its metadata. ocr, if
// not nil, is run on the image of each page without text, and its text
// stands for the page's.
func (e *pdfEngine) read(ctx context.Context, data []byte, ocr OCR) (*pdfDoc, error) {
	doc := &pdfDoc{}
	err := e.withInstance(ctx, PDFTimeout, len(data) > pdfRecycleBytes, func(inst pdfium.Pdfium) error {
		opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
		if err != nil {
			return pdfOpenError(err)
		}
		defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: opened.Document}) //nolint:errcheck // closed with the instance anyway
		count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: opened.Document})
		if err != nil {
			return fmt.Errorf("%w: page count: %v", ErrDamaged, err)
		}
		if md, err := inst.GetMetaData(&requests.GetMetaData{Document: opened.Document, Tags: &[]string{"Title", "CreationDate"}}); err == nil {
			for _, t := range md.Tags {
				switch t.Tag {
				case "Title":
					doc.title = t.Value
				case "CreationDate":
					doc.created = t.Value
				}
			}
		}
		for i := range count.PageCount {
			if err := ctx.Err(); err != nil {
				return err
			}
			page := requests.Page{ByIndex: &requests.PageByIndex{Document: opened.Document, Index: i}}
			text, err := pageText(inst, page)
			if err != nil {
				return fmt.Errorf("%w: page %d: %v", ErrDamaged, i+1, err)
			}
			if !hasLetters(text) {
				if ocr != nil {
					img, cleanup, err := renderPage(inst, page)
					if err != nil {
						return fmt.Errorf("page %d: rendering for OCR: %w", i+1, err)
					}
					text, err = ocr.Recognize(ctx, img)
					cleanup()
					if err != nil {
						return fmt.Errorf("page %d: OCR: %w", i+1, err)
					}
				}
				if !hasLetters(text) {
					doc.scanned = append(doc.scanned, i+1)
				}
			}
			doc.pages = append(doc.pages, text)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return doc, nil
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
