package analyzers

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

func TestTermCacheBounded(t *testing.T) {
	c := newTermCache[[2][]byte]()
	for i := range 3 * maxEntries {
		key := []byte(fmt.Sprintf("mot%d", i))
		c.put(key, [2][]byte{key})
		if v, ok := c.get(key); !ok || string(v[0]) != string(key) {
			t.Fatalf("get(%q) = %q, %v just after put", key, v[0], ok)
		}
	}
	if n := c.len(); n > maxEntries {
		t.Errorf("cache holds %d entries; want at most %d", n, maxEntries)
	}
	// A term read often survives any number of new terms.
	hot := []byte("armée")
	c.put(hot, [2][]byte{[]byte("arme")})
	for i := range 3 * maxEntries {
		c.put([]byte(fmt.Sprintf("autre%d", i)), [2][]byte{nil})
		if i%1000 == 0 {
			if v, ok := c.get(hot); !ok || string(v[0]) != "arme" {
				t.Fatalf("get(%q) after %d new terms = %q, %v; want \"arme\", true", hot, i, v[0], ok)
			}
		}
	}
}

// TestConcurrentAnalysis runs one analyzer from many goroutines, as an
// index does, and checks every result against a sequential run (run with
// -race to check the caches).
func TestConcurrentAnalysis(t *testing.T) {
	texts := []string{
		"L’armée des États-Unis a tiré des missiles sur la base.",
		"La sécurité nationale du Sénégal et de la Côte d’Ivoire.",
		"Le 1er mai, l'ONU et l’OTAN ont réuni les Émirats arabes unis.",
		"Les présidents, le président, la présidence : Israël, Israel.",
	}
	for _, name := range []string{FrenchName, IndexName} {
		a, err := registry.NewCache().AnalyzerNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		want := make([][]string, len(texts))
		for i, text := range texts {
			want[i] = terms(t, name, text)
		}
		var wg sync.WaitGroup
		errs := make(chan string, 8*len(texts))
		for g := range 8 {
			wg.Go(func() {
				for round := range 50 {
					i := (g + round) % len(texts)
					var got []string
					for _, tok := range a.Analyze([]byte(texts[i])) {
						got = append(got, string(tok.Term))
					}
					if !slices.Equal(got, want[i]) {
						errs <- fmt.Sprintf("%s: Analyze(%q) = %q; want %q", name, texts[i], got, want[i])
						return
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Error(e)
		}
	}
}

// TestReusedBuffer analyzes texts in one buffer, as a caller reusing its
// memory does: the cached terms of a text must not change when the buffer
// is overwritten with the next one.
func TestReusedBuffer(t *testing.T) {
	texts := []string{"2024 1er g7 armée", "la zz 2024 armée g7 1er", "9999 9e x1 zzzzz"}
	all := make(map[string]analysis.Analyzer)
	for _, name := range Names() {
		a, err := registry.NewCache().AnalyzerNamed(name)
		if err != nil {
			t.Fatal(err)
		}
		all[name] = a
	}
	for name, a := range unfused(t) {
		all[name+" (unfused)"] = a
	}
	for what, a := range all {
		name := strings.TrimSuffix(what, " (unfused)")
		buf := make([]byte, 0, 64)
		for round := range 3 {
			for _, text := range texts {
				buf = append(buf[:0], text...)
				var got []string
				for _, tok := range a.Analyze(buf) {
					got = append(got, string(tok.Term))
				}
				if want := terms(t, name, text); !slices.Equal(got, want) {
					t.Errorf("round %d: %s: Analyze(%q) in a reused buffer = %q; want %q", round, what, text, got, want)
				}
			}
		}
	}
}
