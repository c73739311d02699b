package index

import (
	"math"
	"testing"
)

func TestCloseness(t *testing.T) {
	tests := []struct {
		a, b  []uint64
		scale float64
		want  float64
	}{
		{nil, []uint64{1}, 1, 0},
		{[]uint64{1}, nil, 1, 0},
		{[]uint64{1}, []uint64{2}, 1, 1},                                // side by side, in order
		{[]uint64{2}, []uint64{1}, 1, 0.5},                              // reversed: distance 2
		{[]uint64{1}, []uint64{4}, 1, 1 / 3.0},                          // 3 apart
		{[]uint64{1}, []uint64{4}, 3, 0.6},                              // 3 apart, scale 3
		{[]uint64{1, 10}, []uint64{2, 11}, 1, 2},                        // twice side by side
		{[]uint64{5}, []uint64{1, 6, 30}, 1, 1},                         // the closest occurrence counts
		{[]uint64{3}, []uint64{3}, 1, 0},                                // one position: two stems of a word
		{[]uint64{1, 2, 3}, []uint64{100}, 1, 1/99.0 + 1/98.0 + 1/97.0}, // all far
	}
	for _, tt := range tests {
		got := closeness(tt.a, tt.b, tt.scale)
		if math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("closeness(%v, %v, %v) = %v; want %v", tt.a, tt.b, tt.scale, got, tt.want)
		}
	}
}

func TestMinWindow(t *testing.T) {
	tests := []struct {
		lists [][]uint64
		want  uint64
		ok    bool
	}{
		{[][]uint64{{1}, {2}}, 1, true},
		{[][]uint64{{1, 20}, {5, 22}}, 2, true},
		{[][]uint64{{10}, {3}}, 7, true},
		{[][]uint64{{1, 50}, {10, 52}, {30, 51}}, 2, true},
		{[][]uint64{{1}, {}}, 0, false},
		{[][]uint64{{4}}, 0, true},
	}
	for _, tt := range tests {
		got, ok := minWindow(tt.lists)
		if got != tt.want || ok != tt.ok {
			t.Errorf("minWindow(%v) = %d, %v; want %d, %v", tt.lists, got, ok, tt.want, tt.ok)
		}
	}
}
