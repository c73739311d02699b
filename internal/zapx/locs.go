// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

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
