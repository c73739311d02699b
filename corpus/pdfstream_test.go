package corpus

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/klippa-app/go-pdfium"
)

// chapterPages returns n raw pages with a running header for the whole
// document, a chapter header that changes every chapter pages, a body
// line, a "}" line ending two pages out of three (as code listings do) and
// a page number footer.
func chapterPages(n, chapter int) []string {
	pages := make([]string, n)
	for i := range pages {
		pages[i] = fmt.Sprintf("Rapport sur l'eau potable\nChapitre consacré à %s (%d)\n%s", frObjects[(i/chapter)%len(frObjects)], i/chapter+1, chapterBody(i))
	}
	return pages
}

// chapterBody is what stays of page i of chapterPages.
func chapterBody(i int) string {
	end := ""
	if i%3 != 2 {
		end = "\n}"
	}
	return fmt.Sprintf("%s %s, page %d.%s\n%d", frSubjects[i%len(frSubjects)], frVerbs[i%7], i+1, end, i+1)
}

// TestPageCleanerWindow checks the running headers found on a window of
// pages: a header of the whole document and chapter headers (each on
// fewer than half of the pages) are removed, page numbers and wordless
// lines ("}") kept, on short documents (the window is the document) and
// long ones; and the cleaner holds at most runningWindow+1 pages.
func TestPageCleanerWindow(t *testing.T) {
	for _, tc := range []struct{ pages, chapter int }{
		{5, 5}, {12, 6}, {40, 40}, {41, 21}, {120, 30}, {1000, 25}, {300, 300},
	} {
		t.Run(fmt.Sprintf("%d pages, chapters of %d", tc.pages, tc.chapter), func(t *testing.T) {
			raw := chapterPages(tc.pages, tc.chapter)
			var c pageCleaner
			var got []string
			held := 0
			for _, p := range raw {
				got = append(got, c.push(p)...)
				held = max(held, len(c.buf))
			}
			got = append(got, c.flush()...)
			if len(got) != tc.pages {
				t.Fatalf("%d pages out; want %d", len(got), tc.pages)
			}
			if held > runningWindow+1 {
				t.Errorf("held %d pages at once; want at most %d", held, runningWindow+1)
			}
			for i, p := range got {
				want := chapterBody(i)
				if p != want {
					t.Fatalf("page %d = %q; want %q", i+1, p, want)
				}
			}
		})
	}
	// A line on fewer than half of the pages of the window stays.
	raw := chapterPages(100, 100)
	for i := range raw {
		if i%3 != 0 {
			raw[i] = strings.Replace(raw[i], "Rapport sur l'eau potable", "Rapport sur l'eau", 1)
		}
	}
	for i, p := range cleanPages(raw) {
		if has := strings.HasPrefix(p, "Rapport sur l'eau potable\n"); has != (i%3 == 0) {
			t.Fatalf("page %d = %q: the line on a third of the pages must stay, the other go", i+1, p)
		}
	}
}

// TestPartBuilderAsSplitParts checks that the parts built page by page,
// as a PDF is read, are those SplitParts cuts from the whole report: same
// bodies, first pages and page starts, on pages of random sizes (empty
// pages, pages longer than a part).
func TestPartBuilderAsSplitParts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for round := range 40 {
		n := 1 + rng.IntN(300)
		pages := make([]string, n)
		for i := range pages {
			size := rng.IntN(6000)
			switch rng.IntN(20) {
			case 0:
				size = 0
			case 1:
				size = MaxPartSize + rng.IntN(MaxPartSize)
			}
			pages[i] = strings.TrimSpace(strings.Repeat("mot ", size/4+1)[:size])
		}
		var got []pagePart
		b := &partBuilder{send: func(p pagePart) error { got = append(got, p); return nil }}
		for _, p := range pages {
			if err := b.add(p); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.finish(); err != nil {
			t.Fatal(err)
		}
		body, starts := joinPages(pages)
		want := SplitParts(Report{Body: body, PageStarts: starts, FirstPage: 1})
		if len(got) != len(want) {
			t.Fatalf("round %d (%d pages, %d bytes): %d parts built; SplitParts gives %d", round, n, len(body), len(got), len(want))
		}
		for i, w := range want {
			g := got[i]
			if g.body != w.Body || g.firstPage != w.FirstPage || !slices.Equal(g.starts, w.PageStarts) {
				t.Fatalf("round %d part %d: built (%d bytes, page %d, starts %v); SplitParts (%d bytes, page %d, starts %v)",
					round, i+1, len(g.body), g.firstPage, g.starts, len(w.Body), w.FirstPage, w.PageStarts)
			}
			if wantPart := i + 1; len(want) == 1 && g.part != 0 || len(want) > 1 && g.part != wantPart {
				t.Fatalf("round %d part %d numbered %d", round, i+1, g.part)
			}
		}
	}
}

// TestPDFPartsStream checks that a long PDF's parts are passed on while
// its pages are read: the first part reaches emit before PDFium has read
// the last page, and the parts are titled with their pages.
func TestPDFPartsStream(t *testing.T) {
	const pages = 700
	data := frenchPDF(t, 9, pages, 12)
	readAt := map[string]int{} // ID → pages read when the part came
	var reps []Report
	old := pdfPageHook
	t.Cleanup(func() { pdfPageHook = old })
	read := 0
	pdfPageHook = func(int) { read++ }
	_, err := WalkFS(context.Background(), fstest.MapFS{"long.pdf": {Data: data}}, Options{}, func(r Report) error {
		readAt[r.ID] = read
		reps = append(reps, r)
		return nil
	})
	if err != nil || len(reps) < 3 {
		t.Fatalf("WalkFS: %d parts, %v; want several", len(reps), err)
	}
	if readAt[reps[0].ID] >= pages {
		t.Errorf("first part passed on after all %d pages were read", readAt[reps[0].ID])
	}
	last := reps[len(reps)-1]
	if end := last.FirstPage + len(last.PageStarts) - 1; end != pages {
		t.Errorf("last part ends on page %d; want %d", end, pages)
	}
	base, _, _ := strings.Cut(reps[0].Title, " (partie ")
	if !strings.HasPrefix(reps[0].Body, base) || base == "" {
		t.Errorf("title %q is not the first line of the text", base)
	}
	for i, r := range reps {
		want := fmt.Sprintf("%s (partie %d, p. %d–%d sur %d)", base, i+1, r.FirstPage, r.FirstPage+len(r.PageStarts)-1, pages)
		if r.Title != want {
			t.Errorf("part %d titled %q; want %q", i+1, r.Title, want)
		}
		if wantID := fmt.Sprintf("long.pdf#p%d", i+1); i > 0 && r.ID != wantID || i == 0 && r.ID != "long.pdf" {
			t.Errorf("part %d has ID %q", i+1, r.ID)
		}
		if strings.Contains(r.Body, "document de travail") {
			t.Errorf("part %d keeps the running header", i+1)
		}
	}
}

// TestPDFReopenSameText checks that opening the document again every few
// pages (which bounds PDFium's memory) gives the text read in one go.
func TestPDFReopenSameText(t *testing.T) {
	data := frenchPDF(t, 5, 60, 8)
	texts := func(reopen int) []string {
		old := pdfReopenPages
		defer func() { pdfReopenPages = old }()
		pdfReopenPages = reopen
		var out []string
		_, err := WalkFS(context.Background(), fstest.MapFS{"r.pdf": {Data: data}}, Options{}, func(r Report) error {
			out = append(out, r.Title, r.Body, fmt.Sprint(r.PageStarts))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	once, often := texts(0), texts(7)
	if !slices.Equal(once, often) || len(once) == 0 {
		t.Errorf("opened again every 7 pages: %d texts, differ from one opening (%d)", len(often), len(once))
	}
}

// TestPDFMemoryBounded reads a long real PDF, Debian's LilyPond notation
// manual in French (950 pages, 29 MB; apt-get install lilypond-doc-pdf-fr,
// or RAPPORTS_LONG_PDF=FILE), and checks that PDFium's linear memory stays
// under 64 MB plus the file's size; read in one opening, it grew to 246 MB.
func TestPDFMemoryBounded(t *testing.T) {
	name := os.Getenv("RAPPORTS_LONG_PDF")
	if name == "" {
		name = "/usr/share/doc/lilypond/html/Documentation/notation.fr.pdf"
	}
	info, err := os.Stat(name)
	if err != nil {
		t.Skipf("no long PDF to read (%v): apt-get install lilypond-doc-pdf-fr, or set RAPPORTS_LONG_PDF", err)
	}
	if !canMapMemory {
		t.Skip("linear memories are not mapped on this platform")
	}
	thePDFMemory.peak.Store(thePDFMemory.inUse.Load())
	n := 0
	_, err = Walk(context.Background(), name, Options{}, func(r Report) error {
		n += len(r.PageStarts)
		return nil
	})
	if err != nil || n == 0 {
		t.Fatalf("Walk(%s): %d pages, %v", name, n, err)
	}
	peak := thePDFMemory.peak.Load()
	t.Logf("%s: %d pages, linear memory peak %d MB", name, n, peak>>20)
	if limit := 64<<20 + info.Size(); peak > limit {
		t.Errorf("PDFium's linear memory reached %d MB on %s; want at most %d MB", peak>>20, name, limit>>20)
	}
}

// TestPDFMemoryFreedAfterKill checks that a linear memory freed while an
// instance is being killed stays mapped (the killed code may still run)
// until the kill ends, and is then unmapped.
func TestPDFMemoryFreedAfterKill(t *testing.T) {
	if !canMapMemory {
		t.Skip("linear memories are not mapped on this platform")
	}
	a := &pdfMemory{}
	m := a.allocator().Allocate(0, 1<<20)
	buf := m.Reallocate(64 << 10)
	buf[100] = 1
	if a.inUse.Load() != 64<<10 {
		t.Fatalf("in use %d; want %d", a.inUse.Load(), 64<<10)
	}
	buf = m.Reallocate(128 << 10)
	buf[100<<10] = 2 // grown in place
	if buf[100] != 1 {
		t.Fatal("growing lost the memory's content")
	}
	a.beginKill()
	m.Free()
	buf[100] = 3 // still mapped: would fault if unmapped
	if len(a.deferred) != 1 || a.inUse.Load() != 0 {
		t.Fatalf("freed during a kill: %d deferred, %d in use; want 1, 0", len(a.deferred), a.inUse.Load())
	}
	a.endKill()
	if len(a.deferred) != 0 {
		t.Fatalf("after the kill: %d mappings still deferred", len(a.deferred))
	}
	m2 := a.allocator().Allocate(0, 1<<20)
	m2.Reallocate(64 << 10)
	m2.Free() // no kill: unmapped at once
	if len(a.deferred) != 0 || a.inUse.Load() != 0 {
		t.Fatalf("freed outside a kill: %d deferred, %d in use", len(a.deferred), a.inUse.Load())
	}
}

// TestPDFTimeLimitPausedInWait checks that the time limit counts the time
// in PDFium only: waiting (for the walk to take the pages) longer than the
// limit does not stop the file, while PDFium time past the limit does.
func TestPDFTimeLimitPausedInWait(t *testing.T) {
	eng, err := pdfEngineFor()
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	err = eng.withInstance(ctx, 300*time.Millisecond, false, func(_ pdfium.Pdfium, wait func(func() error) error) error {
		for range 3 {
			if err := wait(func() error { time.Sleep(200 * time.Millisecond); return nil }); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Errorf("600 ms of waits under a 300 ms limit: %v; want no error", err)
	}
	err = eng.withInstance(ctx, 100*time.Millisecond, false, func(inst pdfium.Pdfium, wait func(func() error) error) error {
		wait(func() error { time.Sleep(150 * time.Millisecond); return nil }) //nolint:errcheck // returns nil
		time.Sleep(300 * time.Millisecond)                                    // as if in PDFium
		return nil
	})
	if err == nil || !strings.Contains(err.Error(), "took too long") {
		t.Errorf("300 ms outside waits under a 100 ms limit: %v; want took too long", err)
	}
}

// TestPDFExtractionParallel checks that PDF files are read on every core
// at once: with GOMAXPROCS 2, two files are in PDFium together (each
// first page waits, at most 10 s, until two files were in at once).
func TestPDFExtractionParallel(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	if extractWorkers() != 2 {
		t.Fatalf("extractWorkers() = %d with GOMAXPROCS 2", extractWorkers())
	}
	fsys := fstest.MapFS{}
	for i := range 6 {
		fsys[fmt.Sprintf("r%d.pdf", i)] = &fstest.MapFile{Data: frenchPDF(t, uint64(i), 3, 4)}
	}
	old := pdfPageHook
	t.Cleanup(func() { pdfPageHook = old })
	pdfMaxInFlight.Store(0)
	pdfPageHook = func(i int) {
		for deadline := time.Now().Add(10 * time.Second); i == 0 && pdfMaxInFlight.Load() < 2 && time.Now().Before(deadline); {
			time.Sleep(time.Millisecond)
		}
	}
	n := 0
	_, err := WalkFS(context.Background(), fsys, Options{}, func(Report) error { n++; return nil })
	if err != nil || n != 6 {
		t.Fatalf("WalkFS: %d reports, %v; want 6", n, err)
	}
	if got := pdfMaxInFlight.Load(); got != 2 {
		t.Errorf("at most %d files in PDFium at once; want 2 (one per core)", got)
	}
}
