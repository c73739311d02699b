package analyzers

import "sync"

// maxCachedLen is the longest term, in bytes, that the caches keep; longer
// terms are rare and computed each time.
const maxCachedLen = 40

const (
	cacheShards   = 64
	shardCapacity = 4096 // entries of a shard's current generation
	fnvOffset32   = 2166136261
	fnvPrime32    = 16777619
	maxEntries    = 2 * cacheShards * shardCapacity
)

// termCache is a concurrency-safe map from a term to what is computed
// from it, bounded to 2*cacheShards*shardCapacity entries. Each shard keeps
// two generations: new entries go to the current one; when it is full it
// becomes the old one and the previous old one is dropped. An entry found
// in the old generation is copied to the current one, so frequent terms
// survive while rare ones age out. Values are shared between callers and
// must not be modified.
type termCache[V any] struct {
	shards [cacheShards]cacheShard[V]
}

type cacheShard[V any] struct {
	mu       sync.RWMutex
	m, older map[string]V
}

func newTermCache[V any]() *termCache[V] {
	c := &termCache[V]{}
	for i := range c.shards {
		c.shards[i].m = make(map[string]V)
	}
	return c
}

func (c *termCache[V]) shard(key []byte) *cacheShard[V] {
	h := uint32(fnvOffset32)
	for _, b := range key {
		h ^= uint32(b)
		h *= fnvPrime32
	}
	return &c.shards[h%cacheShards]
}

// get returns the value stored for key, if any.
func (c *termCache[V]) get(key []byte) (V, bool) {
	s := c.shard(key)
	s.mu.RLock()
	v, ok := s.m[string(key)]
	if ok {
		s.mu.RUnlock()
		return v, true
	}
	v, ok = s.older[string(key)]
	s.mu.RUnlock()
	if ok {
		s.put(key, v)
	}
	return v, ok
}

// put stores v for key.
func (c *termCache[V]) put(key []byte, v V) {
	c.shard(key).put(key, v)
}

func (s *cacheShard[V]) put(key []byte, v V) {
	s.mu.Lock()
	if len(s.m) >= shardCapacity {
		s.older = s.m
		s.m = make(map[string]V, shardCapacity)
	}
	s.m[string(key)] = v
	s.mu.Unlock()
}

// len returns the number of entries, for tests.
func (c *termCache[V]) len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.m) + len(s.older)
		s.mu.RUnlock()
	}
	return n
}
