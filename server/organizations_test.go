package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// TestSearchOrganizationsHTTP runs organization=, the organisation facet,
// expansion and the suggestion through the HTTP API on a real index.
func TestSearchOrganizationsHTTP(t *testing.T) {
	idx, err := index.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	bodies := []string{"L'ONU appelle au calme.", "Les Nations unies et l'Otan se réunissent.", "L'Alliance atlantique se réunit."}
	for i := range 12 {
		bodies = append(bodies, fmt.Sprintf("Le président Zelensky parle (%d).", i))
	}
	bodies = append(bodies, "Zelenski parle.")
	var reps []corpus.Report
	for i, b := range bodies {
		r := corpus.Report{ID: fmt.Sprintf("r%02d", i), Body: b}
		r.Organizations, r.OrgMentions = corpus.FindOrganizations(b)
		reps = append(reps, r)
	}
	if err := idx.Add(context.Background(), reps...); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(idx, server.Options{}, nil))
	defer srv.Close()
	get := func(v url.Values) (int, index.Result) {
		resp, err := http.Get(srv.URL + "/api/search?" + v.Encode())
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var res index.Result
		if resp.StatusCode == 200 {
			if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
				t.Fatal(err)
			}
		}
		return resp.StatusCode, res
	}
	if code, res := get(url.Values{"q": {"ONU"}}); code != 200 || res.Total != 2 {
		t.Errorf("q=ONU: status %d, %d results; want 2 (ONU and Nations unies)", code, res.Total)
	}
	code, res := get(url.Values{"q": {"NATO"}, "organization": {"onu"}})
	if code != 200 || res.Total != 1 || res.Hits[0].ID != "r01" {
		t.Errorf("q=NATO&organization=onu: status %d, %+v; want r01 only", code, res.Hits)
	}
	if len(res.Facets.Organization) != 2 || res.Facets.Organization[0].Code != "OTAN" || res.Facets.Organization[0].Count != 2 {
		t.Errorf("q=NATO&organization=onu: facet %+v; want OTAN 2 (disjunctive) and ONU", res.Facets.Organization)
	}
	if _, res := get(url.Values{"q": {"Zelenski"}}); res.Suggestion != "Zelensky" {
		t.Errorf("q=Zelenski: suggestion %q; want Zelensky", res.Suggestion)
	}
	if code, _ := get(url.Values{"q": {"ONU"}, "organization": {"XYZ"}}); code != 400 {
		t.Errorf("organization=XYZ: status %d; want 400", code)
	}
}
