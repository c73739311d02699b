// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"bytes"
	"strings"
	"testing"
)

// TestBufferHashWriter checks that newBufferHashWriter counts and hashes
// what NewCountHashWriter does, Sum32 being asked between writes or not.
func TestBufferHashWriter(t *testing.T) {
	tests := []struct {
		name   string
		pieces []string
		sumAt  map[int]bool // Sum32 after these pieces too
	}{
		{"nothing", nil, nil},
		{"one piece", []string{"rapports"}, nil},
		{"small and large pieces", []string{"a", "", "bcdefghijklmnopq", strings.Repeat("xyz", 100), "r"}, nil},
		{"sums between", []string{"a", "bc", strings.Repeat("d", 70), "e"}, map[int]bool{0: true, 2: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var plain, deferred bytes.Buffer
			pw, dw := NewCountHashWriter(&plain), newBufferHashWriter(&deferred)
			for k, p := range tc.pieces {
				if _, err := pw.Write([]byte(p)); err != nil {
					t.Fatal(err)
				}
				if _, err := dw.Write([]byte(p)); err != nil {
					t.Fatal(err)
				}
				if tc.sumAt[k] && dw.Sum32() != pw.Sum32() {
					t.Fatalf("after piece %d: CRC %x, want %x", k, dw.Sum32(), pw.Sum32())
				}
			}
			if dw.Sum32() != pw.Sum32() || dw.Count() != pw.Count() || !bytes.Equal(deferred.Bytes(), plain.Bytes()) {
				t.Errorf("CRC %x, count %d; want %x, %d", dw.Sum32(), dw.Count(), pw.Sum32(), pw.Count())
			}
		})
	}
}
