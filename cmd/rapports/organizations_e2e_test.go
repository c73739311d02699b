package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapports/rapports/index"
)

// TestEndToEndOrganizations indexes a folder naming organisations and runs
// the binary's search with --org, expansion and the did-you-mean line.
func TestEndToEndOrganizations(t *testing.T) {
	if testing.Short() {
		t.Skip("end-to-end test skipped in -short mode")
	}
	env := isolated(t)
	root := t.TempDir()
	docs, idxDir := filepath.Join(root, "docs"), filepath.Join(root, "idx")
	files := map[string]string{
		"onu.txt":  "L'ONU appelle à une trêve à Gaza, dit le secrétaire général.",
		"nu.txt":   "Les Nations unies et l'Otan discutent de la défense aérienne.",
		"otan.txt": "L'Alliance atlantique renforce la défense aérienne de la Pologne.",
		"om.txt":   "L'OM a battu Lyon samedi soir.",
	}
	for i := range 12 {
		files[filepath.Join("zel", string(rune('a'+i))+".txt")] = "Le président Zelensky demande une défense aérienne."
	}
	files["typo.txt"] = "Zelenski à Paris."
	for name, body := range files {
		p := filepath.Join(docs, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, errOut, code := runBinary(t, env, "index", "--index", idxDir, docs); code != 0 {
		t.Fatalf("index: exit %d\n%s\n%s", code, out, errOut)
	}
	search := func(args ...string) (*index.Result, int) {
		t.Helper()
		out, errOut, code := runBinary(t, env, append([]string{"search", "--index", idxDir, "--json", "--size", "50"}, args...)...)
		var res index.Result
		if code == 0 {
			if err := json.Unmarshal([]byte(out), &res); err != nil {
				t.Fatalf("search %q: %v in %s (%s)", args, err, out, errOut)
			}
		}
		return &res, code
	}
	ids := func(res *index.Result) []string {
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.ID)
		}
		slices.Sort(out)
		return out
	}
	if res, _ := search("ONU"); !slices.Equal(ids(res), []string{"nu.txt", "onu.txt"}) {
		t.Errorf("search ONU: %q; want nu.txt and onu.txt (Nations unies)", ids(res))
	}
	if res, _ := search("OMS"); res.Total != 0 {
		t.Errorf("search OMS: %q; want nothing (OM is not OMS)", ids(res))
	}
	res, code := search("--org", "otan", "défense aérienne")
	if code != 0 || !slices.Equal(ids(res), []string{"nu.txt", "otan.txt"}) {
		t.Errorf("search --org otan: exit %d, %q; want nu.txt and otan.txt", code, ids(res))
	}
	if i := slices.IndexFunc(res.Facets.Organization, func(c index.OrgCount) bool { return c.Code == "ONU" }); i < 0 || res.Facets.Organization[i].Count != 1 {
		t.Errorf("search --org otan: organisation facet %+v; want ONU 1 (disjunctive: OTAN's filter is off for it)", res.Facets.Organization)
	}
	if res, _ := search("Zelenski"); res.Suggestion != "Zelensky" {
		t.Errorf("search Zelenski: suggestion %q; want Zelensky", res.Suggestion)
	}
	out, _, _ := runBinary(t, env, "search", "--index", idxDir, "Zelenski")
	if !strings.Contains(out, `Did you mean "Zelensky"?`) {
		t.Errorf("search Zelenski: no did-you-mean line in:\n%s", out)
	}
	out, _, _ = runBinary(t, env, "search", "--index", idxDir, "défense aérienne")
	if !strings.Contains(out, "Organisations: OTAN 2, ONU 1") {
		t.Errorf("search: no organisations line in:\n%s", out)
	}
	_, errOut, code := runBinary(t, env, "search", "--index", idxDir, "--org", "NOPE", "gaza")
	if code != 2 || !strings.Contains(errOut, `organization: "NOPE" is not a code`) {
		t.Errorf("search --org NOPE: exit %d, stderr %q; want 2 and a message naming it", code, errOut)
	}
}
