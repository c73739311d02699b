// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

// Locations of the rapports fork. zapx v17 writes five uvarints per
// location (field ID, position, start, end, number of array positions)
// then the array positions, all absolute. This fork writes a location of
// the postings list's own field, without array positions, coming after
// the previous location of the same document (position and start not
// before the previous position and end) as three small uvarints:
//
//	(position - previous position) << 1, start - previous end, end - start
//
// and any other location as zapx v17 did, flagged by the low bit:
//
//	position << 1 | 1, field ID, start, end, number of array positions, array positions...
//
// "Previous" starts at 0 for each document.

// locState is the previous location of a document's locations.
type locState struct {
	pos, end uint64
}

// appendLoc appends the uvarints of one location to args and advances st.
func appendLoc(args []uint64, st *locState, ownField, field uint16, pos, start, end uint64, ap []uint64) []uint64 {
	if field == ownField && len(ap) == 0 && pos >= st.pos && start >= st.end && end >= start {
		args = append(args, (pos-st.pos)<<1, start-st.end, end-start)
	} else {
		args = append(args, pos<<1|1, uint64(field), start, end, uint64(len(ap)))
		args = append(args, ap...)
	}
	st.pos, st.end = pos, end
	return args
}

// uvarintsLen is the number of bytes of vs as uvarints.
func uvarintsLen(vs []uint64) (n int) {
	for _, v := range vs {
		n += numUvarintBytes(v)
	}
	return n
}
