package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"time"

	"github.com/blevesearch/bleve/v2"
	bolt "go.etcd.io/bbolt"

	zap "github.com/rapports/rapports/internal/zapx"
)

// ErrDamaged: the files of the index are damaged (a segment missing,
// truncated or altered, an unreadable root.bolt or metadata file), or
// reading them failed in a way only damage explains. The reports are
// still in their files: build the index again (see SetAside).
var ErrDamaged = errors.New("index: damaged")

// Names of Bleve's files in an index folder.
const (
	storeDir     = "store"           // Scorch's folder
	rootBolt     = "root.bolt"       // Scorch's list of snapshots and their segments
	indexMetaFil = "index_meta.json" // Bleve's index type
)

// Keys of Scorch's root.bolt (bleve/v2/util/keys.go).
var (
	boltSnapshots = []byte{'s'}
	boltPath      = []byte{'p'}
	boltMeta      = []byte{'m'}
	// In a snapshot's metadata: its segments' type and version.
	boltSegmentType    = []byte("type")
	boltSegmentVersion = []byte("version")
	boltInternal       = []byte{'i'}
)

// damaged returns an error wrapping ErrDamaged about the index at dir.
func damaged(dir, format string, args ...any) error {
	return fmt.Errorf("%w: %s: %s", ErrDamaged, dir, fmt.Sprintf(format, args...))
}

// verifyStore checks, before Bleve opens the index at dir, that the files
// its newest snapshot needs are there and whole: root.bolt is a readable
// Bolt file as long as its pages say, and every segment that the newest
// snapshot lists exists and matches the CRC-32 of its footer. Without
// this check Scorch silently falls back to an older snapshot when a
// segment of the newest is missing or truncated (serving fewer reports),
// and a segment altered at its head panics at the first search. It fails
// with ErrLocked when another process holds the index for writing.
//
// Reading root.bolt runs with faults turned into panics and recovered, as
// a truncated Bolt file faults on its memory map.
func verifyStore(dir string, timeout time.Duration) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damaged(dir, "%s is unreadable: %v", rootBolt, r)
		}
	}()
	store := filepath.Join(dir, storeDir)
	root := filepath.Join(store, rootBolt)
	info, err := os.Stat(root)
	if err != nil {
		return damaged(dir, "%s is missing (%v)", rootBolt, err)
	}
	db, err := bolt.Open(root, 0o600, &bolt.Options{ReadOnly: true, Timeout: timeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return fmt.Errorf("%w: %s is in use (waited %v)", ErrLocked, dir, timeout)
	}
	if err != nil {
		return damaged(dir, "%s is unreadable: %v", rootBolt, err)
	}
	defer db.Close()
	var segments []string
	err = db.View(func(tx *bolt.Tx) error {
		if need := tx.Size(); need > info.Size() {
			return damaged(dir, "%s is truncated (%d bytes, its pages need %d)", rootBolt, info.Size(), need)
		}
		// Read every page in this goroutine, where a bad one panics and
		// is recovered (tx.Check reads them in a goroutine of its own).
		if err := tx.ForEach(func(_ []byte, b *bolt.Bucket) error { return walkBucket(b) }); err != nil {
			return damaged(dir, "%s is inconsistent: %v", rootBolt, err)
		}
		snaps := tx.Bucket(boltSnapshots)
		if snaps == nil {
			return nil // no snapshot written yet
		}
		c := snaps.Cursor()
		for k, v := c.Last(); k != nil; k, v = c.Prev() {
			snap := snaps.Bucket(k)
			if v != nil || snap == nil || snap.Bucket(boltMeta) == nil {
				continue // not a snapshot (the trainer's bucket)
			}
			if err := checkSegmentFormat(dir, snap.Bucket(boltMeta)); err != nil {
				return err
			}
			sc := snap.Cursor()
			for sk, _ := sc.First(); sk != nil; sk, _ = sc.Next() {
				if sk[0] == boltInternal[0] || sk[0] == boltMeta[0] {
					continue
				}
				seg := snap.Bucket(sk)
				if seg == nil {
					return damaged(dir, "%s lists segment %x without its record", rootBolt, sk)
				}
				p := seg.Get(boltPath)
				if len(p) == 0 {
					return damaged(dir, "%s lists segment %x without a file name", rootBolt, sk)
				}
				segments = append(segments, string(p))
			}
			return nil
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, name := range segments {
		if err := verifySegment(dir, filepath.Join(store, name)); err != nil {
			return err
		}
	}
	return nil
}

// checkSegmentFormat fails with ErrIncompatible when a snapshot's
// metadata meta says its segments are in rapports' own format (zap.Type)
// in a version this program does not read, such as rapports-zap 1, whose
// locations held offsets (internal/zapx/locs.go). Scorch would skip such
// snapshots and open an empty index; Bleve's formats (zapx v17 of
// SchemaVersion 6) open, and Open then asks for a re-index.
func checkSegmentFormat(dir string, meta *bolt.Bucket) error {
	typ, ver := meta.Get(boltSegmentType), meta.Get(boltSegmentVersion)
	if string(typ) != zap.Type || len(ver) != 4 || binary.BigEndian.Uint32(ver) == zap.Version {
		return nil
	}
	return fmt.Errorf("%w: index at %s has segments of version %d of rapports' format, this rapports reads version %d: re-index (delete %s)",
		ErrIncompatible, dir, binary.BigEndian.Uint32(ver), zap.Version, dir)
}

// walkBucket reads every key and value of b and of its nested buckets.
func walkBucket(b *bolt.Bucket) error {
	return b.ForEach(func(k, v []byte) error {
		if v == nil {
			if nb := b.Bucket(k); nb != nil {
				return walkBucket(nb)
			}
		}
		return nil
	})
}

// verifySegment checks that the zap segment at path is whole: its last
// four bytes are the CRC-32 (IEEE) of everything before them.
func verifySegment(dir, path string) error {
	name := filepath.Join(storeDir, filepath.Base(path))
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return damaged(dir, "segment %s is missing", name)
	}
	if err != nil {
		return damaged(dir, "segment %s: %v", name, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return damaged(dir, "segment %s: %v", name, err)
	}
	const footer = 4 + 4 + 4 + 8 + 8 + 8 + 4 // crc, version, chunk mode, offsets, docs, writer id length
	size := info.Size()
	if size < footer {
		return damaged(dir, "segment %s is truncated (%d bytes)", name, size)
	}
	h := crc32.NewIEEE()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, size-4)); err != nil {
		return damaged(dir, "segment %s: %v", name, err)
	}
	var tail [4]byte
	if _, err := f.ReadAt(tail[:], size-4); err != nil {
		return damaged(dir, "segment %s: %v", name, err)
	}
	if want := binary.BigEndian.Uint32(tail[:]); h.Sum32() != want {
		return damaged(dir, "segment %s is altered or truncated (CRC-32 %08x, its footer says %08x)", name, h.Sum32(), want)
	}
	return nil
}

// guard runs f, which calls Bleve, and turns a panic inside it (Bleve
// reads the index's files) into an error wrapping ErrDamaged; what names
// the operation. Every goroutine that reads or writes the index runs its
// Bleve calls under guard, so that damage found after Open answers an
// error instead of killing the process. Memory faults on the segments'
// memory maps are turned into panics too while f runs.
func (idx *Index) guard(what string, f func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damaged(idx.name(), "%s failed inside Bleve (%v): the index files are damaged or were changed behind its back", what, r)
		}
	}()
	return f()
}

// SetAside renames the index folder dir to a new name beside it
// (dir.damaged-YYYYMMDD-HHMMSS), so that an index can be built anew at
// dir, and returns the new name. It moves only a folder that holds an
// index (Bleve's index_meta.json or store folder), fails with ErrLocked
// when another process holds it, and deletes nothing: once the new index
// serves, the old folder can be deleted by hand.
func SetAside(dir string) (string, error) {
	if dir == "" {
		return "", fmt.Errorf("%w: empty index path", ErrBadRequest)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("index: set aside %s: %w", dir, err)
	}
	if len(entries) == 0 {
		return "", nil // nothing to set aside
	}
	_, metaErr := os.Stat(filepath.Join(dir, indexMetaFil))
	_, storeErr := os.Stat(filepath.Join(dir, storeDir))
	if metaErr != nil && storeErr != nil {
		return "", fmt.Errorf("%w: %s holds no index (no %s nor %s): not moving it", ErrBadRequest, dir, indexMetaFil, storeDir)
	}
	if err := checkUnlocked(dir); err != nil {
		return "", err
	}
	clean := filepath.Clean(dir)
	stamp := time.Now().Format("20060102-150405")
	aside := clean + ".damaged-" + stamp
	for i := 2; ; i++ {
		if _, err := os.Lstat(aside); errors.Is(err, fs.ErrNotExist) {
			break
		}
		aside = fmt.Sprintf("%s.damaged-%s-%d", clean, stamp, i)
	}
	if err := os.Rename(clean, aside); err != nil {
		return "", fmt.Errorf("index: set aside %s: %w", dir, err)
	}
	return aside, nil
}

// checkUnlocked fails with ErrLocked when another process holds the index
// at dir for writing. A root.bolt too damaged to open is not held.
func checkUnlocked(dir string) (err error) {
	root := filepath.Join(dir, storeDir, rootBolt)
	if _, err := os.Stat(root); err != nil {
		return nil
	}
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = nil
		}
	}()
	db, err := bolt.Open(root, 0o600, &bolt.Options{ReadOnly: true, Timeout: DefaultLockTimeout})
	if errors.Is(err, bolt.ErrTimeout) {
		return fmt.Errorf("%w: %s is in use (waited %v)", ErrLocked, dir, DefaultLockTimeout)
	}
	if err == nil {
		db.Close()
	}
	return nil
}

// isDamagedLayout reports whether dir looks like an index that lost its
// index_meta.json: Scorch's root.bolt is there.
func isDamagedLayout(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, storeDir, rootBolt))
	return err == nil
}

// guardOpen runs f, which opens the index at dir with Bleve, turning a
// panic into an error wrapping ErrDamaged.
func guardOpen(dir string, f func() error) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = damaged(dir, "opening it failed inside Bleve (%v)", r)
		}
	}()
	return f()
}

// search runs req with Bleve under guard, so that a panic while reading
// damaged files, in whichever goroutine calls it, answers ErrDamaged.
func (idx *Index) search(ctx context.Context, req *bleve.SearchRequest) (res *bleve.SearchResult, err error) {
	err = idx.guard("search", func() (err error) {
		res, err = idx.bi.SearchInContext(ctx, req)
		return err
	})
	return res, err
}
