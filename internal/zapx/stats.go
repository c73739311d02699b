// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
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
	Locs     int64 // locations: positions, offsets, array positions
	Norms    int64 // norms per document and field (this fork)
	DocVals  int64 // doc values
	Terms    int64 // terms in the dictionaries
	OneHit   int64 // terms stored as a single hit in the dictionary
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
}

// SegmentSizeStats reads the segment file at path and says where its
// bytes go.
func SegmentSizeStats(path string) (SizeStats, error) {
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
		for err == nil {
			_, off := itr.Current()
			st.Terms++
			if off&FSTValEncodingMask == FSTValEncoding1Hit {
				st.OneHit++
			} else {
				tfLen, m := binary.Uvarint(sb.mem[off:])
				locLen, m2 := binary.Uvarint(sb.mem[off+uint64(m):])
				pl, m3 := binary.Uvarint(sb.mem[off+uint64(m+m2):])
				st.Postings += int64(m+m2+m3) + int64(pl>>1)
				st.Freqs += int64(tfLen)
				st.Locs += int64(locLen)
			}
			err = itr.Next()
		}
		if err != nil && err != vellum.ErrIteratorDone {
			return st, fmt.Errorf("zap: size stats of %s: %w", path, err)
		}
	}
	return st, nil
}
