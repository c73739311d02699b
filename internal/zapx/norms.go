// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"encoding/binary"
)

// Norms of the rapports fork. zapx v17 writes a document's field length
// (its "norm bits") after the frequency of every term of the field in the
// document: once per (term, document) pair, 1 to 3 bytes each. This fork
// writes it once per document and field, in a column after the field's
// dictionary and doc values, whose offset is a fourth uvarint of the
// field's section header (0: no column):
//
//	width (1 byte: 1 to 4), then for each document its norm bits in width
//	bytes, little-endian (0 for a document without the field)
//
// A posting's norm is read from the column by document number.

// writeNorms writes the norms column of lens (norm bits by document
// number) and returns its offset, or 0 when lens is empty or all zero.
func writeNorms(w *FileWriter, lens []uint32) (uint64, error) {
	var max uint32
	for _, l := range lens {
		max = maxUint32(max, l)
	}
	if max == 0 {
		return 0, nil
	}
	width := 4
	switch {
	case max < 1<<8:
		width = 1
	case max < 1<<16:
		width = 2
	case max < 1<<24:
		width = 3
	}
	buf := make([]byte, 1+width*len(lens))
	buf[0] = byte(width)
	var tmp [4]byte
	for d, l := range lens {
		binary.LittleEndian.PutUint32(tmp[:], l)
		copy(buf[1+d*width:], tmp[:width])
	}
	off := uint64(w.Count())
	_, err := w.Write(buf)
	return off, err
}

func maxUint32(a, b uint32) uint32 {
	if a > b {
		return a
	}
	return b
}

// normsColumn is the norms of one field of a segment.
type normsColumn struct {
	width int
	data  []byte
}

// at returns the norm bits of document doc (0 when unknown).
func (c normsColumn) at(doc uint64) uint64 {
	if c.width == 0 {
		return 0
	}
	i := int(doc) * c.width
	if i+c.width > len(c.data) {
		return 0
	}
	switch c.width {
	case 1:
		return uint64(c.data[i])
	case 2:
		return uint64(binary.LittleEndian.Uint16(c.data[i:]))
	}
	var v uint64
	for k := c.width - 1; k >= 0; k-- {
		v = v<<8 | uint64(c.data[i+k])
	}
	return v
}

// fieldNorms returns the norms column of field fieldID of sb.
func (sb *SegmentBase) fieldNorms(fieldID int) normsColumn {
	if fieldID < 0 || fieldID >= len(sb.fieldsSectionsMap) {
		return normsColumn{}
	}
	pos := sb.fieldsSectionsMap[fieldID][SectionInvertedTextIndex]
	if pos == 0 {
		return normsColumn{}
	}
	for range 3 { // doc values start and end, dictionary
		_, n := binary.Uvarint(sb.mem[pos:])
		pos += uint64(n)
	}
	off, n := binary.Uvarint(sb.mem[pos:])
	if n <= 0 || off == 0 || off >= uint64(len(sb.mem)) {
		return normsColumn{}
	}
	width := int(sb.mem[off])
	end := off + 1 + uint64(width)*sb.numDocs
	if width < 1 || width > 4 || end > uint64(len(sb.mem)) {
		return normsColumn{}
	}
	return normsColumn{width: width, data: sb.mem[off+1 : end]}
}

// normsSize is the size of the norms column of field fieldID of sb.
func normsSize(sb *SegmentBase, fieldID int) int64 {
	c := sb.fieldNorms(fieldID)
	if c.width == 0 {
		return 0
	}
	return int64(1 + len(c.data))
}
