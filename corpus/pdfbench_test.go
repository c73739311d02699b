package corpus

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/klippa-app/go-pdfium"
	"github.com/klippa-app/go-pdfium/requests"
)

// French words for generated reports: written for these tests, not taken
// from any corpus.
var (
	frSubjects = []string{"Le gouvernement", "La délégation", "Le ministère de l'Économie", "L'Assemblée nationale",
		"La commission d'enquête", "Le rapporteur spécial", "L'agence régionale", "Le conseil municipal",
		"La Cour des comptes", "L'organisation humanitaire", "Le préfet", "La mission d'observation"}
	frVerbs = []string{"a examiné", "recommande", "souligne", "dénonce", "a publié", "propose", "évalue",
		"constate", "prévoit", "a financé", "critique", "soutient"}
	frObjects = []string{"la sécurité alimentaire", "les dépenses de santé", "la réforme des retraites",
		"l'accès à l'eau potable", "la scolarisation des filles", "les élections législatives",
		"la dette publique", "les déplacements de population", "la qualité de l'air", "le réseau ferroviaire",
		"la coopération transfrontalière", "les énergies renouvelables", "la lutte contre la corruption",
		"l'aménagement du territoire", "les exportations agricoles", "la protection des forêts"}
	frPlaces = []string{"au Sénégal", "au Mali", "en Côte d'Ivoire", "au Niger", "à Madagascar", "au Bénin",
		"en Haïti", "au Cameroun", "en Tunisie", "au Burkina Faso", "en France", "au Québec"}
	frTails = []string{"depuis trois ans", "malgré la crise", "selon les premières estimations",
		"avant la fin de l'année", "dans un contexte difficile", "avec prudence", "pour la deuxième fois",
		"à la demande des élus"}
)

// frenchPage returns about n sentences of generated French, and the
// marker word "jalonNNNNN" of page number page, once in its middle.
func frenchPage(rng *rand.Rand, page, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(" ")
		}
		pick := func(l []string) string { return l[rng.IntN(len(l))] }
		fmt.Fprintf(&b, "%s %s %s %s %s.", pick(frSubjects), pick(frVerbs), pick(frObjects), pick(frPlaces), pick(frTails))
		if i == n/2 {
			fmt.Fprintf(&b, " Repère jalon%05d.", page)
		}
	}
	return b.String()
}

// frenchPDF returns a generated PDF of pages pages of French text, with a
// running header and a "Page N" footer (removed and kept by the reader).
func frenchPDF(t testing.TB, seed uint64, pages, sentences int) []byte {
	spec := pdfSpec{title: "Rapport généré", header: "Rapport annuel — document de travail", footer: "Page %d",
		pages: frenchPages(seed, pages, sentences)}
	return makePDF(t, spec)
}

// frenchPages returns the texts of the pages of frenchPDF.
func frenchPages(seed uint64, pages, sentences int) []string {
	rng := rand.New(rand.NewPCG(seed, 12))
	var out []string
	for p := 1; p <= pages; p++ {
		out = append(out, frenchPage(rng, p, sentences))
	}
	return out
}

// envInt reads a positive integer from the environment, or def.
func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

// TestWritePDFCorpus writes generated French PDFs for measurements, when
// RAPPORTS_PDF_OUT names a folder: RAPPORTS_PDF_FILES files (200) of
// RAPPORTS_PDF_PAGES pages (10) each. It is how the figures of the README
// are made again:
//
//	RAPPORTS_PDF_OUT=/tmp/pdfs go test -run TestWritePDFCorpus ./corpus
//	RAPPORTS_PDF_OUT=/tmp/big RAPPORTS_PDF_FILES=1 RAPPORTS_PDF_PAGES=1000 go test -run TestWritePDFCorpus ./corpus
func TestWritePDFCorpus(t *testing.T) {
	dir := os.Getenv("RAPPORTS_PDF_OUT")
	if dir == "" {
		t.Skip("RAPPORTS_PDF_OUT not set: no PDFs to write")
	}
	files, pages := envInt("RAPPORTS_PDF_FILES", 200), envInt("RAPPORTS_PDF_PAGES", 10)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	var total int64
	for i := range files {
		data := frenchPDF(t, uint64(i), pages, 12)
		total += int64(len(data))
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("rapport-%04d.pdf", i+1)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("wrote %d PDFs of %d pages (%d bytes) in %s", files, pages, total, dir)
}

// BenchmarkReadPDF reads 20 generated 10-page French PDFs per iteration
// through WalkFS (extraction in parallel, one file per core) and reports
// pages/s and MB/s of PDF read.
func BenchmarkReadPDF(b *testing.B) {
	fsys := fstest.MapFS{}
	var size int64
	const files, pages = 20, 10
	for i := range files {
		data := frenchPDF(b, uint64(i), pages, 12)
		size += int64(len(data))
		fsys[fmt.Sprintf("r%02d.pdf", i)] = &fstest.MapFile{Data: data}
	}
	// Start PDFium outside the timing.
	if _, err := WalkFS(context.Background(), fstest.MapFS{"a.pdf": fsys["r00.pdf"]}, Options{}, func(Report) error { return nil }); err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		n := 0
		_, err := WalkFS(context.Background(), fsys, Options{}, func(r Report) error {
			n += len(r.PageStarts)
			return nil
		})
		if err != nil || n != files*pages {
			b.Fatalf("WalkFS: %d pages, %v; want %d", n, err, files*pages)
		}
	}
	secs := time.Since(start).Seconds()
	b.ReportMetric(float64(b.N*files*pages)/secs, "pages/s")
	b.ReportMetric(float64(b.N)*float64(size)/1e6/secs, "MB/s")
}

// TestPageTextSameAsGetPageText checks that pageText (one call per page)
// gives what go-pdfium's GetPageText (one call per character) gives, on
// pages with accents, hyphenation at line ends, headers and footers.
func TestPageTextSameAsGetPageText(t *testing.T) {
	data := makePDF(t, pdfSpec{header: "En-tête répété", footer: "Page %d", pages: []string{
		"Première page sur le Niger, l'économie et la sécurité alimentaire.",
		"Deuxième page, gouverne-\nment et adminis-\ntration. Œuvre, naïf, « guillemets » — tiret.",
		frenchPage(rand.New(rand.NewPCG(1, 2)), 3, 12),
	}})
	eng, err := pdfEngineFor()
	if err != nil {
		t.Fatal(err)
	}
	err = eng.withInstance(context.Background(), time.Minute, false, func(inst pdfium.Pdfium, _ func(func() error) error) error {
		doc, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
		if err != nil {
			return err
		}
		defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc.Document}) //nolint:errcheck // test
		for i := range 3 {
			page := requests.Page{ByIndex: &requests.PageByIndex{Document: doc.Document, Index: i}}
			got, err := pageText(inst, page)
			if err != nil {
				return err
			}
			want, err := inst.GetPageText(&requests.GetPageText{Page: page})
			if err != nil {
				return err
			}
			if got != want.Text || got == "" {
				t.Errorf("page %d: pageText = %q; GetPageText = %q", i+1, got, want.Text)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestExtractDir measures the text extraction alone, without indexing, on
// the folder RAPPORTS_EXTRACT_DIR (skipped when unset): it walks it as
// rapports index does, counts the files, pages, PDF bytes and text bytes,
// and logs pages/s and MB/s (of PDF, and of text) by wall clock and by CPU
// time. With RAPPORTS_EXTRACT_OUT=FILE it writes each page's text there
// ("== ID p. N" then the text), to compare two builds' extractions:
//
//	RAPPORTS_EXTRACT_DIR=/tmp/pdfs RAPPORTS_EXTRACT_OUT=/tmp/pages.txt go test -run TestExtractDir -v ./corpus
//
// Run the compiled test binary under /usr/bin/time -v for the peak RSS.
// RAPPORTS_PDF_REOPEN=N sets pdfReopenPages (0: never opened again).
func TestExtractDir(t *testing.T) {
	dir := os.Getenv("RAPPORTS_EXTRACT_DIR")
	if dir == "" {
		t.Skip("RAPPORTS_EXTRACT_DIR not set: no folder to extract")
	}
	if n, err := strconv.Atoi(os.Getenv("RAPPORTS_PDF_REOPEN")); err == nil {
		defer func(old int) { pdfReopenPages = old }(pdfReopenPages)
		pdfReopenPages = n
	}
	var out *os.File
	if name := os.Getenv("RAPPORTS_EXTRACT_OUT"); name != "" {
		f, err := os.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		out = f
	}
	// Start PDFium outside the timing.
	if _, err := WalkFS(context.Background(), fstest.MapFS{"a.pdf": {Data: frenchPDF(t, 1, 1, 1)}}, Options{}, func(Report) error { return nil }); err != nil {
		t.Fatal(err)
	}
	var reports, pages, text int
	cpu0, start := cpuTime(), time.Now()
	counts, err := Walk(context.Background(), dir, Options{OnProblem: func(p Problem) { t.Logf("problem: %v", p) }}, func(r Report) error {
		reports++
		pages += len(r.PageStarts)
		text += len(r.Body)
		if out != nil {
			id, _, _ := strings.Cut(r.ID, "#")
			for i, s := range r.PageStarts {
				end := len(r.Body)
				if i+1 < len(r.PageStarts) {
					end = r.PageStarts[i+1]
				}
				fmt.Fprintf(out, "== %s p. %d\n%s\n", id, r.FirstPage+i, strings.TrimSpace(r.Body[s:end]))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	wall, cpu := time.Since(start).Seconds(), (cpuTime() - cpu0).Seconds()
	t.Logf("%d files (%.1f MB of PDF), %d reports, %d pages, %.1f MB of text", counts.Files, float64(counts.Bytes)/1e6, reports, pages, float64(text)/1e6)
	t.Logf("wall %.1f s: %.0f pages/s, %.2f MB/s of PDF, %.2f MB/s of text", wall, float64(pages)/wall, float64(counts.Bytes)/1e6/wall, float64(text)/1e6/wall)
	t.Logf("PDFium linear memory: peak %.0f MB in use at once (reopened every %d pages)", float64(thePDFMemory.peak.Load())/1e6, pdfReopenPages)
	t.Logf("CPU %.1f s (%.0f%% of one core): %.0f pages per CPU-s, %.2f MB of PDF per CPU-s, %.2f MB of text per CPU-s", cpu, 100*cpu/wall, float64(pages)/cpu, float64(counts.Bytes)/1e6/cpu, float64(text)/1e6/cpu)
}
