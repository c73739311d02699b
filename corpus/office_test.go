package corpus

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
)

// zipFiles writes a zip archive of the given parts, in order.
func zipFiles(t testing.TB, parts ...[2]string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, p := range parts {
		w, err := zw.Create(p[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(p[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// makeDOCX writes a Word document: paragraphs are {style, text}.
func makeDOCX(t testing.TB, title, created string, paras ...[2]string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		body.WriteString("<w:p>")
		if p[0] != "" {
			body.WriteString(`<w:pPr><w:pStyle w:val="` + p[0] + `"/></w:pPr>`)
		}
		// Two runs, a tab and a deleted revision that must not show.
		half := len(p[1]) / 2
		for half < len(p[1]) && p[1][half] != ' ' {
			half++
		}
		body.WriteString(`<w:r><w:t xml:space="preserve">` + p[1][:half] + `</w:t></w:r>`)
		body.WriteString(`<w:r><w:delText>SUPPRIMÉ</w:delText></w:r>`)
		body.WriteString(`<w:r><w:t xml:space="preserve">` + p[1][half:] + `</w:t></w:r>`)
		body.WriteString("</w:p>")
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>` + body.String() + `</w:body></w:document>`
	core := `<?xml version="1.0" encoding="UTF-8"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>` + title + `</dc:title><dcterms:created xsi:type="dcterms:W3CDTF">` + created + `</dcterms:created></cp:coreProperties>`
	return zipFiles(t,
		[2]string{"[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`},
		[2]string{"word/document.xml", doc},
		[2]string{"docProps/core.xml", core})
}

// makeODT writes an OpenDocument text: paragraphs are {"h" or "p", text}.
func makeODT(t testing.TB, title, created string, paras ...[2]string) []byte {
	t.Helper()
	var body strings.Builder
	for _, p := range paras {
		if p[0] == "h" {
			body.WriteString(`<text:h text:outline-level="1">` + p[1] + `</text:h>`)
		} else {
			body.WriteString(`<text:p>` + strings.Replace(p[1], " ", `<text:s text:c="2"/>`, 1) + `</text:p>`)
		}
	}
	content := `<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">
<office:automatic-styles><text:p>STYLE</text:p></office:automatic-styles>
<office:body><office:text>` + body.String() + `</office:text></office:body></office:document-content>`
	meta := `<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0">
<office:meta><dc:title>` + title + `</dc:title><meta:creation-date>` + created + `</meta:creation-date></office:meta></office:document-meta>`
	return zipFiles(t,
		[2]string{"mimetype", "application/vnd.oasis.opendocument.text"},
		[2]string{"content.xml", content},
		[2]string{"meta.xml", meta})
}

func TestOfficeDocuments(t *testing.T) {
	paras := [][2]string{
		{"Titre1", "Situation humanitaire au Mali"},
		{"", "Le rapport décrit la situation à Bamako et à Gao."},
		{"Heading2", "Recommandations"},
		{"", "Les bailleurs doivent renforcer l'aide."},
	}
	odtParas := [][2]string{
		{"h", "Situation humanitaire au Mali"},
		{"p", "Le rapport décrit la situation à Bamako et à Gao."},
		{"h", "Recommandations"},
		{"p", "Les bailleurs doivent renforcer l'aide."},
	}
	cases := []struct {
		name, title, date, source string
		data                      []byte
	}{
		{"a.docx", "Rapport de la mission", "2022-11-03", DateFromMetadata, makeDOCX(t, "Rapport de la mission", "2022-11-03T09:12:00Z", paras...)},
		{"b.dotx", "Situation humanitaire au Mali", "2022-11-03", DateFromMetadata, makeDOCX(t, "", "2022-11-03T09:12:00Z", paras...)},
		{"c.odt", "Rapport de la mission", "2021-06-30", DateFromMetadata, makeODT(t, "Rapport de la mission", "2021-06-30T18:00:00", odtParas...)},
		{"d.ott", "Situation humanitaire au Mali", "", "", makeODT(t, "", "", odtParas...)},
		{"e.docx", "Situation humanitaire au Mali", "2023-03-03", "", makeDOCX(t, "", "2022-11-03T09:12:00Z",
			append([][2]string{{"Title", "Situation humanitaire au Mali"}, {"", "Bamako, le 3 mars 2023."}}, paras[1:]...)...)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			reps, problems, skips := walkOne(t, fstest.MapFS{tc.name: {Data: tc.data}}, Options{})
			if len(reps) != 1 || len(problems) > 0 || len(skips) > 0 {
				t.Fatalf("%d reports, problems %v, skips %v", len(reps), problems, skips)
			}
			r := reps[0]
			if r.Title != tc.title || r.Date.String() != tc.date || r.DateSource != tc.source {
				t.Errorf("title %q, date %q (%q); want %q, %q (%q)", r.Title, r.Date, r.DateSource, tc.title, tc.date, tc.source)
			}
			want := "Situation humanitaire au Mali\n\nLe rapport décrit la situation à Bamako et à Gao.\n\nRecommandations\n\nLes bailleurs doivent renforcer l'aide."
			if strings.HasSuffix(tc.name, ".odt") || strings.HasSuffix(tc.name, ".ott") {
				want = strings.NewReplacer("Le rapport", "Le  rapport", "Les bailleurs", "Les  bailleurs").Replace(want) // text:s c=2
			}
			if tc.name == "e.docx" {
				want = strings.Replace(want, "Mali\n\n", "Mali\n\nBamako, le 3 mars 2023.\n\n", 1)
			}
			if r.Body != want {
				t.Errorf("Body = %q; want %q", r.Body, want)
			}
			if len(r.Countries) == 0 || r.Countries[0] != "ML" {
				t.Errorf("Countries = %v; want ML first", r.Countries)
			}
		})
	}
}

func TestOfficeBadFiles(t *testing.T) {
	good := makeDOCX(t, "Bon", "", [2]string{"", "Un bon document."})
	fsys := fstest.MapFS{
		"chiffre.docx": {Data: append(append([]byte{}, oleMagic...), make([]byte, 512)...)},
		"coupe.docx":   {Data: good[:len(good)/2]},
		"faux.odt":     {Data: []byte("juste du texte")},
		"vide.docx":    {Data: zipFiles(t, [2]string{"autre.xml", "<a/>"})},
		"xml.odt":      {Data: zipFiles(t, [2]string{"content.xml", "<office:document-content><office:body>"})},
		"protege.odt":  {Data: zipFiles(t, [2]string{"META-INF/manifest.xml", "<manifest:encryption-data/>"}, [2]string{"content.xml", "\x00\x01"})},
		"z.docx":       {Data: good},
	}
	reps, problems, _ := walkOne(t, fsys, Options{})
	want := map[string]error{
		"chiffre.docx": ErrEncrypted, "coupe.docx": ErrDamaged, "faux.odt": ErrWrongFormat,
		"vide.docx": ErrWrongFormat, "xml.odt": ErrDamaged, "protege.odt": ErrEncrypted,
	}
	got := map[string]error{}
	for _, p := range problems {
		got[p.Path] = p.Err
	}
	for name, sentinel := range want {
		if !errors.Is(got[name], sentinel) {
			t.Errorf("problem of %s = %v; want %v", name, got[name], sentinel)
		}
	}
	if len(reps) != 1 || reps[0].ID != "z.docx" {
		t.Errorf("reports %v; want only z.docx", reps)
	}
}

// FuzzReadOffice reads mutated Word and OpenDocument files: never a panic,
// every failure a problem naming the file.
func FuzzReadOffice(f *testing.F) {
	f.Add(makeDOCX(f, "Titre", "2022-01-01T00:00:00Z", [2]string{"Titre1", "Un titre"}, [2]string{"", "Un paragraphe sur le Tchad."}), true)
	f.Add(makeODT(f, "Titre", "2022-01-01", [2]string{"h", "Un titre"}, [2]string{"p", "Un paragraphe."}), false)
	f.Add(zipFiles(f, [2]string{"word/document.xml", "<w:p><w:t>a</w:p>"}), true)
	f.Add(zipFiles(f, [2]string{"content.xml", "<office:text><text:p>a<text:s text:c='999999999'/></text:p>"}), false)
	f.Fuzz(func(t *testing.T, data []byte, docx bool) {
		name := "f.odt"
		if docx {
			name = "f.docx"
		}
		_, err := WalkFS(context.Background(), fstest.MapFS{name: {Data: data}}, Options{
			OnProblem: func(p Problem) {
				if p.Path != name {
					t.Errorf("problem %v does not name the file", p)
				}
			},
		}, func(Report) error { return nil })
		if err != nil {
			t.Fatalf("WalkFS: %v", err)
		}
	})
}
