// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"encoding/binary"
	"math/bits"
)

// Locations of the rapports fork. zapx v17 writes five uvarints per
// location (field ID, position, start, end, number of array positions)
// then the array positions, all absolute. This fork writes positions only:
// no start and end byte offsets (Version 2; Version 1 wrote them). Their
// readers (highlighting) find the offsets again by analysing the stored
// text at the locations' positions. A location of the postings list's own
// field, without array positions, not before the previous location of the
// same document, is one small uvarint:
//
//	(position - previous position) << 1
//
// and any other location is flagged by the low bit:
//
//	position << 1 | 1, field ID, number of array positions, array positions...
//
// "Previous" starts at 0 for each document. Locations read back have
// start and end 0.

// locState is the previous location of a document's locations.
type locState struct {
	pos uint64
}

// appendLoc appends the uvarints of one location to args and advances st.
// start and end are not written (see above).
func appendLoc(args []uint64, st *locState, ownField, field uint16, pos, start, end uint64, ap []uint64) []uint64 {
	if field == ownField && len(ap) == 0 && pos >= st.pos {
		args = append(args, (pos-st.pos)<<1)
	} else {
		args = append(args, pos<<1|1, uint64(field), uint64(len(ap)))
		args = append(args, ap...)
	}
	st.pos = pos
	return args
}

// uvarintsLen is the number of bytes of vs as uvarints.
func uvarintsLen(vs []uint64) (n int) {
	for _, v := range vs {
		n += numUvarintBytes(v)
	}
	return n
}

// skipLocsN advances r past n locations as appendLoc wrote them. A
// location of the short form is one uvarint whose first byte has its low
// bit clear: while the next 8 bytes start no location of the long form,
// it skips the uvarints they end at once, by counting their last bytes
// (high bit clear), instead of reading them one by one.
func skipLocsN(r *memUvarintReader, n uint64) {
	const high, low = 0x8080808080808080, 0x0101010101010101
	S, C := r.S, r.C
	for n > 0 && C < len(S) {
		for n >= 8 && C+8 <= len(S) {
			w := binary.LittleEndian.Uint64(S[C:])
			ends := ^w & high
			if ends == 0 {
				break // a uvarint of more than 8 bytes
			}
			// The low bits of the first bytes of the uvarints: byte 0 and
			// those after an end.
			if w&(ends>>7<<8|1)&low != 0 {
				break // a location of the long form
			}
			C += (71 - bits.LeadingZeros64(ends)) / 8
			n -= uint64(bits.OnesCount64(ends))
		}
		if n == 0 || C >= len(S) {
			break
		}
		if S[C]&1 == 0 {
			for C < len(S) && S[C] >= 0x80 {
				C++
			}
			C++
		} else {
			r.C = C
			r.SkipUvarint() // position
			r.SkipUvarint() // field
			numAP, _ := r.ReadUvarint()
			for ; numAP > 0 && r.C < len(S); numAP-- {
				r.SkipUvarint()
			}
			C = r.C
		}
		n--
	}
	r.C = min(C, len(S))
}
