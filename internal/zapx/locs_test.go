// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"encoding/binary"
	"math/rand"
	"testing"
)

// TestSkipLocsN checks that skipLocsN stops where reading the locations
// one by one does, after any number of them, in streams of short
// locations of 1 to 3 bytes, with locations of the long form (other
// field, array positions, a position before the previous one) among them
// or not, and at the end of a truncated stream.
func TestSkipLocsN(t *testing.T) {
	tests := []struct {
		name    string
		locs    int
		long    float64 // share of locations of the long form
		maxGap  uint64  // positions grow by up to maxGap
		truncAt int     // cut the stream this many bytes before its end
	}{
		{"short, 1 byte", 200, 0, 60, 0},
		{"short, 1-2 bytes", 300, 0, 3000, 0},
		{"short, 1-3 bytes", 300, 0, 100_000, 0},
		{"some long", 300, 0.05, 500, 0},
		{"many long", 200, 0.5, 500, 0},
		{"all long", 50, 1, 500, 0},
		{"truncated", 100, 0.1, 500, 3},
	}
	r := rand.New(rand.NewSource(3))
	for _, tc := range tests {
		var st locState
		var stream []byte
		var pos uint64
		for range tc.locs {
			field, ap := uint16(2), []uint64(nil)
			if r.Float64() < tc.long {
				switch r.Intn(3) {
				case 0:
					field = 5
				case 1:
					ap = []uint64{uint64(r.Intn(3)), uint64(r.Intn(300))}
				case 2:
					pos -= min(pos, uint64(1+r.Intn(10)))
				}
			}
			pos += uint64(r.Int63n(int64(tc.maxGap) + 1))
			for _, v := range appendLoc(nil, &st, 2, field, pos, 0, 0, ap) {
				stream = binary.AppendUvarint(stream, v)
			}
		}
		stream = stream[:len(stream)-tc.truncAt]
		// want[k]: the offset after k locations, read one by one.
		want := []int{0}
		ref := newMemUvarintReader(stream)
		for range tc.locs {
			first, _ := ref.ReadUvarint()
			if first&1 == 1 {
				ref.SkipUvarint()
				numAP, _ := ref.ReadUvarint()
				for range numAP {
					ref.SkipUvarint()
				}
			}
			want = append(want, min(ref.C, len(stream)))
		}
		for from := 0; from < tc.locs; from += 7 {
			for n := 0; from+n <= tc.locs; n++ {
				got := newMemUvarintReader(stream)
				got.C = want[from]
				skipLocsN(got, uint64(n))
				if got.C != want[from+n] {
					t.Errorf("%s: %d locations from the %dth: at byte %d, want %d", tc.name, n, from, got.C, want[from+n])
				}
			}
		}
	}
}
