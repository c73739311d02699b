package index

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus"
)

// orgIndex returns an in-memory index of short reports naming
// organisations, found in their text as a walk finds them.
func orgIndex(t *testing.T) *Index {
	t.Helper()
	idx, err := OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	bodies := []struct{ id, body string }{
		{"nu", "Les Nations unies ont voté une résolution."},
		{"onu", "L'ONU a voté une résolution."},
		{"dots", "L'O.N.U. a voté en 1950."},
		{"en", "The United Nations voted."},
		{"om", "L'OM a battu Lyon."},
		{"oms", "L'OMS alerte sur la rougeole."},
		{"oms-long", "L'Organisation mondiale de la santé alerte sur la rougeole."},
		{"otan", "L'Otan renforce son flanc est, l'Alliance atlantique aussi."},
		{"both", "L'ONU et l'OTAN se réunissent à Bruxelles."},
		{"ps", "P.S. : je vote demain."},
	}
	var reps []corpus.Report
	for _, b := range bodies {
		r := corpus.Report{ID: b.id, Title: "Rapport " + b.id, Body: b.body}
		r.Organizations, r.OrgMentions = corpus.FindOrganizations(b.body)
		reps = append(reps, r)
	}
	if err := idx.Add(context.Background(), reps...); err != nil {
		t.Fatal(err)
	}
	return idx
}

func hitIDs(res *Result) []string {
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}

func TestSearchOrganizationExpansion(t *testing.T) {
	idx := orgIndex(t)
	cases := []struct {
		q    string
		want []string
	}{
		{"ONU", []string{"both", "dots", "en", "nu", "onu"}},
		{"onu", []string{"both", "dots", "en", "nu", "onu"}},
		{"O.N.U.", []string{"both", "dots", "en", "nu", "onu"}},
		{"Nations unies", []string{"both", "dots", "en", "nu", "onu"}},
		{`"Nations unies"`, []string{"both", "dots", "en", "nu", "onu"}},
		{"United Nations", []string{"both", "dots", "en", "nu", "onu"}},
		{"Nations unies résolution", []string{"nu", "onu"}},
		// OMS does not find OM, and finds its long name.
		{"OMS", []string{"oms", "oms-long"}},
		{"oms", []string{"oms", "oms-long"}},
		{"organisation mondiale de la santé", []string{"oms", "oms-long"}},
		{"WHO", []string{"oms", "oms-long"}},
		{"NATO", []string{"both", "otan"}},
		// exact: turns expansion off; signs, title: and OR keep their sense.
		{"exact:ONU", []string{"both", "dots", "onu"}},
		{"exact:\"Nations unies\"", []string{"nu"}},
		{"ONU -OTAN", []string{"dots", "en", "nu", "onu"}},
		{"title:ONU", []string{"onu"}},
		{"OTAN OR OMS", []string{"both", "oms", "oms-long", "otan"}},
		// Not an organisation: searched as before.
		{"Nations", []string{"en", "nu"}},
	}
	for _, tc := range cases {
		res, err := idx.Search(context.Background(), Request{Query: tc.q, Size: 20})
		if err != nil {
			t.Errorf("Search(%q): %v", tc.q, err)
			continue
		}
		if got := hitIDs(res); !slices.Equal(got, tc.want) {
			t.Errorf("Search(%q) = %q; want %q", tc.q, got, tc.want)
		}
	}
}

func TestSearchOrganizationHighlight(t *testing.T) {
	idx := orgIndex(t)
	res, err := idx.Search(context.Background(), Request{Query: "ONU", Highlight: true, Size: 20})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"nu":   "Les <mark>Nations</mark> <mark>unies</mark>",
		"onu":  "L&#39;<mark>ONU</mark> a voté",
		"dots": "L&#39;<mark>O.N.U</mark>",
		"en":   "The <mark>United</mark> <mark>Nations</mark>",
	}
	for _, h := range res.Hits {
		w, ok := want[h.ID]
		if !ok {
			continue
		}
		if len(h.FragmentsHTML) == 0 || !strings.Contains(h.FragmentsHTML[0], w) {
			t.Errorf("Search(ONU) hit %s: fragments %q; want one with %q", h.ID, h.FragmentsHTML, w)
		}
	}
}

func TestSearchOrganizationFacet(t *testing.T) {
	idx := orgIndex(t)
	ctx := context.Background()
	res, err := idx.Search(ctx, Request{Query: "vote OR voté OR voted OR réunissent"})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Facets.Organization; len(got) != 2 || got[0] != (OrgCount{Code: "ONU", Name: "Organisation des Nations unies", Acronym: "ONU", Count: 5}) ||
		got[1].Code != "OTAN" || got[1].Count != 1 {
		t.Errorf("organisation facet = %+v; want ONU 5, OTAN 1", got)
	}
	// The filter keeps reports naming any of the codes; the facet is
	// disjunctive: it counts what each organisation would add.
	res, err = idx.Search(ctx, Request{Query: "vote OR voté OR voted OR réunissent", Organizations: []string{"otan"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := hitIDs(res); !slices.Equal(got, []string{"both"}) {
		t.Errorf("filter OTAN: hits %q; want [both]", got)
	}
	if got := res.Facets.Organization; len(got) != 2 || got[0].Code != "ONU" || got[0].Count != 5 {
		t.Errorf("filter OTAN: facet %+v; want ONU 5 then OTAN", got)
	}
	if h := res.Hits[0]; !slices.Equal(h.Organizations, []string{"ONU", "OTAN"}) {
		t.Errorf("hit organizations = %q; want [ONU OTAN]", h.Organizations)
	}
	// A selected organisation that matches nothing is still listed.
	res, err = idx.Search(ctx, Request{Query: "voté", Organizations: []string{"MSF"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := res.Facets.Organization; !slices.ContainsFunc(got, func(c OrgCount) bool { return c.Code == "MSF" && c.Count == 0 }) {
		t.Errorf("filter MSF: facet %+v; want MSF with 0", got)
	}
	if _, err := idx.Search(ctx, Request{Query: "voté", Organizations: []string{"NOPE"}}); err == nil || !strings.Contains(err.Error(), `organization: "NOPE"`) {
		t.Errorf("filter NOPE: error %v; want a bad request naming it", err)
	}
	res, err = idx.Search(ctx, Request{Query: "voté", Facets: FacetOptions{Organizations: -1}})
	if err != nil || len(res.Facets.Organization) != 0 {
		t.Errorf("no organisation facet: %+v, %v", res.Facets.Organization, err)
	}
	d, err := idx.Document(ctx, "otan", DocumentOptions{})
	if err != nil || !slices.Equal(d.Organizations, []string{"OTAN"}) || !slices.Equal(d.OrgMentions, []int{2}) {
		t.Errorf("Document(otan): %q %v, %v; want [OTAN] [2]", d.Organizations, d.OrgMentions, err)
	}
}

func TestAllOrgsCountsEveryCode(t *testing.T) {
	if n := len(corpus.OrganizationCodes()); allOrgs < n {
		t.Errorf("allOrgs = %d < %d codes: the disjunctive facet would miss some", allOrgs, n)
	}
}
