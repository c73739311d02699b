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
	})
}
