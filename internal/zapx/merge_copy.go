// Copyright (c) 2026 the rapports authors. Licensed under the Apache
// License, Version 2.0 (see LICENSE). Added by the rapports fork.

package zap

import (
	"encoding/binary"
	"fmt"

	"github.com/RoaringBitmap/roaring/v2"
)

// postingsCopier reads one segment's postings list for a merge that copies
// its frequency and location bytes (mergeAndPersistInvertedSection, when
// the segments have the same fields, no file callbacks and no deleted
// documents). It gives the same bytes as PostingsIterator.nextBytes
// without a PostingsList or a roaring bitmap: the document numbers of a
// delta-coded list (writeDocNums) are decoded straight into docs, and
// the chunks are read in document order. On the full corpus a merge spent
// half its time building the lists' bitmaps and iterating them.
type postingsCopier struct {
	sb    *SegmentBase
	norms normsColumn

	docs []uint32 // of the current list, in order

	hit1     bool   // 1-hit encoded list: docs[0] with norm1Hit
	norm1Hit uint64 // its norm bits

	chunkSize  uint64
	freqOffset uint64
	locOffset  uint64
	freqReader chunkedIntDecoder
	locReader  chunkedIntDecoder

	bm *roaring.Bitmap // scratch for roaring-coded lists
}

// reset reads the postings list at postingsOffset (an FST value) of
// dictionary d: its document numbers, its chunk size and where its
// frequency and location chunks start.
func (c *postingsCopier) reset(d *Dictionary, postingsOffset uint64) error {
	c.sb, c.norms = d.sb, d.norms
	c.docs = c.docs[:0]
	c.hit1 = false
	if postingsOffset&FSTValEncodingMask == FSTValEncoding1Hit {
		docNum, normBits := FSTValDecode1Hit(postingsOffset)
		c.docs = append(c.docs, uint32(docNum))
		c.hit1, c.norm1Hit = true, normBits
		return nil
	}
	mem := d.sb.mem
	n := postingsOffset
	tfLen, read := binary.Uvarint(mem[n:min(n+binary.MaxVarintLen64, uint64(len(mem)))])
	n += uint64(read)
	locLen, read := binary.Uvarint(mem[n:min(n+binary.MaxVarintLen64, uint64(len(mem)))])
	n += uint64(read)
	postingsLen, read := binary.Uvarint(mem[n:min(n+binary.MaxVarintLen64, uint64(len(mem)))])
	n += uint64(read)
	if read <= 0 {
		return fmt.Errorf("corrupt postings header at %d", postingsOffset)
	}
	c.freqOffset, c.locOffset = termNotEncoded, termNotEncoded
	if locLen > 0 {
		c.locOffset = postingsOffset - locLen
	}
	if tfLen > 0 {
		c.freqOffset = postingsOffset - locLen - tfLen
	}
	deltaCoded := postingsLen&1 == 1
	postingsLen >>= 1
	buf, err := d.sb.fileReader.process(mem[n : n+postingsLen])
	if err != nil {
		return err
	}
	if deltaCoded {
		prev := uint64(0)
		for len(buf) > 0 {
			v, k := binary.Uvarint(buf)
			if k <= 0 || len(c.docs) == maxDeltaDocNums {
				return fmt.Errorf("corrupt document numbers")
			}
			buf = buf[k:]
			prev += v
			c.docs = append(c.docs, uint32(prev))
		}
	} else {
		if c.bm == nil {
			c.bm = roaring.NewBitmap()
		}
		if _, err := c.bm.FromBuffer(buf); err != nil {
			return fmt.Errorf("error loading roaring bitmap: %v", err)
		}
		c.bm.Iterate(func(x uint32) bool {
			c.docs = append(c.docs, x)
			return true
		})
	}
	c.chunkSize, err = getChunkSize(d.sb.chunkMode, uint64(len(c.docs)), d.sb.numDocs)
	if err != nil {
		return fmt.Errorf("failed to get chunk size: %v", err)
	}
	if c.chunkSize == 0 {
		return ErrChunkSizeZero
	}
	c.freqReader.reset()
	c.locReader.reset()
	newChunkedIntDecoder(mem, c.freqOffset, &c.freqReader, d.sb.fileReader)
	newChunkedIntDecoder(mem, c.locOffset, &c.locReader, d.sb.fileReader)
	return nil
}

// copyTo appends the list's postings, by their new document numbers
// newDocNums, to newDocs and its frequency and location bytes to the
// encoders, as mergeTermFreqNormLocsByCopying does, and returns the last
// posting's new document number, frequency and norm bits.
func (c *postingsCopier) copyTo(newDocNums []uint64, newDocs *[]uint32,
	tfEncoder, locEncoder *chunkedIntCoder) (lastDocNum, lastFreq, lastNorm uint64, err error) {
	if c.hit1 {
		newDoc := newDocNums[c.docs[0]]
		if newDoc == docDropped {
			return 0, 0, 0, fmt.Errorf("see hit with dropped doc num")
		}
		*newDocs = append(*newDocs, uint32(newDoc))
		var b [binary.MaxVarintLen64]byte
		k := binary.PutUvarint(b[:], freqHasLocs1Hit)
		if err := tfEncoder.AddBytes(newDoc, b[:k]); err != nil {
			return 0, 0, 0, err
		}
		return newDoc, 1, c.norm1Hit, nil
	}
	curChunk := uint64(1<<64 - 1)
	for _, doc := range c.docs {
		newDoc := newDocNums[doc]
		if newDoc == docDropped {
			return 0, 0, 0, fmt.Errorf("see hit with dropped doc num")
		}
		if chunk := uint64(doc) / c.chunkSize; chunk != curChunk {
			if err := c.freqReader.loadChunk(int(chunk)); err != nil {
				return 0, 0, 0, err
			}
			if c.locOffset != termNotEncoded {
				if err := c.locReader.loadChunk(int(chunk)); err != nil {
					return 0, 0, 0, err
				}
			}
			curChunk = chunk
		}
		start := c.freqReader.remainingLen()
		freqHasLocs, err := c.freqReader.readUvarint()
		if err != nil {
			return 0, 0, 0, fmt.Errorf("error reading frequency: %v", err)
		}
		freqBytes := c.freqReader.readBytes(start, c.freqReader.remainingLen())
		freq, mode := decodeFreqHasLocs(freqHasLocs)

		*newDocs = append(*newDocs, uint32(newDoc))
		if err := tfEncoder.AddBytes(newDoc, freqBytes); err != nil {
			return 0, 0, 0, err
		}
		if mode != locsNone {
			if c.locOffset == termNotEncoded {
				return 0, 0, 0, fmt.Errorf("posting with locations in a list without")
			}
			start := c.locReader.remainingLen()
			if err := skipLocs(&c.locReader, freq, mode); err != nil {
				return 0, 0, 0, err
			}
			if end := c.locReader.remainingLen(); end > start {
				if err := locEncoder.AddBytes(newDoc, c.locReader.readBytes(start, end)); err != nil {
					return 0, 0, 0, err
				}
			}
		}
		lastDocNum, lastFreq, lastNorm = newDoc, freq, c.norms.at(uint64(doc))
	}
	return lastDocNum, lastFreq, lastNorm, nil
}

// skipLocs skips the locations of a posting of frequency freq and location
// mode mode in r, as PostingsIterator.skipLocs does.
func skipLocs(r *chunkedIntDecoder, freq, mode uint64) error {
	n := freq
	if mode == locsCounted {
		var err error
		if n, err = r.readUvarint(); err != nil {
			return fmt.Errorf("error reading location count: %v", err)
		}
	}
	for k := uint64(0); k < n; k++ {
		first, err := r.readUvarint()
		if err != nil {
			return fmt.Errorf("error skipping location: %v", err)
		}
		if first&1 == 0 {
			continue
		}
		r.SkipUvarint() // field
		numAP, err := r.readUvarint()
		if err != nil {
			return fmt.Errorf("error skipping location: %v", err)
		}
		for a := uint64(0); a < numAP; a++ {
			r.SkipUvarint()
		}
	}
	return nil
}

// mergeCopyLists turns postingsCopier on (TestMergeCopyListsSameBytes
// compares the segments merged without it).
var mergeCopyLists = true
