package corpus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/go-pdf/fpdf"
)

// pdfSpec describes a PDF fixture written by makePDF.
type pdfSpec struct {
	title    string         // /Info Title
	created  time.Time      // /Info CreationDate
	header   string         // running header, on every page
	footer   string         // running footer, "%d" is the page number
	pages    []string       // text of each page; "" is a scan-like page (an image)
	password string         // user password: encrypted
	images   map[int][]byte // page index → PNG drawn full page instead of text
}

// makePDF writes a PDF with fpdf's core Helvetica font (Windows-1252, so
// French accents need no font file).
func makePDF(t testing.TB, spec pdfSpec) []byte {
	t.Helper()
	p := fpdf.New("P", "mm", "A4", "")
	tr := p.UnicodeTranslatorFromDescriptor("")
	if spec.title != "" {
		p.SetTitle(spec.title, true)
	}
	if !spec.created.IsZero() {
		p.SetCreationDate(spec.created)
	}
	if spec.password != "" {
		p.SetProtection(fpdf.CnProtectPrint, spec.password, "owner-"+spec.password)
	}
	p.SetAutoPageBreak(false, 0)
	p.SetHeaderFunc(func() {
		if spec.header != "" {
			p.SetFont("Helvetica", "", 9)
			p.CellFormat(0, 8, tr(spec.header), "", 1, "C", false, 0, "")
		}
	})
	p.SetFooterFunc(func() {
		if spec.footer != "" {
			p.SetY(-15)
			p.SetFont("Helvetica", "", 9)
			p.CellFormat(0, 8, tr(fmt.Sprintf(spec.footer, p.PageNo())), "", 0, "C", false, 0, "")
		}
	})
	for i, text := range spec.pages {
		p.AddPage()
		if img, ok := spec.images[i]; ok {
			name := fmt.Sprintf("page%d", i)
			p.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(img))
			p.ImageOptions(name, 0, 0, 210, 297, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
			continue
		}
		if text == "" {
			// A scan-like page: an image, no text.
			name := fmt.Sprintf("scan%d", i)
			p.RegisterImageOptionsReader(name, fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(grayPNG(t)))
			p.ImageOptions(name, 10, 20, 190, 250, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
			continue
		}
		p.SetFont("Helvetica", "", 11)
		p.SetXY(15, 30)
		p.MultiCell(180, 6, tr(text), "", "L", false)
	}
	var b bytes.Buffer
	if err := p.Output(&b); err != nil {
		t.Fatalf("fpdf: %v", err)
	}
	return b.Bytes()
}

// grayPNG is a small gray image with a darker band, like a scanned page.
func grayPNG(t testing.TB) []byte {
	t.Helper()
	img := image.NewGray(image.Rect(0, 0, 80, 100))
	for y := range 100 {
		for x := range 80 {
			c := uint8(230)
			if y%10 < 2 && x > 5 && x < 75 {
				c = 40
			}
			img.SetGray(x, y, color.Gray{Y: c})
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// walkOne walks fsys and returns its reports in order, problems and skips.
func walkOne(t *testing.T, fsys fstest.MapFS, opts Options) ([]Report, []Problem, []string) {
	t.Helper()
	var reps []Report
	var problems []Problem
	var skips []string
	opts.OnProblem = func(p Problem) { problems = append(problems, p) }
	opts.OnSkip = func(p, reason string) { skips = append(skips, p+": "+reason) }
	_, err := WalkFS(context.Background(), fsys, opts, func(r Report) error {
		reps = append(reps, r)
		return nil
	})
	if err != nil {
		t.Fatalf("WalkFS: %v", err)
	}
	return reps, problems, skips
}

func TestPDFPagesHeadersHyphens(t *testing.T) {
	pages := []string{
		"Rapport sur la gouvernance au Sénégal\n\nLe gouverne-\nment sénégalais a présenté l'état des lieux de l'économie à Dakar.",
		"Deuxième page : les élections et la réforme électorale.",
		"Troisième page : le budget de l'État et les collectivités.",
		"Quatrième page : conclusions et recommandations.",
	}
	data := makePDF(t, pdfSpec{
		title:   "Titre des propriétés",
		created: time.Date(2021, 5, 4, 10, 0, 0, 0, time.UTC),
		header:  "Ministère de l'Intérieur — Rapport annuel",
		footer:  "Page %d",
		pages:   pages,
	})
	reps, problems, skips := walkOne(t, fstest.MapFS{"r.pdf": {Data: data}}, Options{})
	if len(problems) > 0 || len(skips) > 0 || len(reps) != 1 {
		t.Fatalf("problems %v, skips %v, %d reports; want 1 report", problems, skips, len(reps))
	}
	r := reps[0]
	if r.Title != "Rapport sur la gouvernance au Sénégal" {
		t.Errorf("Title = %q; want the first line of the text", r.Title)
	}
	if !strings.Contains(r.Body, "Le gouvernement sénégalais") {
		t.Errorf("Body does not rejoin the hyphenated word: %q", r.Body)
	}
	if strings.Contains(r.Body, "Ministère de l'Intérieur") {
		t.Errorf("Body keeps the running header: %q", r.Body)
	}
	for i := 1; i <= 4; i++ {
		if !strings.Contains(r.Body, fmt.Sprintf("Page %d", i)) {
			t.Errorf("Body lost the page number %d: %q", i, r.Body)
		}
	}
	if r.FirstPage != 1 || len(r.PageStarts) != 4 {
		t.Fatalf("FirstPage %d, PageStarts %v; want 1 and 4 pages", r.FirstPage, r.PageStarts)
	}
	for i, want := range []string{"Rapport sur", "Deuxième page", "Troisième page", "Quatrième page"} {
		if !strings.HasPrefix(r.Body[r.PageStarts[i]:], want) {
			t.Errorf("page %d starts with %.30q; want %q", i+1, r.Body[r.PageStarts[i]:], want)
		}
		if got := r.Page(r.PageStarts[i] + 3); got != i+1 {
			t.Errorf("Page(start of page %d + 3) = %d", i+1, got)
		}
	}
	if r.Date.String() != "2021-05-04" || r.DateSource != DateFromMetadata {
		t.Errorf("Date %q from %q; want 2021-05-04 from the metadata", r.Date, r.DateSource)
	}
	if !slices.Contains(r.Countries, "SN") {
		t.Errorf("Countries = %v; want SN", r.Countries)
	}
}

func TestPDFTitleAndDate(t *testing.T) {
	cases := []struct {
		name     string
		spec     pdfSpec
		title    string
		date     string
		fromMeta bool
	}{
		{"text date wins", pdfSpec{title: "Info", created: time.Date(2020, 1, 2, 0, 0, 0, 0, time.UTC),
			pages: []string{"Note de synthèse\nParis, le 3 mars 2023.\nSelon le rapport..."}}, "Note de synthèse", "2023-03-03", false},
		{"info title when the first line is a date", pdfSpec{title: "Rapport sur l'eau potable",
			pages: []string{"12/04/2022\nL'accès à l'eau potable reste inégal."}}, "Rapport sur l'eau potable", "2022-04-12", false},
		{"word file name in info", pdfSpec{title: "Microsoft Word - note.docx", created: time.Date(2019, 9, 1, 23, 0, 0, 0, time.UTC),
			pages: []string{"12"}}, "12", "2019-09-01", true},
		{"date from the metadata", pdfSpec{created: time.Date(2018, 2, 3, 0, 0, 0, 0, time.UTC),
			pages: []string{"Synthèse\nSans date."}}, "Synthèse", "2018-02-03", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reps, problems, _ := walkOne(t, fstest.MapFS{"a.pdf": {Data: makePDF(t, tc.spec)}}, Options{})
			if len(reps) != 1 || len(problems) > 0 {
				t.Fatalf("%d reports, problems %v", len(reps), problems)
			}
			r := reps[0]
			if r.Title != tc.title || r.Date.String() != tc.date || (r.DateSource == DateFromMetadata) != tc.fromMeta {
				t.Errorf("title %q, date %q (%q); want %q, %q, from metadata %v", r.Title, r.Date, r.DateSource, tc.title, tc.date, tc.fromMeta)
			}
		})
	}
}

func TestPDFBadFiles(t *testing.T) {
	good := makePDF(t, pdfSpec{pages: []string{"Un rapport complet sur la sécurité alimentaire."}})
	fsys := fstest.MapFS{
		"chiffre.pdf":   {Data: makePDF(t, pdfSpec{pages: []string{"Texte secret du rapport."}, password: "secret"})},
		"coupe.pdf":     {Data: good[:len(good)*2/3]},
		"faux.pdf":      {Data: []byte("Ceci n'est pas un PDF, juste du texte.\n")},
		"vide.pdf":      {Data: nil},
		"scan.pdf":      {Data: makePDF(t, pdfSpec{pages: []string{"", ""}})},
		"mixte.pdf":     {Data: makePDF(t, pdfSpec{pages: []string{"Page lisible sur la Tunisie.", ""}})},
		"z-suivant.pdf": {Data: good},
	}
	reps, problems, skips := walkOne(t, fsys, Options{})
	want := map[string]error{"chiffre.pdf": ErrEncrypted, "coupe.pdf": ErrDamaged, "faux.pdf": ErrWrongFormat}
	got := map[string]error{}
	for _, p := range problems {
		got[p.Path] = p.Err
	}
	for name, sentinel := range want {
		if !errors.Is(got[name], sentinel) {
			t.Errorf("problem of %s = %v; want %v", name, got[name], sentinel)
		}
	}
	if p := got["mixte.pdf"]; p == nil || !strings.Contains(p.Error(), "page 2") || !strings.Contains(p.Error(), "--ocr") {
		t.Errorf("problem of mixte.pdf = %v; want page 2 without text layer", p)
	}
	if !slices.Contains(skips, "vide.pdf: empty file") {
		t.Errorf("skips = %q; want vide.pdf: empty file", skips)
	}
	if !slices.Contains(skips, "scan.pdf: "+ScannedReason) {
		t.Errorf("skips = %q; want scan.pdf with %q", skips, ScannedReason)
	}
	var ids []string
	for _, r := range reps {
		ids = append(ids, r.ID)
	}
	if !slices.Equal(ids, []string{"mixte.pdf", "z-suivant.pdf"}) {
		t.Errorf("reports %v; want mixte.pdf and z-suivant.pdf: the walk goes on", ids)
	}
}

func TestPDFSplitAtPages(t *testing.T) {
	// 40 pages of about 9 kB: a part holds several whole pages.
	para := strings.Repeat("La commission a examiné les comptes de la région et les dépenses publiques. ", 120)
	var body strings.Builder
	var starts []int
	for i := range 40 {
		if i > 0 {
			body.WriteString("\n\n")
		}
		starts = append(starts, body.Len())
		fmt.Fprintf(&body, "Page numéro %d. %s", i+1, para)
	}
	r := Report{ID: "long.pdf", Title: "Long", Body: body.String(), PageStarts: starts, FirstPage: 1}
	parts := SplitParts(r)
	if len(parts) < 2 {
		t.Fatalf("%d parts; want several", len(parts))
	}
	next := 1
	for k, p := range parts {
		if len(p.Body) > MaxPartSize {
			t.Errorf("part %d: %d bytes > MaxPartSize", k+1, len(p.Body))
		}
		if p.FirstPage != next {
			t.Errorf("part %d starts on page %d; want %d", k+1, p.FirstPage, next)
		}
		for i, s := range p.PageStarts {
			want := fmt.Sprintf("Page numéro %d.", p.FirstPage+i)
			if !strings.HasPrefix(p.Body[s:], want) {
				t.Errorf("part %d page %d starts %.20q; want %q", k+1, p.FirstPage+i, p.Body[s:], want)
			}
		}
		next = p.FirstPage + len(p.PageStarts)
	}
	if next != 41 {
		t.Errorf("parts end before page %d; want 41", next)
	}
}

func TestNormalizePage(t *testing.T) {
	cases := []struct{ in, want string }{
		{"gouverne\x02ment", "gouvernement"},
		{"gouverne\x02\r\nment", "gouvernement"},
		{"gouverne-\r\nment", "gouvernement"},
		{"Jean-\r\nFrançois", "Jean-\nFrançois"},
		{"fin \r\nligne\tdeux", "fin\nligne deux"},
		{"a\x00b\x07c", "abc"},
		{"par\u00adtie", "partie"},
		// Spacing accents of PDFs made by TeX (as PDFium reads them).
		{"La r\u00b4eforme g\u00b4en\u00b4erale", "La réforme générale"},
		{"`a Paris, o`u il pr`es", "à Paris, où il près"},
		{"m\u02c6eme, ma\u02c6\u0131tre", "même, maître"},
		{"fa\u00b8con, franc\u00b8ais, \"c\u00b8a", "façon, français, \"ça"},
		{"gu\u00a8\u0131t, co\u00a8\u0131ncidence", "guït, coïncidence"},
		{"c\u00b8a c\u00b8a, C\u00b8A", "ça ça, ÇA"},
		{"x^2 + y^n, `code`, note \u00b4 seule", "x^2 + y^n, `code`, note \u00b4 seule"},
	}
	for _, tc := range cases {
		if got := normalizePage(tc.in); got != tc.want {
			t.Errorf("normalizePage(%q) = %q; want %q", tc.in, got, tc.want)
		}
	}
}

// TestPDFTimeLimit reads a PDF with a time limit too short for any file:
// the file is a problem saying it took too long, the instance is thrown
// away, and the next file is read by a new one.
func TestPDFTimeLimit(t *testing.T) {
	data := makePDF(t, pdfSpec{pages: []string{"Un rapport sur la sécurité alimentaire au Niger."}})
	old := PDFTimeout
	t.Cleanup(func() { PDFTimeout = old })
	PDFTimeout = time.Nanosecond
	reps, problems, _ := walkOne(t, fstest.MapFS{"lent.pdf": {Data: data}}, Options{})
	if len(reps) != 0 || len(problems) != 1 || !errors.Is(problems[0].Err, errPDFTimeout) || problems[0].Path != "lent.pdf" ||
		!strings.Contains(problems[0].Error(), "took too long") {
		t.Fatalf("with a 1 ns limit: %d reports, problems %v; want lent.pdf: took too long", len(reps), problems)
	}
	PDFTimeout = old
	reps, problems, _ = walkOne(t, fstest.MapFS{"a.pdf": {Data: data}}, Options{})
	if len(reps) != 1 || len(problems) != 0 || !strings.Contains(reps[0].Body, "Niger") {
		t.Errorf("after a timeout: %d reports, problems %v; want a.pdf read", len(reps), problems)
	}
}

func TestParsePDFDate(t *testing.T) {
	cases := []struct{ in, want string }{
		{"D:20240615103000+02'00'", "2024-06-15"},
		{"D:202406", "2024-06"},
		{"2023", "2023"},
		{"D:", ""},
		{"hier", ""},
	}
	for _, tc := range cases {
		d, _ := parsePDFDate(tc.in)
		if d.String() != tc.want {
			t.Errorf("parsePDFDate(%q) = %q; want %q", tc.in, d, tc.want)
		}
	}
}

// FuzzReadPDF reads truncated and mutated PDFs: never a panic nor a hang
// (PDFTimeout bounds each file), and every failure is a problem naming the
// file.
//
// Go's fuzzing kills a worker whose input runs 10 s ("deadlocked!",
// reported as "fuzzing process hung or terminated unexpectedly"), so the
// limit is 2 s here and PDFium is started (WebAssembly compiled or read
// from the cache, first instance made) before fuzzing. Each new
// interesting input is minimized for -fuzzminimizetime (60 s by default),
// during which the execs count stays still; run with
// -fuzzminimizetime 50x to keep fuzzing.
func FuzzReadPDF(f *testing.F) {
	good := makePDF(f, pdfSpec{title: "Essai", header: "En-tête", footer: "Page %d",
		pages: []string{"Première page sur le Niger.", "Deuxième page, gouverne-\nment.", "", "Quatrième page."}})
	f.Add(good)
	f.Add(good[:len(good)/2])
	f.Add(append(good[:len(good)/3:len(good)/3], []byte("\n%%EOF\n")...))
	enc := makePDF(f, pdfSpec{pages: []string{"Secret."}, password: "x"})
	f.Add(enc)
	mutated := append([]byte(nil), good...)
	for i := 400; i < len(mutated); i += 97 {
		mutated[i] ^= 0x5a
	}
	f.Add(mutated)
	f.Add([]byte("%PDF-1.7\n%%EOF"))
	old := PDFTimeout
	PDFTimeout = 2 * time.Second
	f.Cleanup(func() { PDFTimeout = old })
	if _, err := WalkFS(context.Background(), fstest.MapFS{"warm.pdf": {Data: good}}, Options{}, func(Report) error { return nil }); err != nil {
		f.Fatalf("starting PDFium: %v", err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var problems []Problem
		_, err := WalkFS(context.Background(), fstest.MapFS{"f.pdf": {Data: data}}, Options{
			OnProblem: func(p Problem) { problems = append(problems, p) },
		}, func(r Report) error {
			if r.ID == "" || (r.FirstPage != 0 && len(r.PageStarts) == 0) {
				t.Errorf("bad report %+v", r)
			}
			for i := 1; i < len(r.PageStarts); i++ {
				if r.PageStarts[i] < r.PageStarts[i-1] || r.PageStarts[i] > len(r.Body) {
					t.Errorf("PageStarts %v out of order or beyond the body (%d bytes)", r.PageStarts, len(r.Body))
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("WalkFS: %v", err)
		}
		for _, p := range problems {
			if p.Path != "f.pdf" || p.Err == nil {
				t.Errorf("problem %v does not name the file", p)
			}
		}
	})
}
