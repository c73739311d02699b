package corpus

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// This file reads Word (DOCX) and OpenDocument text (ODT) files, and their
// templates, with archive/zip and encoding/xml: paragraphs and headings in
// document order, a blank line between them; the title from the
// document's properties, else its first heading; the creation date of the
// properties as the date when the text gives none.

// maxXMLPart bounds the decompressed size of one XML part of an archive
// (a zip bomb is reported, not read).
const maxXMLPart = MaxFileSize

// oleMagic starts an OLE compound file: an old .doc, or a password-
// protected DOCX (Office encrypts into such a container).
var oleMagic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}

// officeDoc is the text and properties of a DOCX or ODT file.
type officeDoc struct {
	body         string
	firstHeading string
	title        string // from the properties
	created      string // from the properties, W3C date-time
}

// openZip opens data as the zip archive of a document of the given kind.
func openZip(data []byte, kind string) (*zip.Reader, error) {
	if bytes.HasPrefix(data, oleMagic) {
		return nil, fmt.Errorf("%w: password-protected, or an old binary file renamed (an OLE container, not %s)", ErrEncrypted, kind)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		if bytes.HasPrefix(data, []byte("PK")) {
			return nil, fmt.Errorf("%w: zip archive of %s: %v", ErrDamaged, kind, err)
		}
		return nil, fmt.Errorf("%w: not %s (not a zip archive)", ErrWrongFormat, kind)
	}
	return zr, nil
}

// zipPart returns the decompressed content of the part name, nil when the
// archive has none.
func zipPart(zr *zip.Reader, name string) ([]byte, error) {
	for _, f := range zr.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrDamaged, name, err)
		}
		defer rc.Close()
		b, err := io.ReadAll(io.LimitReader(rc, maxXMLPart+1))
		if err != nil {
			return nil, fmt.Errorf("%w: %s: %v", ErrDamaged, name, err)
		}
		if len(b) > maxXMLPart {
			return nil, fmt.Errorf("%s larger than %d MB once decompressed, skipped", name, maxXMLPart>>20)
		}
		return b, nil
	}
	return nil, nil
}

// readDOCX reads a Word document (.docx, .dotx, .docm, .dotm).
func readDOCX(s *source, r io.Reader) error {
	data, err := readAll(r, s.size)
	if err != nil {
		return err
	}
	zr, err := openZip(data, "a Word document")
	if err != nil {
		return err
	}
	main, err := zipPart(zr, "word/document.xml")
	if err != nil {
		return err
	}
	if main == nil {
		return fmt.Errorf("%w: not a Word document (no word/document.xml)", ErrWrongFormat)
	}
	doc, err := docxText(main)
	if err != nil {
		return err
	}
	if core, err := zipPart(zr, "docProps/core.xml"); err == nil && core != nil {
		doc.title, doc.created = coreProperties(core)
	}
	return s.sendOffice(doc)
}

// readODT reads an OpenDocument text (.odt, .ott).
func readODT(s *source, r io.Reader) error {
	data, err := readAll(r, s.size)
	if err != nil {
		return err
	}
	zr, err := openZip(data, "an OpenDocument text")
	if err != nil {
		return err
	}
	if manifest, err := zipPart(zr, "META-INF/manifest.xml"); err == nil && bytes.Contains(manifest, []byte("encryption-data")) {
		return fmt.Errorf("%w: the OpenDocument file is protected by a password", ErrEncrypted)
	}
	content, err := zipPart(zr, "content.xml")
	if err != nil {
		return err
	}
	if content == nil {
		return fmt.Errorf("%w: not an OpenDocument file (no content.xml)", ErrWrongFormat)
	}
	doc, err := odtText(content)
	if err != nil {
		return err
	}
	if meta, err := zipPart(zr, "meta.xml"); err == nil && meta != nil {
		doc.title, doc.created = coreProperties(meta)
	}
	return s.sendOffice(doc)
}

// sendOffice sends the report of a DOCX or ODT file.
func (s *source) sendOffice(doc officeDoc) error {
	rep := Report{ID: s.rel, Path: s.rel, Body: strings.TrimSpace(doc.body)}
	rep.Title = cleanInfoTitle(doc.title)
	if rep.Title == "" {
		rep.Title = doc.firstHeading
	}
	if rep.Title == "" {
		rep.Title, _ = splitTitle(rep.Body, false)
	}
	var meta Date
	if doc.created != "" {
		meta, _ = ParseDate(doc.created)
	}
	return s.sendDocument(rep, header{}, meta)
}

// coreProperties reads the title and creation date of a DOCX
// docProps/core.xml or an ODT meta.xml (dc:title, dcterms:created or
// meta:creation-date).
func coreProperties(data []byte) (title, created string) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var in string
	for {
		tok, err := dec.Token()
		if err != nil {
			return strings.TrimSpace(title), strings.TrimSpace(created)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			in = t.Name.Local
		case xml.EndElement:
			in = ""
		case xml.CharData:
			switch in {
			case "title":
				title += string(t)
			case "created", "creation-date":
				created += string(t)
			}
		}
	}
}

// textBuilder gathers paragraphs separated by blank lines.
type textBuilder struct {
	b            strings.Builder
	para         strings.Builder
	firstHeading string
}

// endParagraph ends the current paragraph; heading says it was a heading.
func (tb *textBuilder) endParagraph(heading bool) {
	p := strings.TrimSpace(tb.para.String())
	tb.para.Reset()
	if p == "" {
		return
	}
	if heading && tb.firstHeading == "" {
		tb.firstHeading = strings.Join(strings.Fields(p), " ")
	}
	if tb.b.Len() > 0 {
		tb.b.WriteString("\n\n")
	}
	tb.b.WriteString(p)
}

// xmlError wraps a parse error of a document's XML.
func xmlError(part string, err error) error {
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("%w: %s is cut short", ErrDamaged, part)
	}
	return fmt.Errorf("%w: %s: %v", ErrDamaged, part, err)
}

// docxText reads word/document.xml: the text of w:t runs, w:tab as a
// space, w:br and w:cr as line ends, one paragraph per w:p; a paragraph
// whose style is a title or heading (Title, Heading1, Titre1...) is a
// heading. Deleted revisions (w:delText) and field codes are left out.
func docxText(data []byte) (officeDoc, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var tb textBuilder
	inText, heading, depth := false, false, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return officeDoc{}, xmlError("word/document.xml", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "p":
				if depth == 0 {
					heading = false
				}
				depth++
			case "t":
				inText = true
			case "tab":
				tb.para.WriteByte(' ')
			case "br", "cr":
				tb.para.WriteByte('\n')
			case "pStyle", "outlineLvl":
				if t.Name.Local == "outlineLvl" || isHeadingStyle(attr(t, "val")) {
					heading = true
				}
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				depth--
				if depth <= 0 {
					depth = 0
					tb.endParagraph(heading)
				}
			}
		case xml.CharData:
			if inText {
				tb.para.Write(t)
			}
		}
	}
	tb.endParagraph(heading)
	return officeDoc{body: tb.b.String(), firstHeading: tb.firstHeading}, nil
}

// isHeadingStyle reports whether a Word paragraph style names a title or
// heading, in English or French ("Heading1", "Titre1", "Title", "Titre").
func isHeadingStyle(style string) bool {
	s := strings.ToLower(style)
	return strings.HasPrefix(s, "heading") || strings.HasPrefix(s, "titre") || s == "title"
}

// attr returns the value of the attribute local of t.
func attr(t xml.StartElement, local string) string {
	for _, a := range t.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}

// odtText reads content.xml of an OpenDocument text: text:p and text:h
// paragraphs (text:h is a heading), text:s as spaces, text:tab as a space,
// text:line-break as a line end; notes' citations and the like are text
// too. Only office:text (the body) is read, not styles nor forms.
func odtText(data []byte) (officeDoc, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var tb textBuilder
	inBody := false
	var stack []bool // open paragraphs: heading or not
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return officeDoc{}, xmlError("content.xml", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local == "text" && t.Name.Space == odfOffice {
				inBody = true
			}
			if !inBody {
				continue
			}
			switch t.Name.Local {
			case "p", "h":
				if len(stack) == 0 {
					tb.endParagraph(false)
				}
				stack = append(stack, t.Name.Local == "h")
			case "s":
				n, _ := strconv.Atoi(attr(t, "c"))
				tb.para.WriteString(strings.Repeat(" ", min(max(n, 1), 100)))
			case "tab":
				tb.para.WriteByte(' ')
			case "line-break":
				tb.para.WriteByte('\n')
			}
		case xml.EndElement:
			if t.Name.Local == "text" && t.Name.Space == odfOffice {
				inBody = false
			}
			if inBody && (t.Name.Local == "p" || t.Name.Local == "h") && len(stack) > 0 {
				h := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					tb.endParagraph(h)
				}
			}
		case xml.CharData:
			if inBody && len(stack) > 0 {
				tb.para.Write(t)
			}
		}
	}
	tb.endParagraph(false)
	return officeDoc{body: tb.b.String(), firstHeading: tb.firstHeading}, nil
}

// odfOffice is the namespace of OpenDocument's office: elements.
const odfOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
