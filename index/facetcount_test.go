package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"

	"github.com/rapports/rapports/corpus"
)

// TestFacetCounter compares the facet counts of facetCounter with those of
// Bleve's own terms facets, on an index on disk of several segments (one
// per Add) with deleted and replaced reports, for queries matching few,
// many and all reports.
func TestFacetCounter(t *testing.T) {
	idx, err := Open(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	ctx := context.Background()
	codes := []string{"FR", "DE", "SN", "ML", "UA", "RU", "IL"}
	orgs := []string{"ONU", "OTAN", "MSF"}
	var all []corpus.Report
	for batch := range 5 {
		var reports []corpus.Report
		for i := range 40 {
			n := batch*40 + i
			r := corpus.Report{
				ID:    fmt.Sprintf("r%d", n),
				Title: fmt.Sprintf("Rapport %d", n),
				Body:  "Les drones et la défense. " + strings.Repeat("armée ", n%3),
				Date:  day(fmt.Sprintf("%d-%02d-01", 2015+n%9, 1+n%12)),
				Hash:  fmt.Sprint(n),
			}
			for k := range n % 4 {
				r.Countries = append(r.Countries, codes[(n+k)%len(codes)])
				r.Mentions = append(r.Mentions, 1)
			}
			if n%5 == 0 {
				r.Organizations, r.OrgMentions = []string{orgs[n%len(orgs)]}, []int{1}
			}
			reports = append(reports, r)
		}
		if err := idx.Add(ctx, reports...); err != nil {
			t.Fatal(err)
		}
		all = append(all, reports...)
	}
	// Deleted and replaced reports: their old documents stay in their
	// segments, marked deleted.
	if err := idx.Delete(ctx, "r3", "r50", "r51", "r199"); err != nil {
		t.Fatal(err)
	}
	moved := all[7]
	moved.Countries, moved.Mentions = []string{"JO"}, []int{1}
	moved.Hash = "changed"
	if err := idx.Add(ctx, moved); err != nil {
		t.Fatal(err)
	}
	if n := segmentCount(t, idx); n < 2 {
		t.Logf("the index has %d segment: the test covers less than it should", n)
	} else {
		t.Logf("%d segments", n)
	}
	fields := []string{fieldCountries, fieldOrgs, fieldYear, fieldMonth}
	for _, q := range []string{"armée", "drones", "rapport 17", "introuvable"} {
		t.Run(q, func(t *testing.T) {
			p, err := idx.validate(ctx, Request{Query: q})
			if err != nil {
				t.Fatal(err)
			}
			want := bleve.NewSearchRequestOptions(p.text, 0, 0, false)
			want.Facets = bleve.FacetsRequest{}
			for _, f := range fields {
				want.Facets[f] = bleve.NewFacetRequest(f, 1000)
			}
			wres, err := idx.search(ctx, want)
			if err != nil {
				t.Fatal(err)
			}
			fc := newFacetCounter(&idx.columns, fields)
			gres, err := idx.search(fc.context(ctx), bleve.NewSearchRequestOptions(p.text, 0, 0, false))
			if err != nil {
				t.Fatal(err)
			}
			if gres.Total != wres.Total {
				t.Errorf("total %d; Bleve's %d", gres.Total, wres.Total)
			}
			for _, f := range fields {
				var w, g []string
				for _, tf := range wres.Facets[f].Terms.Terms() {
					w = append(w, fmt.Sprintf("%s:%d", tf.Term, tf.Count))
				}
				for _, r := range fc.rows(f, 1000) {
					g = append(g, fmt.Sprintf("%s:%d", r.term, r.count))
				}
				if !slices.Equal(g, w) {
					t.Errorf("facet %s of %q = %v; Bleve's %v", f, q, g, w)
				}
			}
		})
	}
}

// segmentCount returns the number of Scorch segments of idx.
func segmentCount(t *testing.T, idx *Index) int {
	t.Helper()
	adv, err := idx.bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	r, err := adv.Reader()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	snap, ok := r.(*scorch.IndexSnapshot)
	if !ok {
		t.Fatalf("reader %T is not Scorch's", r)
	}
	return len(snap.Segments())
}
