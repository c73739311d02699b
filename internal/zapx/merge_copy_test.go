// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	index "github.com/blevesearch/bleve_index_api"
	seg "github.com/blevesearch/scorch_segment_api/v2"
)

// TestMergeCopyListsSameBytes merges segments of random documents (rare
// and frequent words, term vectors, array positions, a composite field)
// with postingsCopier and with the PostingsIterator it replaces, and
// checks that the two files are the same bytes; with deleted documents
// (where the merge does not use it) too.
func TestMergeCopyListsSameBytes(t *testing.T) {
	m := mapping.NewIndexMapping()
	m.DefaultAnalyzer = "standard"
	doc := mapping.NewDocumentStaticMapping()
	for _, f := range []struct {
		name    string
		vectors bool
	}{{"title", false}, {"body", true}, {"tags", true}} {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = "standard"
		fm.Store = true
		fm.IncludeTermVectors = f.vectors
		fm.IncludeInAll = true
		doc.AddFieldMappingsAt(f.name, fm)
	}
	m.DefaultMapping = doc
	r := rand.New(rand.NewSource(7))
	word := func() string {
		if r.Intn(3) == 0 {
			return fmt.Sprintf("w%d", r.Intn(8))
		}
		return fmt.Sprintf("w%d", r.Intn(2000))
	}
	p := &ZapPlugin{}
	dir := t.TempDir()
	var segs []seg.Segment
	for s, n := range []int{1, 40, 700, 90, 300} {
		var docs []index.Document
		for i := range n {
			body := make([]string, 1+r.Intn(200))
			for k := range body {
				body[k] = word()
			}
			v := map[string]any{"title": word() + " " + word(), "body": strings.Join(body, " ")}
			var tags []string
			for range r.Intn(4) {
				tags = append(tags, word()+" "+word())
			}
			v["tags"] = tags
			d := document.NewDocument(fmt.Sprintf("s%dd%d", s, i))
			if err := m.MapDocument(d, v); err != nil {
				t.Fatal(err)
			}
			d.AddIDField()
			d.VisitFields(func(f index.Field) { // as Scorch analyzes a document
				if f.Options().IsIndexed() {
					f.Analyze()
					if f.Name() != "_id" {
						d.VisitComposite(func(cf index.CompositeField) {
							cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
						})
					}
				}
			})
			docs = append(docs, d)
		}
		sb, _, err := p.New(docs)
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dir, fmt.Sprintf("in%d.zap", s))
		if err := PersistSegmentBase(sb.(*SegmentBase), path); err != nil {
			t.Fatal(err)
		}
		sf, err := p.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer sf.Close()
		segs = append(segs, sf)
	}
	dropSome := roaring.BitmapOf(3, 17, 250)
	for _, c := range []struct {
		name  string
		drops []*roaring.Bitmap
	}{
		{"no-drops", make([]*roaring.Bitmap, len(segs))},
		{"drops", []*roaring.Bitmap{nil, nil, dropSome, nil, nil}},
	} {
		merged := func(copyLists bool) []byte {
			mergeCopyLists = copyLists
			defer func() { mergeCopyLists = true }()
			path := filepath.Join(dir, fmt.Sprintf("%s-%v.zap", c.name, copyLists))
			if _, _, err := p.Merge(segs, c.drops, path, nil, nil); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		with, without := merged(true), merged(false)
		if !bytes.Equal(with, without) {
			t.Errorf("%s: merged segments differ: %d bytes with postingsCopier, %d without", c.name, len(with), len(without))
		}
	}
}

// TestWritePostingsDocsOneWrite checks that writePostingsDocs writes the
// same bytes at the same offsets in one Write (no file callback) as in
// several (with one).
func TestWritePostingsDocsOneWrite(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for _, c := range []struct {
		name      string
		docs      int
		numDocs   uint64
		chunkSize uint64
		locs      bool
	}{
		{"one-doc-no-locs", 1, 10, 10, false},
		{"few-locs", 5, 100, 100, true},
		{"chunks", 200, 5000, 1024, true},
		{"roaring", 600, 3000, 1024, true},
		{"roaring-no-locs", 300, 300, 300, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			docs := make([]uint32, 0, c.docs)
			seen := map[uint32]bool{}
			for len(docs) < c.docs {
				d := uint32(r.Intn(int(c.numDocs)))
				if !seen[d] {
					seen[d] = true
					docs = append(docs, d)
				}
			}
			slices.Sort(docs)
			write := func(processor func([]byte) []byte) ([]byte, uint64) {
				tf := newChunkedIntCoder(c.chunkSize, c.numDocs-1)
				loc := newChunkedIntCoder(c.chunkSize, c.numDocs-1)
				for _, d := range docs {
					if err := tf.Add(uint64(d), uint64(d%7)<<2|1); err != nil {
						t.Fatal(err)
					}
					if c.locs {
						if err := loc.Add(uint64(d), uint64(d%5), uint64(d%3)); err != nil {
							t.Fatal(err)
						}
					}
				}
				tf.Close()
				loc.Close()
				var out bytes.Buffer
				out.WriteString("head")
				w := &FileWriter{c: NewCountHashWriter(&out), processor: processor}
				w.c.n = 4
				var bm *roaring.Bitmap
				if len(docs) > maxDeltaDocNums {
					bm = roaring.BitmapOf(docs...)
				}
				off, err := writePostingsDocs(bm, docs, tf, loc, nil, w, make([]byte, binary.MaxVarintLen64))
				if err != nil {
					t.Fatal(err)
				}
				return out.Bytes(), off
			}
			one, offOne := write(nil)
			several, offSeveral := write(func(b []byte) []byte { return b })
			if !bytes.Equal(one, several) || offOne != offSeveral {
				t.Errorf("one write: %d bytes, postings at %d; several: %d bytes at %d", len(one), offOne, len(several), offSeveral)
			}
		})
	}
}
