package analyzers

import "sync"

// maxCachedLen is the longest term, in bytes, that the caches keep; longer
// terms are rare and computed each time.
const maxCachedLen = 40

const (
	cacheShards    = 64
	shardCapacity  = 4096 // entries per shard before the shard is emptied
	fnvOffset32    = 2166136261
	fnvPrime32     = 16777619
	defaultEntries = cacheShards * shardCapacity
)

// termCache is a concurrency-safe map from a term to the terms computed
// from it, bounded to cacheShards*shardCapacity entries: a full shard is
// emptied rather than grown. Values are shared between callers and must
// not be modified.
type termCache struct {
	shards [cacheShards]cacheShard
}

type cacheShard struct {
	mu sync.RWMutex
	m  map[string][2][]byte
}

func newTermCache() *termCache {
	c := &termCache{}
	for i := range c.shards {
		c.shards[i].m = make(map[string][2][]byte)
	}
	return c
}

func (c *termCache) shard(key []byte) *cacheShard {
	h := uint32(fnvOffset32)
	for _, b := range key {
		h ^= uint32(b)
		h *= fnvPrime32
	}
	return &c.shards[h%cacheShards]
}

// get returns the value stored for key, if any.
func (c *termCache) get(key []byte) ([2][]byte, bool) {
	s := c.shard(key)
	s.mu.RLock()
	v, ok := s.m[string(key)]
	s.mu.RUnlock()
	return v, ok
}

// put stores v for key, emptying the shard first when it is full.
func (c *termCache) put(key []byte, v [2][]byte) {
	s := c.shard(key)
	s.mu.Lock()
	if len(s.m) >= shardCapacity {
		clear(s.m)
	}
	s.m[string(key)] = v
	s.mu.Unlock()
}

// len returns the number of entries, for tests.
func (c *termCache) len() int {
	n := 0
	for i := range c.shards {
		s := &c.shards[i]
		s.mu.RLock()
		n += len(s.m)
		s.mu.RUnlock()
	}
	return n
}
