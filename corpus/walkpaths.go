package corpus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// WalkPaths reads the reports of some paths under root, a folder, as Walk
// of root would read them: IDs and Paths are relative to root, hidden
// files and folders are skipped (a path with a hidden element is not
// read), folders are walked recursively. It serves updates that re-read
// only what changed: paths (absolute, or relative to root) name files or
// folders; one that no longer exists is skipped without a problem (its
// reports are gone), and one outside root is an error. The paths are read
// sorted, each once: a path under another path given is read with it.
func WalkPaths(ctx context.Context, root string, paths []string, opts Options, emit func(Report) error) (WalkCounts, error) {
	w := &walker{opts: opts, emit: emit}
	root = filepath.Clean(root)
	rootInfo, err := os.Stat(root)
	if err != nil {
		return w.stats, fmt.Errorf("corpus: %w", err)
	}
	if !rootInfo.IsDir() {
		return w.stats, fmt.Errorf("corpus: %s is not a folder", root)
	}
	rels, err := RelPaths(root, paths)
	if err != nil {
		return w.stats, err
	}
	for _, rel := range rels {
		if err := ctx.Err(); err != nil {
			return w.stats, w.finishJobs(ctx, err)
		}
		if err := w.under(ctx, root, rel, rootInfo); err != nil {
			return w.stats, w.finishJobs(ctx, err)
		}
	}
	return w.stats, w.finishJobs(ctx, nil)
}

// RelPaths returns paths relative to root with "/" separators, as report
// Paths are: sorted, without duplicates, without the paths under another
// one, and without those with a hidden element (name starting with "."),
// which a walk skips. "." stands for root itself. A path outside root is
// an error naming it.
func RelPaths(root string, paths []string) ([]string, error) {
	root = filepath.Clean(root)
	var rels []string
	for _, p := range paths {
		if !filepath.IsAbs(p) {
			p = filepath.Join(root, p)
		}
		rel, err := filepath.Rel(root, filepath.Clean(p))
		if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return nil, fmt.Errorf("corpus: %s is not under %s", p, root)
		}
		rel = filepath.ToSlash(rel)
		if rel != "." && slices.ContainsFunc(strings.Split(rel, "/"), func(e string) bool { return strings.HasPrefix(e, ".") }) {
			continue
		}
		rels = append(rels, rel)
	}
	slices.Sort(rels)
	rels = slices.Compact(rels)
	if slices.Contains(rels, ".") {
		return []string{"."}, nil
	}
	kept := make(map[string]bool, len(rels))
	out := rels[:0]
	for _, r := range rels {
		// Sorted: a folder comes before what is under it ("a" < "a/b").
		under := false
		for i := range len(r) {
			if r[i] == '/' && kept[r[:i]] {
				under = true
				break
			}
		}
		if !under {
			kept[r] = true
			out = append(out, r)
		}
	}
	return out, nil
}

// under reads the file or folder rel of root, following symbolic links as
// Walk does; a path that does not exist is skipped.
func (w *walker) under(ctx context.Context, root, rel string, rootInfo os.FileInfo) error {
	if rel == "." {
		return w.dir(ctx, root, "", []os.FileInfo{rootInfo})
	}
	p := filepath.Join(root, filepath.FromSlash(rel))
	info, err := os.Stat(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		w.problem(Problem{Path: p, Err: unwrapPath(err)})
		return nil
	}
	if info.IsDir() {
		// The folders above it, for the detection of link loops.
		stack := []os.FileInfo{rootInfo}
		elems := strings.Split(rel, "/")
		for i := 1; i < len(elems); i++ {
			a, err := os.Stat(filepath.Join(root, filepath.FromSlash(strings.Join(elems[:i], "/"))))
			if err != nil {
				return nil // gone meanwhile
			}
			stack = append(stack, a)
		}
		for _, a := range stack {
			if os.SameFile(a, info) {
				w.problem(Problem{Path: p, Err: errors.New("symbolic link loop: leads back to a folder above it, not followed")})
				return nil
			}
		}
		return w.dir(ctx, p, rel, append(stack, info))
	}
	if !info.Mode().IsRegular() {
		w.skip(p, "not a regular file")
		return nil
	}
	return w.file(ctx, p, rel, info.Size(), func() (io.ReadCloser, error) { return os.Open(p) })
}
