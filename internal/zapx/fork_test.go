// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap_test

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"

	zap "github.com/rapports/rapports/internal/zapx"
)

func init() {
	scorch.RegisterSegmentPlugin(&zap.ZapPlugin{}, false)
}

// forkDoc is a document of TestForkMatchesZapx.
type forkDoc struct {
	Title string   `json:"title"`
	Body  string   `json:"body"`
	Tags  []string `json:"tags"`
}

// forkMapping has the cases the fork encodes differently: term vectors on
// body and tags (array positions), a composite _all field gathering the
// locations of several fields (field IDs other than its own), and a title
// in _all without term vectors (so _all's frequency differs from its
// number of locations).
func forkMapping() *mapping.IndexMappingImpl {
	text := func(vectors bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = "standard"
		f.Store = true
		f.IncludeTermVectors = vectors
		f.IncludeInAll = true
		return f
	}
	doc := mapping.NewDocumentStaticMapping()
	doc.AddFieldMappingsAt("title", text(false))
	doc.AddFieldMappingsAt("body", text(true))
	doc.AddFieldMappingsAt("tags", text(true))
	m := mapping.NewIndexMapping()
	m.DefaultMapping = doc
	m.DefaultAnalyzer = "standard"
	return m
}

var forkWords = func() []string {
	w := make([]string, 300)
	for i := range w {
		w[i] = fmt.Sprintf("w%03d", i)
	}
	return w
}()

// randomDoc returns a document whose body repeats words of a skewed
// vocabulary (some words in most documents: postings lists of more than
// 256 documents; others rare: delta-coded lists and one-hit terms).
func randomDoc(r *rand.Rand) forkDoc {
	word := func() string {
		if r.Intn(3) == 0 {
			return forkWords[r.Intn(8)]
		}
		return forkWords[r.Intn(len(forkWords))]
	}
	n := 1 + r.Intn(300)
	if r.Intn(10) == 0 {
		n = 2000 + r.Intn(3000) // field lengths needing 2 bytes of norm
	}
	body := make([]string, n)
	for i := range body {
		body[i] = word()
	}
	d := forkDoc{Title: word() + " " + word(), Body: strings.Join(body, " ")}
	for range r.Intn(4) {
		d.Tags = append(d.Tags, word()+" "+word())
	}
	return d
}

// buildForkIndex indexes docs in batches of 40 with the segment type and
// version of cfg, deletes and updates some, force-merges and reopens it.
func buildForkIndex(t *testing.T, dir string, cfg map[string]any, docs map[string]forkDoc, edits func(*bleve.Batch)) bleve.Index {
	t.Helper()
	bi, err := bleve.NewUsing(dir, forkMapping(), scorch.Name, scorch.Name, cfg)
	if err != nil {
		t.Fatal(err)
	}
	b := bi.NewBatch()
	for i := range len(docs) {
		id := fmt.Sprintf("d%04d", i)
		if err := b.Index(id, docs[id]); err != nil {
			t.Fatal(err)
		}
		if b.Size() == 40 {
			if err := bi.Batch(b); err != nil {
				t.Fatal(err)
			}
			b = bi.NewBatch()
		}
	}
	edits(b)
	if err := bi.Batch(b); err != nil {
		t.Fatal(err)
	}
	adv, err := bi.Advanced()
	if err != nil {
		t.Fatal(err)
	}
	if err := adv.(*scorch.Scorch).ForceMerge(context.Background(), &mergeplan.SingleSegmentMergePlanOptions); err != nil {
		t.Fatal(err)
	}
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	bi, err = bleve.OpenUsing(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return bi
}

// TestForkMatchesZapx indexes the same documents, deletes and updates into
// an index of Bleve's zapx v17 segments and one of the fork's, and checks
// that every search gives the same hits, scores (norms and frequencies),
// locations (positions, offsets, array positions, fields), phrase matches
// and stored fields, in fresh segments and after merges with deletions.
func TestForkMatchesZapx(t *testing.T) {
	r := rand.New(rand.NewSource(15))
	docs := map[string]forkDoc{}
	for i := range 700 {
		docs[fmt.Sprintf("d%04d", i)] = randomDoc(r)
	}
	updates := map[string]forkDoc{}
	for i := 0; i < 700; i += 13 {
		updates[fmt.Sprintf("d%04d", i)] = randomDoc(r)
	}
	edits := func(b *bleve.Batch) {
		for i := 5; i < 700; i += 11 {
			b.Delete(fmt.Sprintf("d%04d", i))
		}
		for id, d := range updates {
			b.Index(id, d)
		}
	}
	tmp := t.TempDir()
	ref := buildForkIndex(t, filepath.Join(tmp, "v17"), map[string]any{"forceSegmentType": "zap", "forceSegmentVersion": 17}, docs, edits)
	defer ref.Close()
	forkDir := filepath.Join(tmp, "fork")
	fork := buildForkIndex(t, forkDir, map[string]any{"forceSegmentType": zap.Type, "forceSegmentVersion": int(zap.Version)}, docs, edits)
	defer fork.Close()

	// The fork's index is made of the fork's segments.
	segs := 0
	filepath.Walk(forkDir, func(path string, info os.FileInfo, err error) error {
		if err == nil && filepath.Ext(path) == ".zap" {
			if _, err := zap.SegmentSizeStats(path, "w00"); err != nil {
				t.Errorf("segment %s: %v", path, err)
			}
			segs++
		}
		return nil
	})
	if segs == 0 {
		t.Fatal("no segment in the fork's index")
	}

	var queries []query.Query
	for _, w := range []string{"w000", "w001", "w007", "w008", "w150", "w299"} {
		for _, f := range []string{"body", "title", "tags", "_all"} {
			q := bleve.NewTermQuery(w)
			q.SetField(f)
			queries = append(queries, q)
		}
	}
	for _, p := range []string{"w000 w001", "w003 w003", "w150 w000", "w010 w020"} {
		for _, f := range []string{"body", "tags", "_all"} {
			q := bleve.NewMatchPhraseQuery(p)
			q.SetField(f)
			queries = append(queries, q)
		}
	}
	for _, q := range queries {
		name := fmt.Sprintf("%T %v", q, q)
		req := bleve.NewSearchRequestOptions(q, 1000, 0, false)
		req.IncludeLocations = true
		req.Fields = []string{"*"}
		req.SortBy([]string{"_id"})
		want, err := ref.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := fork.Search(req)
		if err != nil {
			t.Fatal(err)
		}
		if got.Total != want.Total || len(got.Hits) != len(want.Hits) {
			t.Errorf("%s: %d hits, zapx v17 %d", name, got.Total, want.Total)
			continue
		}
		if want.Total == 0 && !strings.Contains(name, "Phrase") {
			t.Errorf("%s: no hits (the test should have some)", name)
		}
		for i := range got.Hits {
			g, w := got.Hits[i], want.Hits[i]
			if g.ID != w.ID || g.Score != w.Score {
				t.Errorf("%s: hit %d = %s %v, zapx v17 %s %v", name, i, g.ID, g.Score, w.ID, w.Score)
				break
			}
			// The fork writes no offsets (locs.go): positions, fields
			// and array positions must be zapx v17's, offsets 0.
			if !reflect.DeepEqual(locations(g.Locations), locations(w.Locations)) {
				t.Errorf("%s: %s: locations\n%v\nzapx v17\n%v", name, g.ID, locations(g.Locations), locations(w.Locations))
				break
			}
			if off := offsets(g.Locations); off != "" {
				t.Errorf("%s: %s: the fork's locations have offsets: %s", name, g.ID, off)
				break
			}
			if !reflect.DeepEqual(g.Fields, w.Fields) {
				t.Errorf("%s: %s: stored fields %v, zapx v17 %v", name, g.ID, g.Fields, w.Fields)
				break
			}
		}
	}
	// 64 deleted, 5 of them indexed again by the same batch.
	n, err := fork.DocCount()
	if err != nil || n != 700-64+5 {
		t.Errorf("fork: %d documents (%v), want %d", n, err, 700-64+5)
	}
}

// locations returns the locations of a hit in a comparable form, without
// their offsets: field, term, position and array positions.
func locations(fl search.FieldTermLocationMap) map[string][]string {
	out := map[string][]string{}
	for f, tl := range fl {
		for term, locs := range tl {
			for _, l := range locs {
				out[f+"/"+term] = append(out[f+"/"+term], fmt.Sprintf("%d%v", l.Pos, l.ArrayPositions))
			}
		}
	}
	return out
}

// offsets returns the first location of fl with a start or end offset,
// or "" when they are all 0.
func offsets(fl search.FieldTermLocationMap) string {
	for f, tl := range fl {
		for term, locs := range tl {
			for _, l := range locs {
				if l.Start != 0 || l.End != 0 {
					return fmt.Sprintf("%s/%s %d:%d-%d", f, term, l.Pos, l.Start, l.End)
				}
			}
		}
	}
	return ""
}

// BenchmarkNewSegment builds a segment of 500 analysed documents (title and
// body with term vectors), as Scorch does for each batch:
//
//	go test ./internal/zapx -run XXX -bench NewSegment -count 6
func BenchmarkNewSegment(b *testing.B) {
	m := forkMapping()
	for _, f := range []string{"title", "body", "tags"} {
		m.DefaultMapping.Properties[f].Fields[0].IncludeInAll = false
	}
	r := rand.New(rand.NewSource(1))
	var docs []index.Document
	for i := range 500 {
		d := randomDoc(r)
		d.Tags = nil // a field met twice would be merged into its first one by each build
		doc := document.NewDocument(fmt.Sprintf("d%04d", i))
		if err := m.MapDocument(doc, d); err != nil {
			b.Fatal(err)
		}
		doc.AddIDField()
		doc.VisitFields(func(f index.Field) {
			if f.Options().IsIndexed() {
				f.Analyze()
			}
		})
		docs = append(docs, doc)
	}
	p := &zap.ZapPlugin{}
	b.ResetTimer()
	for range b.N {
		s, _, err := p.New(docs)
		if err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
