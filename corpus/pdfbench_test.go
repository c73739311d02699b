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
	err = eng.withInstance(context.Background(), time.Minute, false, func(inst pdfium.Pdfium) error {
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
