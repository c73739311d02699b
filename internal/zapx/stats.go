// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"

	"github.com/blevesearch/vellum"
)

// SizeStats says where the bytes of a segment file go.
type SizeStats struct {
	File     int64 // the whole file
	Stored   int64 // stored fields: compressed values, their metadata and offsets
	Dicts    int64 // term dictionaries (FSTs)
	Postings int64 // postings headers and document bitmaps
	Freqs    int64 // term frequencies (and, in zapx v17, norms)
	Locs     int64 // locations: positions, array positions
	Norms    int64 // norms per document and field (this fork)
	DocVals  int64 // doc values
	Terms    int64 // terms in the dictionaries
	OneHit   int64 // terms stored as a single hit in the dictionary

	// The bytes of the locations by part, recomputed from the decoded
	// locations: position deltas, and locations written in full (another
	// field or array positions). Locations hold no offsets (locs.go).
	LocPos, LocFull int64
	// Of the terms starting with the prefix given to SegmentSizeStats:
	// their number, postings, frequency and location bytes.
	PrefixTerms, PrefixPostings, PrefixFreqs, PrefixLocs int64
}

// Add adds o to s.
func (s *SizeStats) Add(o SizeStats) {
	s.File += o.File
	s.Stored += o.Stored
	s.Dicts += o.Dicts
	s.Postings += o.Postings
	s.Freqs += o.Freqs
	s.Locs += o.Locs
	s.Norms += o.Norms
	s.DocVals += o.DocVals
	s.Terms += o.Terms
	s.OneHit += o.OneHit
	s.LocPos += o.LocPos
	s.LocFull += o.LocFull
	s.PrefixTerms += o.PrefixTerms
	s.PrefixPostings += o.PrefixPostings
	s.PrefixFreqs += o.PrefixFreqs
	s.PrefixLocs += o.PrefixLocs
}

// SegmentSizeStats reads the segment file at path and says where its
// bytes go; the Prefix figures are those of the terms starting with
// prefix.
func SegmentSizeStats(path, prefix string) (SizeStats, error) {
	var st SizeStats
	fi, err := os.Stat(path)
	if err != nil {
		return st, err
	}
	st.File = fi.Size()
	s, err := (&ZapPlugin{}).Open(path)
	if err != nil {
		return st, fmt.Errorf("zap: size stats of %s: %w", path, err)
	}
	defer s.Close()
	sb := &s.(*Segment).SegmentBase
	if sb.numDocs > 0 {
		first := binary.BigEndian.Uint64(sb.mem[sb.storedIndexOffset : sb.storedIndexOffset+8])
		st.Stored = int64(sb.storedIndexOffset + 8*sb.numDocs - first)
	}
	for fid, name := range sb.fieldsInv {
		pos := sb.fieldsSectionsMap[fid][SectionInvertedTextIndex]
		if pos == 0 {
			continue
		}
		dvStart, n := binary.Uvarint(sb.mem[pos:])
		pos += uint64(n)
		dvEnd, n := binary.Uvarint(sb.mem[pos:])
		pos += uint64(n)
		if dvStart != fieldNotUninverted {
			st.DocVals += int64(dvEnd - dvStart)
		}
		dictLoc, _ := binary.Uvarint(sb.mem[pos:])
		fstLen, n := binary.Uvarint(sb.mem[dictLoc:])
		st.Dicts += int64(fstLen) + int64(n)
		st.Norms += normsSize(sb, fid)
		d, err := sb.dictionary(name)
		if err != nil || d == nil || d.fst == nil {
			continue
		}
		itr, err := d.fst.Iterator(nil, nil)
		var pl *PostingsList
		var pi *PostingsIterator
		for err == nil {
			term, off := itr.Current()
			pre := prefix != "" && bytes.HasPrefix(term, []byte(prefix))
			st.Terms++
			if pre {
				st.PrefixTerms++
			}
			if off&FSTValEncodingMask == FSTValEncoding1Hit {
				st.OneHit++
			} else {
				tfLen, m := binary.Uvarint(sb.mem[off:])
				locLen, m2 := binary.Uvarint(sb.mem[off+uint64(m):])
				plen, m3 := binary.Uvarint(sb.mem[off+uint64(m+m2):])
				st.Postings += int64(m+m2+m3) + int64(plen>>1)
				st.Freqs += int64(tfLen)
				st.Locs += int64(locLen)
				if pre {
					st.PrefixPostings += int64(m+m2+m3) + int64(plen>>1)
					st.PrefixFreqs += int64(tfLen)
					st.PrefixLocs += int64(locLen)
				}
				if locLen > 0 {
					if pl, err = d.postingsListFromOffset(off, nil, pl); err != nil {
						return st, fmt.Errorf("zap: size stats of %s: %w", path, err)
					}
					pi = pl.iterator(true, true, true, pi)
					if err = st.addLocs(pi, uint16(fid)); err != nil {
						return st, fmt.Errorf("zap: size stats of %s: %w", path, err)
					}
				}
			}
			err = itr.Next()
		}
		if err != nil && err != vellum.ErrIteratorDone {
			return st, fmt.Errorf("zap: size stats of %s: %w", path, err)
		}
	}
	return st, nil
}

// addLocs adds the bytes of the locations of the postings of pi, of field
// fid, by part.
func (st *SizeStats) addLocs(pi *PostingsIterator, fid uint16) error {
	for {
		p, err := pi.Next()
		if err != nil || p == nil {
			return err
		}
		var ls locState
		for _, l := range p.Locations() {
			loc := l.(*Location)
			field := uint16(pi.postings.sb.fieldsMap[loc.field] - 1)
			args := appendLoc(nil, &ls, fid, field, loc.pos, loc.start, loc.end, loc.ap)
			if args[0]&1 == 1 {
				st.LocFull += int64(uvarintsLen(args))
				continue
			}
			st.LocPos += int64(uvarintsLen(args))
		}
	}
}
