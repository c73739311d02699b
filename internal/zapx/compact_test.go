// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"bytes"
	"fmt"
	"math/rand"
	"testing"

	index "github.com/blevesearch/bleve_index_api"
)

// compactDoc is a document of fields of any kind.
type compactDoc struct {
	id     string
	fields []index.Field
}

func (d *compactDoc) ID() string                                 { return d.id }
func (d *compactDoc) Size() int                                  { return 0 }
func (d *compactDoc) VisitFields(visit index.FieldVisitor)       { visitAll(d.fields, visit) }
func (d *compactDoc) VisitComposite(index.CompositeFieldVisitor) {}
func (d *compactDoc) HasComposite() bool                         { return false }
func (d *compactDoc) NumPlainTextBytes() uint64                  { return 0 }
func (d *compactDoc) AddIDField()                                {}
func (d *compactDoc) StoredFieldsBytes() uint64                  { return 0 }
func (d *compactDoc) Indexed() bool                              { return true }
func visitAll(fields []index.Field, visit index.FieldVisitor) {
	for _, f := range fields {
		visit(f)
	}
}

// compactStub is a stubField that gives its analysis flat too.
type compactStub struct {
	*stubField
	c CompactFrequencies
}

func (f *compactStub) CompactFrequencies() (CompactFrequencies, bool) { return f.c, true }

// expand returns the TokenFrequencies c stands for.
func expand(c CompactFrequencies) index.TokenFrequencies {
	tfs := index.TokenFrequencies{}
	k := 0
	for i, term := range c.Terms {
		tf := &index.TokenFreq{Term: []byte(term)}
		for range c.Counts[i] {
			l := c.Locs[3*k:]
			tf.Locations = append(tf.Locations, &index.TokenLocation{
				ArrayPositions: c.ArrayPositions, Position: int(l[0]), Start: int(l[1]), End: int(l[2]),
			})
			k++
		}
		tf.SetFrequency(int(c.Counts[i]))
		tfs[term] = tf
	}
	return tfs
}

// compactCorpus makes random documents twice: with fields that are
// CompactFields (mixed with some that are not) and with the same fields
// giving only TokenFrequencies. vocabs are the numberings of terms of
// the documents' Vocab 1, 2, ...: a field takes one of them at random, or
// none (Vocab 0) unless always.
func compactCorpus(r *rand.Rand, n int, vocabs []map[string]uint32, always bool) (compact, plain []index.Document) {
	words := make([]string, 400)
	for i := range words {
		words[i] = fmt.Sprintf("t%03d", i)
	}
	field := func(name string, ap []uint64, opts index.FieldIndexingOptions) (index.Field, index.Field) {
		var tokens []string
		for range r.Intn(60) {
			if r.Intn(3) == 0 {
				tokens = append(tokens, words[r.Intn(10)])
			} else {
				tokens = append(tokens, words[r.Intn(len(words))])
			}
		}
		c := CompactFrequencies{ArrayPositions: ap}
		at := map[string]int{}
		var locs [][][3]uint32
		off := uint32(0)
		for i, tok := range tokens {
			k, ok := at[tok]
			if !ok {
				k = len(c.Terms)
				at[tok] = k
				c.Terms = append(c.Terms, tok)
				locs = append(locs, nil)
			}
			locs[k] = append(locs[k], [3]uint32{uint32(i + 1), off, off + uint32(len(tok))})
			off += uint32(len(tok)) + 1
		}
		for k := range c.Terms {
			c.Counts = append(c.Counts, uint32(len(locs[k])))
			for _, l := range locs[k] {
				c.Locs = append(c.Locs, l[:]...)
			}
		}
		v := r.Intn(len(vocabs) + 1)
		if always {
			v = 1 + r.Intn(len(vocabs))
		}
		if v > 0 {
			c.Vocab = uint64(v)
			for _, term := range c.Terms {
				id, ok := vocabs[v-1][term]
				if !ok {
					id = uint32(len(vocabs[v-1]))
					vocabs[v-1][term] = id
				}
				c.IDs = append(c.IDs, id)
			}
		}
		stub := func() *stubField {
			return &stubField{name: name, value: []byte(fmt.Sprint(tokens)), arrayPositions: ap, encodedType: 't',
				options: opts, analyzedLen: len(tokens) + r.Intn(3), analyzedFreqs: expand(c)}
		}
		p := stub()
		q := *p
		if r.Intn(8) == 0 { // not a CompactField: by TokenFrequencies in both
			return p, &q
		}
		return &compactStub{stubField: p, c: c}, &q
	}
	text := index.IndexField | index.StoreField | index.IncludeTermVectors
	for d := range n {
		var cf, pf []index.Field
		add := func(name string, ap []uint64, opts index.FieldIndexingOptions) {
			c, p := field(name, ap, opts)
			cf, pf = append(cf, c), append(pf, p)
		}
		id := fmt.Sprintf("d%04d", d)
		idf := &stubField{name: "_id", value: []byte(id), options: index.IndexField | index.StoreField,
			analyzedFreqs: index.TokenFrequencies{id: {Term: []byte(id)}}}
		cf, pf = append(cf, idf), append(pf, idf)
		add("title", nil, text)
		add("body", nil, text)
		if r.Intn(5) == 0 { // a second body: merged into the first
			add("body", nil, text)
		}
		for k := range r.Intn(3) {
			add("tags", []uint64{uint64(k)}, text|index.DocValues)
		}
		if r.Intn(4) == 0 {
			add("plain", nil, index.IndexField) // no term vectors
		}
		compact = append(compact, &compactDoc{id: id, fields: cf})
		plain = append(plain, &compactDoc{id: id, fields: pf})
	}
	return compact, plain
}

// TestCompactSegmentBytes checks that segments built from CompactFields
// are byte for byte those built from the same fields' TokenFrequencies,
// with terms numbered by several vocabularies in one segment, fields of
// one name merged, array positions, and other fields mixed in; several
// segments in a row, so that the interim's tables are reused.
func TestCompactSegmentBytes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		vocabs int
		always bool // every CompactField has term ids
	}{
		{"three vocabularies or none", 3, false},
		{"one vocabulary", 1, true},
		{"two vocabularies", 2, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewSource(15))
			vocabs := make([]map[string]uint32, tc.vocabs)
			for k := range vocabs {
				vocabs[k] = map[string]uint32{}
			}
			p := &ZapPlugin{}
			for round := range 6 {
				compact, plain := compactCorpus(r, 50+r.Intn(200), vocabs, tc.always)
				build := func(docs []index.Document) []byte {
					s, _, err := p.New(docs)
					if err != nil {
						t.Fatal(err)
					}
					defer s.Close()
					return bytes.Clone(s.(*SegmentBase).mem)
				}
				got, want := build(compact), build(plain)
				if again := build(plain); !bytes.Equal(again, want) {
					for k := range again {
						if again[k] != want[k] {
							t.Logf("first difference at byte %d of %d\n%x\n%x", k, len(want), again[k-20:], want[k-20:])
							break
						}
					}
					t.Fatalf("round %d: two segments from TokenFrequencies differ: %d and %d bytes", round, len(again), len(want))
				}
				if !bytes.Equal(got, want) {
					for k := range got {
						if got[k] != want[k] {
							t.Logf("first difference at byte %d", k)
							break
						}
					}
					t.Errorf("round %d: segment from CompactFields: %d bytes, from TokenFrequencies %d, not equal", round, len(got), len(want))
				}
				if again := build(compact); !bytes.Equal(again, want) {
					t.Errorf("round %d: second segment from CompactFields differs", round)
				}
			}
		})
	}
}
