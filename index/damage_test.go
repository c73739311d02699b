package index

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus"
)

// damageReports returns n small distinct reports that all hold "france".
func damageReports(n int) []corpus.Report {
	out := make([]corpus.Report, n)
	for i := range out {
		out[i] = corpus.Report{
			ID:    fmt.Sprintf("r%04d.txt", i),
			Title: fmt.Sprintf("Rapport %d", i),
			Body:  fmt.Sprintf("La France et le rapport numéro %d sur la défense, mot%d.", i, i),
			Hash:  fmt.Sprint(i),
		}
	}
	return out
}

// buildDamageIndex writes an index of 600 reports in three batches to a
// new folder and returns it with its segments, largest first.
func buildDamageIndex(t *testing.T) (dir string, segments []string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "idx")
	idx, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	rs := damageReports(600)
	for i := 0; i < len(rs); i += 200 {
		if err := idx.Add(context.Background(), rs[i:i+200]...); err != nil {
			t.Fatal(err)
		}
	}
	if err := idx.Close(); err != nil {
		t.Fatal(err)
	}
	zaps, err := filepath.Glob(filepath.Join(dir, storeDir, "*.zap"))
	if err != nil || len(zaps) == 0 {
		t.Fatalf("no segment in %s (%v)", dir, err)
	}
	slices.SortFunc(zaps, func(a, b string) int { return int(fileSize(t, b) - fileSize(t, a)) })
	return dir, zaps
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// flip inverts n bytes of the file at path from offset off (negative:
// from the end).
func flip(t *testing.T, path string, off int64, n int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if off < 0 {
		off += int64(len(b))
	}
	for i := off; i < off+int64(n) && i < int64(len(b)); i++ {
		b[i] ^= 0xff
	}
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

func truncate(t *testing.T, path string, size int64) {
	t.Helper()
	if err := os.Truncate(path, size); err != nil {
		t.Fatal(err)
	}
}

// eachSegment damages every segment file with damage: Scorch may keep the
// files of an older snapshot for a while, so the one the newest snapshot
// needs is not known by its name.
func eachSegment(damage func(t *testing.T, seg string)) func(t *testing.T, dir string, segs []string) {
	return func(t *testing.T, _ string, segs []string) {
		for _, seg := range segs {
			damage(t, seg)
		}
	}
}

// TestOpenDamaged damages one file of an index in each way a disk or a
// hand can, and checks that Open (read-only and for writing) reports the
// damage, naming the file, without panicking and without opening an older
// snapshot holding fewer reports; then that SetAside moves the damaged
// index aside and a new one can be built in its folder.
func TestOpenDamaged(t *testing.T) {
	cases := []struct {
		name   string
		damage func(t *testing.T, dir string, segs []string)
		want   string // in the error
	}{
		{"segment head flipped", eachSegment(func(t *testing.T, seg string) { flip(t, seg, 0, 64) }), ".zap"},
		{"segment middle flipped", eachSegment(func(t *testing.T, seg string) { flip(t, seg, fileSize(t, seg)/2, 64) }), ".zap"},
		{"segment tail flipped", eachSegment(func(t *testing.T, seg string) { flip(t, seg, -64, 64) }), ".zap"},
		{"segment truncated", eachSegment(func(t *testing.T, seg string) { truncate(t, seg, fileSize(t, seg)/2) }), ".zap"},
		{"segment emptied", eachSegment(func(t *testing.T, seg string) { truncate(t, seg, 0) }), ".zap"},
		{"segment deleted", eachSegment(func(t *testing.T, seg string) {
			if err := os.Remove(seg); err != nil {
				t.Fatal(err)
			}
		}), "missing"},
		{"root.bolt truncated to 8 kB", func(t *testing.T, dir string, _ []string) {
			truncate(t, filepath.Join(dir, storeDir, rootBolt), 8<<10)
		}, rootBolt},
		{"root.bolt both meta pages flipped", func(t *testing.T, dir string, _ []string) {
			// One bad meta page is fine: Bolt keeps two.
			root := filepath.Join(dir, storeDir, rootBolt)
			flip(t, root, 0, 64)
			flip(t, root, int64(os.Getpagesize()), 64)
		}, rootBolt},
		{"root.bolt pages flipped", func(t *testing.T, dir string, _ []string) {
			root := filepath.Join(dir, storeDir, rootBolt)
			ps := int64(os.Getpagesize())
			for off := 2 * ps; off < fileSize(t, root); off += ps {
				flip(t, root, off, 16)
			}
		}, rootBolt},
		{"root.bolt deleted", func(t *testing.T, dir string, _ []string) {
			if err := os.Remove(filepath.Join(dir, storeDir, rootBolt)); err != nil {
				t.Fatal(err)
			}
		}, rootBolt},
		{"index_meta.json truncated", func(t *testing.T, dir string, _ []string) {
			truncate(t, filepath.Join(dir, indexMetaFil), 10)
		}, "metadata"},
		{"index_meta.json deleted", func(t *testing.T, dir string, _ []string) {
			if err := os.Remove(filepath.Join(dir, indexMetaFil)); err != nil {
				t.Fatal(err)
			}
		}, indexMetaFil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir, segs := buildDamageIndex(t)
			tc.damage(t, dir, segs)
			for _, ro := range []bool{true, false} {
				idx, err := Open(dir, Options{ReadOnly: ro})
				if err == nil {
					n, _ := idx.bi.DocCount()
					idx.Close()
					t.Fatalf("Open(read-only %v) of an index with %s succeeded (%d documents); want ErrDamaged", ro, tc.name, n)
				}
				if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), dir) {
					t.Fatalf("Open(read-only %v) with %s: error %q; want ErrDamaged naming %s and %q", ro, tc.name, err, dir, tc.want)
				}
			}
			aside, err := SetAside(dir)
			if err != nil {
				t.Fatalf("SetAside: %v", err)
			}
			if _, err := os.Stat(filepath.Join(aside, storeDir)); err != nil {
				t.Errorf("SetAside moved the index to %s, which has no store: %v", aside, err)
			}
			idx, err := Open(dir, Options{})
			if err != nil {
				t.Fatalf("Open after SetAside: %v", err)
			}
			defer idx.Close()
			if err := idx.Add(context.Background(), damageReports(3)...); err != nil {
				t.Fatal(err)
			}
			if got := find(t, idx, "france"); len(got) != 3 {
				t.Errorf("new index finds %d reports; want 3", len(got))
			}
		})
	}
}

// TestOpenWhole checks that an undamaged index with several segments
// passes the check and keeps all its reports.
func TestOpenWhole(t *testing.T) {
	dir, _ := buildDamageIndex(t)
	idx, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	if n, err := idx.bi.DocCount(); err != nil || n != 600 {
		res, _ := idx.Search(context.Background(), Request{Query: "france"})
		t.Errorf("DocCount = %d, %v; search france: %d hits; want 600 reports", n, err, res.Total)
	}
}

// TestSetAsideRefuses checks that SetAside moves only an index, never a
// folder of something else, and not an index another process holds.
func TestSetAsideRefuses(t *testing.T) {
	other := t.TempDir()
	writeFile(t, filepath.Join(other, "notes.txt"), "x")
	if _, err := SetAside(other); !errors.Is(err, ErrBadRequest) {
		t.Errorf("SetAside(folder of notes) error = %v; want ErrBadRequest", err)
	}
	if _, err := os.Stat(filepath.Join(other, "notes.txt")); err != nil {
		t.Errorf("SetAside moved a folder that holds no index: %v", err)
	}
	empty := t.TempDir()
	if aside, err := SetAside(empty); err != nil || aside != "" {
		t.Errorf("SetAside(empty folder) = %q, %v; want nothing to do", aside, err)
	}
}

// TestSearchDamagedAfterOpen damages a segment while the index is open
// (its head zeroed in place, under Bleve's memory map): searches answer
// an error (ErrDamaged when Bleve panicked) and never panic.
func TestSearchDamagedAfterOpen(t *testing.T) {
	dir, segs := buildDamageIndex(t)
	idx, err := Open(dir, Options{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for _, seg := range segs {
		f, err := os.OpenFile(seg, os.O_RDWR, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteAt(make([]byte, 4096), 0); err != nil {
			t.Fatal(err)
		}
		f.Close()
	}
	for _, q := range []string{"france", "défense", "mot1*"} {
		_, err := idx.Search(context.Background(), Request{Query: q, Highlight: true})
		if err == nil {
			t.Errorf("Search(%q) on a segment damaged after Open succeeded; want an error", q)
		}
	}
}
