package corpus

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/requests"
)

// TestOCRScannedPage renders a text page with PDFium, makes a scan of it
// (a PDF whose page is only that image) and reads it with Tesseract. It
// skips when Tesseract with French is not installed.
func TestOCRScannedPage(t *testing.T) {
	ocr, err := NewTesseract()
	if err != nil {
		t.Skipf("no OCR: %v", err)
	}
	text := makePDF(t, pdfSpec{pages: []string{"Le gouvernement du Burkina Faso publie son rapport annuel sur la santé."}})
	eng, err := pdfEngineFor()
	if err != nil {
		t.Fatal(err)
	}
	var img bytes.Buffer
	err = eng.withInstance(context.Background(), time.Minute, false, func(inst pdfium.Pdfium, _ func(func() error) error) error {
		doc, err := inst.OpenDocument(&requests.OpenDocument{File: &text})
		if err != nil {
			return err
		}
		im, cleanup, err := renderPage(inst, requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: 0}})
		if err != nil {
			return err
		}
		defer cleanup()
		return png.Encode(&img, im)
	})
	if err != nil {
		t.Fatal(err)
	}
	scan := makePDF(t, pdfSpec{pages: []string{"x"}, images: map[int][]byte{0: img.Bytes()}})
	_, _, skips := walkOne(t, fstest.MapFS{"scan.pdf": {Data: scan}}, Options{})
	if len(skips) != 1 || !strings.Contains(skips[0], ScannedReason) {
		t.Fatalf("without OCR: skips %v; want the scan listed", skips)
	}
	reps, problems, _ := walkOne(t, fstest.MapFS{"scan.pdf": {Data: scan}}, Options{OCR: ocr})
	if len(reps) != 1 || len(problems) > 0 {
		t.Fatalf("with OCR: %d reports, problems %v", len(reps), problems)
	}
	if !strings.Contains(reps[0].Body, "Burkina") || !strings.Contains(reps[0].Body, "rapport annuel") {
		t.Errorf("OCR text %q lacks the page's words", reps[0].Body)
	}
}
