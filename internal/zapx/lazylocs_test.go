// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap_test

import (
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	segment "github.com/blevesearch/scorch_segment_api/v2"

	zap "github.com/rapports/rapports/internal/zapx"
)

// lazyPosting is a posting as a test sees it: document, frequency, norm
// and, when read, the positions, fields and array positions of its
// locations.
type lazyPosting struct {
	doc  uint64
	freq uint64
	norm float64
	locs []string
}

// readPosting reads p, its locations too when locs is set, or their
// positions alone when positions is.
func readPosting(p segment.Posting, locs, positions bool) lazyPosting {
	lp := lazyPosting{doc: p.Number(), freq: p.Frequency(), norm: p.Norm()}
	if positions {
		lp.locs = []string{}
		for _, pos := range p.(*zap.Posting).AppendPositions(nil) {
			lp.locs = append(lp.locs, fmt.Sprint(pos))
		}
	} else if locs {
		lp.locs = []string{}
		for _, l := range p.Locations() {
			lp.locs = append(lp.locs, fmt.Sprintf("%s:%d%v", l.Field(), l.Pos(), l.ArrayPositions()))
		}
	}
	return lp
}

// TestLazyLocations checks that the locations of a posting, read when
// Locations is called (skipped when it is not, before the iterator moves
// on), and their positions read by AppendPositions, are those read at once, whatever postings before were read or
// skipped, by Next or Advance, with and without deleted documents, in a
// field of its own locations only (body, tags: array positions) and in a
// composite one (_all: other fields' locations, and fewer locations than
// its frequency), in chunks of 1,024 postings and of 16 documents.
func TestLazyLocations(t *testing.T) {
	for _, mode := range []uint32{zap.DefaultChunkMode, 16} {
		t.Run(fmt.Sprintf("chunk mode %d", mode), func(t *testing.T) {
			defer func(m uint32) { zap.DefaultChunkMode = m }(zap.DefaultChunkMode)
			zap.DefaultChunkMode = mode
			testLazyLocations(t)
		})
	}
}

func testLazyLocations(t *testing.T) {
	r := rand.New(rand.NewSource(7))
	docs := map[string]forkDoc{}
	for i := range 600 {
		docs[fmt.Sprintf("d%04d", i)] = randomDoc(r)
	}
	dir := filepath.Join(t.TempDir(), "fork")
	bi := buildForkIndex(t, dir, map[string]any{"forceSegmentType": zap.Type, "forceSegmentVersion": int(zap.Version)}, docs, func(*bleve.Batch) {})
	if err := bi.Close(); err != nil {
		t.Fatal(err)
	}
	var paths []string
	filepath.Walk(dir, func(path string, info os.FileInfo, err error) error {
		if err == nil && filepath.Ext(path) == ".zap" {
			paths = append(paths, path)
		}
		return nil
	})
	if len(paths) == 0 {
		t.Fatal("no segment")
	}
	// The merged segment: the one of most documents (the force merge
	// may leave the last batch out).
	var seg segment.Segment
	for _, path := range paths {
		s, err := (&zap.ZapPlugin{}).Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		if seg == nil || s.Count() > seg.Count() {
			seg = s
		}
	}
	if seg.Count() < 500 {
		t.Fatalf("the largest segment has %d documents, want 500 or more", seg.Count())
	}
	deleted := roaring.New()
	for d := uint32(3); d < 600; d += 7 {
		deleted.Add(d)
	}

	tests := []struct {
		name      string
		stride    uint64 // Advance to the document stride after the last one; 0: Next
		read      int    // read the locations of every read-th posting; 0: none
		positions bool   // read their positions alone (AppendPositions)
	}{
		{"next, read all", 0, 1, false},
		{"next, read every 3rd", 0, 3, false},
		{"next, read none", 0, 0, false},
		{"advance 2, read all", 2, 1, false},
		{"advance 5, read every 2nd", 5, 2, false},
		{"advance 37, read every 4th", 37, 4, false},
		{"advance 300, read all", 300, 1, false},
		{"next, positions of all", 0, 1, true},
		{"next, positions of every 3rd", 0, 3, true},
		{"advance 5, positions of every 2nd", 5, 2, true},
		{"advance 37, positions of all", 37, 1, true},
	}
	for _, field := range []string{"body", "tags", "_all"} {
		dict, err := seg.Dictionary(field)
		if err != nil {
			t.Fatal(err)
		}
		for _, term := range []string{"w000", "w003", "w007"} {
			for _, except := range []*roaring.Bitmap{nil, deleted} {
				pl, err := dict.PostingsList([]byte(term), except, nil)
				if err != nil {
					t.Fatal(err)
				}
				// The reference: every posting, its locations read at once.
				var want []lazyPosting
				it := pl.Iterator(true, true, true, nil)
				for {
					p, err := it.Next()
					if err != nil {
						t.Fatal(err)
					}
					if p == nil {
						break
					}
					want = append(want, readPosting(p, true, false))
				}
				if len(want) < 20 {
					t.Fatalf("%s/%s: %d postings; the test needs more", field, term, len(want))
				}
				for _, tc := range tests {
					name := fmt.Sprintf("%s/%s deleted=%v %s", field, term, except != nil, tc.name)
					it := pl.Iterator(true, true, true, nil)
					var got, exp []lazyPosting
					var next uint64
					for k, w := 0, 0; ; k++ {
						var p segment.Posting
						if tc.stride == 0 {
							p, err = it.Next()
						} else {
							p, err = it.Advance(next)
						}
						if err != nil {
							t.Fatalf("%s: %v", name, err)
						}
						if p == nil {
							break
						}
						for w < len(want) && want[w].doc < p.Number() {
							w++
						}
						read := tc.read > 0 && k%tc.read == 0
						got = append(got, readPosting(p, read && !tc.positions, read && tc.positions))
						if w < len(want) {
							e := want[w]
							if !read {
								e.locs = nil
							} else if tc.positions {
								e.locs = []string{}
								for _, l := range want[w].locs {
									e.locs = append(e.locs, l[strings.Index(l, ":")+1:strings.Index(l, "[")])
								}
							}
							exp = append(exp, e)
						}
						next = p.Number() + tc.stride
					}
					if !reflect.DeepEqual(got, exp) {
						t.Errorf("%s: postings\n%v\nwant\n%v", name, got, exp)
					}
				}
			}
		}
	}
}
