package web_test

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/rapports/rapports/corpus"
)

// pagedReports are a 12-page report as corpus reads a PDF (page starts,
// first page) and a report without pages.
func pagedReports() []corpus.Report {
	var b strings.Builder
	var starts []int
	for k := 1; k <= 12; k++ {
		if k > 1 {
			b.WriteString("\n\n")
		}
		starts = append(starts, b.Len())
		fmt.Fprintf(&b, "Page %d. La délégation a examiné la situation économique.", k)
		switch k {
		case 3:
			b.WriteString(" Les drones armés survolent la frontière.")
		case 7:
			b.WriteString(" Un drone s'est écrasé près de Gao.")
		}
		// Long pages: page 7 is far below the fold.
		b.WriteString(strings.Repeat("\nLigne de remplissage du rapport.", 40))
	}
	d, err := corpus.ParseISODate("2024-05")
	if err != nil {
		panic(err)
	}
	return []corpus.Report{
		{ID: "sahel.pdf", Path: "sahel.pdf", Title: "Rapport sur le Sahel", Date: d, Body: b.String(), PageStarts: starts, FirstPage: 1},
		{ID: "note.txt", Path: "note.txt", Title: "Note", Date: d, Body: "Les drones du Mali, sans pages."},
	}
}

// TestBrowserPages checks that a hit in a PDF says on which pages the
// query matches, each page a link to the document at that page.
func TestBrowserPages(t *testing.T) {
	needChrome(t)
	site := startSiteWith(t, pagedReports())
	base := site.URL
	browser := startBrowser(t, base)

	t.Run("pages of hits", func(t *testing.T) {
		b := browser.on(t)
		b.do("searching drones", chromedp.Navigate(base+"/?q=drones"))
		b.waitRendered("q=drones")
		lines := eval[[]string](b, `[...document.querySelectorAll('#hits .hit')].map((h) =>
			h.querySelector('.doc-link').dataset.id + ' ' + ((h.querySelector('.pages-line') || {}).textContent || '-'))`)
		slices.Sort(lines)
		if want := []string{"note.txt -", "sahel.pdf p. 3, 7"}; !slices.Equal(lines, want) {
			t.Errorf("hits of drones: %q; want %q", lines, want)
		}
		href := eval[string](b, `(document.querySelector('#hits .pages-line a:last-child') || {}).href || ''`)
		u, err := url.Parse(href)
		if err != nil || u.Query().Get("doc") != "sahel.pdf" || u.Query().Get("at") != "7" || u.Query().Get("q") != "drones" {
			t.Errorf("link of page 7: %q; want doc=sahel.pdf, at=7, q=drones", href)
		}

		// The link opens the document at page 7: its pages are sections
		// with their number, the matches marked in pages 3 and 7.
		b.clickInPage("following the link of page 7", `#hits .pages-line a:last-child`, "doc=sahel.pdf", "at=7")
		pages := eval[[]string](b, `[...document.querySelectorAll('#doc-body section.pdf-page')].map((p) =>
			p.id + ':' + p.querySelector('.page-break').textContent + ':' + p.querySelectorAll('mark').length)`)
		if len(pages) != 12 || pages[0] != "p1:Page 1:0" || pages[2] != "p3:Page 3:1" || pages[6] != "p7:Page 7:1" || pages[11] != "p12:Page 12:0" {
			t.Errorf("document sections (id:label:marks) = %q; want 12 pages, one mark on pages 3 and 7", pages)
		}
		checkAtPage(t, b, 7)
		if meta := eval[string](b, `document.getElementById('doc-meta').textContent`); !strings.Contains(meta, "Pages1–12") {
			t.Errorf("document meta %q; want Pages 1–12", meta)
		}
	})

	t.Run("open at a page", func(t *testing.T) {
		b := browser.on(t)
		b.do("opening page 11 by its link", chromedp.Navigate(base+"/?doc=sahel.pdf&at=11"))
		b.waitRendered("at=11")
		checkAtPage(t, b, 11)
		b.do("opening page 9 by #p9", chromedp.Navigate(base+"/?doc=sahel.pdf#p9"))
		b.waitRendered("doc=sahel.pdf", "!at=")
		checkAtPage(t, b, 9)
		// A document without pages has no page sections.
		b.do("opening a text", chromedp.Navigate(base+"/?doc=note.txt&q=drones&at=3"))
		b.waitRendered("doc=note.txt")
		if n := eval[int](b, `document.querySelectorAll('#doc-body section.pdf-page').length`); n != 0 {
			t.Errorf("note.txt: %d page sections; want none", n)
		}
	})
}

// checkAtPage checks that the document view shows page n at the top of the
// window, marked as the page opened at.
func checkAtPage(t *testing.T, b *browser, n int) {
	t.Helper()
	got := eval[string](b, fmt.Sprintf(`(() => {
		const p = document.getElementById('p%d');
		if (!p) return 'no section p%d';
		const top = p.getBoundingClientRect().top;
		return (top >= 0 && top < window.innerHeight / 3 ? 'in view' : 'at ' + top + ' of ' + window.innerHeight) +
			(p.classList.contains('current-page') ? ' current' : '');
	})()`, n, n))
	if got != "in view current" {
		t.Errorf("page %d: %s; want it at the top of the window, marked current", n, got)
	}
}
