package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// fileStamp is what polling compares to find changed files.
type fileStamp struct {
	size int64
	mod  time.Time
}

// snapshot returns the stamps of the files under the folder, skipping
// hidden ones as the index does. Unreadable entries count as they are
// (the index run reports them).
func (w *watcher) snapshot() map[string]fileStamp {
	snap := map[string]fileStamp{}
	_ = filepath.WalkDir(w.dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			snap[p] = fileStamp{size: -1}
			return nil
		}
		if p != w.dir && strings.HasPrefix(d.Name(), ".") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		// Follow symbolic links, as the index does.
		info, err := os.Stat(p)
		if err != nil {
			snap[p] = fileStamp{size: -1}
			return nil
		}
		snap[p] = fileStamp{size: info.Size(), mod: info.ModTime()}
		return nil
	})
	return snap
}

// changedPaths returns the paths whose stamp differs between two
// snapshots, or that are in one only, sorted.
func changedPaths(old, cur map[string]fileStamp) []string {
	var out []string
	for p, s := range cur {
		if t, ok := old[p]; !ok || !t.mod.Equal(s.mod) || t.size != s.size {
			out = append(out, p)
		}
	}
	for p := range old {
		if _, ok := cur[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
