package corpus_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
)

// TestBigPDFWords reads a generated 1,000-page French PDF (RAPPORTS_BIGPDF=1;
// RAPPORTS_BIGPDF_PAGES changes the count), indexes its parts and searches
// every distinct word written into it: it logs the share found in the PDF,
// and the share of the pages whose marker word ("jalon00042", once on page
// 42) is found with that page in Hit.Pages. Both must be at least 99%.
//
//	RAPPORTS_BIGPDF=1 go test -run TestBigPDFWords -v ./corpus
func TestBigPDFWords(t *testing.T) {
	if os.Getenv("RAPPORTS_BIGPDF") == "" {
		t.Skip("RAPPORTS_BIGPDF not set: the 1,000-page PDF test takes a minute")
	}
	pages := 1000
	if _, err := fmt.Sscan(os.Getenv("RAPPORTS_BIGPDF_PAGES"), &pages); err != nil {
		pages = 1000
	}
	ctx := context.Background()
	texts := corpus.FrenchPages(7, pages, 12)
	data := corpus.FrenchPDF(t, 7, pages, 12)
	idx, err := index.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	var parts []corpus.Report
	_, err = corpus.WalkFS(ctx, fstest.MapFS{"gros.pdf": {Data: data}}, corpus.Options{}, func(r corpus.Report) error {
		parts = append(parts, r)
		return nil
	})
	if err != nil || len(parts) == 0 {
		t.Fatalf("WalkFS: %d parts, %v", len(parts), err)
	}
	if err := idx.Add(ctx, parts...); err != nil {
		t.Fatal(err)
	}
	last := parts[len(parts)-1]
	if got := last.FirstPage + len(last.PageStarts) - 1; got != pages {
		t.Errorf("%d parts end on page %d; want %d", len(parts), got, pages)
	}

	inPDF := func(q string) (bool, []int) {
		res, err := idx.Search(ctx, index.Request{Query: q, Size: index.MaxSize})
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		var found bool
		var at []int
		for _, h := range res.Hits {
			if strings.HasPrefix(h.ID, "gros.pdf") {
				found = true
				at = append(at, h.Pages...)
			}
		}
		return found, at
	}
	words := map[string]bool{}
	for _, text := range texts {
		for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len([]rune(w)) >= 2 && !strings.HasPrefix(w, "jalon") {
				words[w] = true
			}
		}
	}
	var missing []string
	for w := range words {
		if ok, _ := inPDF(w); !ok {
			missing = append(missing, w)
		}
	}
	slices.Sort(missing)
	var wrongPage []string
	for p := 1; p <= pages; p++ {
		if ok, at := inPDF(fmt.Sprintf("jalon%05d", p)); !ok || !slices.Equal(at, []int{p}) {
			wrongPage = append(wrongPage, fmt.Sprintf("%d→%v", p, at))
		}
	}
	wordShare := 1 - float64(len(missing))/float64(len(words))
	pageShare := 1 - float64(len(wrongPage))/float64(pages)
	t.Logf("%d pages in %d parts: %d of %d distinct words found (%.2f%%); %d of %d page markers found on their page (%.2f%%)",
		pages, len(parts), len(words)-len(missing), len(words), 100*wordShare, pages-len(wrongPage), pages, 100*pageShare)
	if wordShare < 0.99 {
		t.Errorf("words not found: %q", missing)
	}
	if pageShare < 0.99 {
		t.Errorf("page markers not found on their page: %q", wrongPage[:min(len(wrongPage), 20)])
	}
}
