//  Copyright (c) 2023 Couchbase, Inc.
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
// 		http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

package zap

import (
	"bytes"
	"encoding/binary"
	"math"
	"slices"
	"sync/atomic"

	"github.com/RoaringBitmap/roaring/v2"
	index "github.com/blevesearch/bleve_index_api"
	seg "github.com/blevesearch/scorch_segment_api/v2"
	"github.com/blevesearch/vellum"
)

func init() {
	registerSegmentSection(SectionInvertedTextIndex, &invertedTextIndexSection{})
}

type invertedTextIndexSection struct {
}

// This function checks whether the inverted text index section should avoid processing
// a particular field, preventing unnecessary work if another section will handle it.
//
// NOTE: The exclusion check is applicable only to the InvertedTextIndexSection
// because it serves as a catch-all section. This section processes every field
// unless explicitly excluded, similar to a "default" case in a switch statement.
// Other sections, such as VectorSection and SynonymSection, rely on inclusion
// checks to process only specific field types (e.g., index.VectorField or
// index.SynonymField). Any new section added in the future must define its
// special field type and inclusion logic explicitly.
var isFieldExcludedFromInvertedTextIndexSection = func(field index.Field) bool {
	for _, excludeField := range invertedTextIndexSectionExclusionChecks {
		if excludeField(field) {
			// atleast one section has agreed to exclude this field
			// from inverted text index section processing and has
			// agreed to process it independently
			return true
		}
	}
	// no section has excluded this field from inverted index processing
	// so it should be processed by the inverted index section
	return false
}

// List of checks to determine if a field is excluded from the inverted text index section
var invertedTextIndexSectionExclusionChecks = make([]func(field index.Field) bool, 0)

func (i *invertedTextIndexSection) Process(opaque map[int]resetable, docNum uint32, field index.Field, fieldID uint16) {
	if !isFieldExcludedFromInvertedTextIndexSection(field) {
		io := i.getInvertedIndexOpaque(opaque)
		io.process(field, fieldID, docNum)
	}
}

func (i *invertedTextIndexSection) Persist(opaque map[int]resetable, w *FileWriter) error {
	io := i.getInvertedIndexOpaque(opaque)
	return io.writeDicts(w)
}

func (i *invertedTextIndexSection) AddrForField(opaque map[int]resetable, fieldID int) int {
	io := i.getInvertedIndexOpaque(opaque)
	return io.fieldAddrs[fieldID]
}

func mergeAndPersistInvertedSection(segments []*SegmentBase, dropsIn []*roaring.Bitmap,
	fieldsInv []string, fieldsMap map[string]uint16, fieldsOptions map[string]index.FieldIndexingOptions,
	fieldsSame bool, newDocNumsIn [][]uint64, newSegDocCount uint64, chunkMode uint32, w *FileWriter,
	closeCh chan struct{}) (map[int]int, error) {
	var bufMaxVarintLen64 []byte = make([]byte, binary.MaxVarintLen64)
	var bufLoc []uint64

	var postings *PostingsList
	var postItr *PostingsIterator
	var cachedPLs []*PostingsList // by index in itrs (see below)
	var cachedOffsets []uint64
	var scratchPL *PostingsList
	var copiers []*postingsCopier // by index in itrs (rapports fork)
	var lowVals []uint64

	fieldAddrs := make(map[int]int)
	dictOffsets := make([]uint64, len(fieldsInv))
	fieldDvLocsStart := make([]uint64, len(fieldsInv))
	fieldDvLocsEnd := make([]uint64, len(fieldsInv))

	// copying data directly is safe only if there are no
	// file callbacks that might modify the data in all
	// of the involved segments and the current writer
	copyFlag := true
	for _, segment := range segments {
		if segment.fileReader.id != "" {
			copyFlag = false
			break
		}
	}
	if w.id != "" {
		copyFlag = false
	}

	// these int coders are initialized with chunk size 1024
	// however this will be reset to the correct chunk size
	// while processing each individual field-term section
	tfEncoder := newChunkedIntCoder(1024, newSegDocCount-1)
	locEncoder := newChunkedIntCoder(1024, newSegDocCount-1)

	var vellumBuf bytes.Buffer
	newVellum, err := vellum.New(&vellumBuf, vellumBuilderOpts)
	if err != nil {
		return nil, err
	}

	newRoaring := roaring.NewBitmap()
	var newDocs []uint32 // the current term's new document numbers
	newDocNums := make([][]uint64, 0, len(segments))
	drops := make([]*roaring.Bitmap, 0, len(segments))
	dicts := make([]*Dictionary, 0, len(segments))
	itrs := make([]vellum.Iterator, 0, len(segments))
	segmentsInFocus := make([]*SegmentBase, 0, len(segments))
	// for each field
	for fieldID, fieldName := range fieldsInv {
		// collect FST iterators from all active segments for this field
		newDocNums = newDocNums[:0]
		drops = drops[:0]
		dicts = dicts[:0]
		itrs = itrs[:0]
		segmentsInFocus = segmentsInFocus[:0]
		for segmentI, segment := range segments {
			// check for the closure in meantime
			if isClosed(closeCh) {
				return nil, seg.ErrClosed
			}
			// early exit if the field's index option is false
			if !fieldsOptions[fieldName].IsIndexed() {
				continue
			}

			dict, err2 := segment.dictionary(fieldName)
			if err2 != nil {
				return nil, err2
			}
			if dict != nil && dict.fst != nil {
				itr, err2 := dict.fst.Iterator(nil, nil)
				if err2 != nil && err2 != vellum.ErrIteratorDone {
					return nil, err2
				}
				if itr != nil {
					newDocNums = append(newDocNums, newDocNumsIn[segmentI])
					if dropsIn[segmentI] != nil && !dropsIn[segmentI].IsEmpty() {
						drops = append(drops, dropsIn[segmentI])
					} else {
						drops = append(drops, nil)
					}
					dicts = append(dicts, dict)
					itrs = append(itrs, itr)
					segmentsInFocus = append(segmentsInFocus, segment)
				}
			}
		}

		var prevTerm []byte

		newDocs = newDocs[:0]

		var lastDocNum, lastFreq, lastNorm uint64

		// determines whether to use "1-hit" encoding optimization
		// when a term appears in only 1 doc, with no loc info,
		// has freq of 1, and the docNum fits into 31-bits
		use1HitEncoding := func(termCardinality uint64) (bool, uint64, uint64) {
			if termCardinality == uint64(1) && locEncoder.FinalSize() <= 0 {
				docNum := uint64(newDocs[0])
				if under32Bits(docNum) && docNum == lastDocNum && lastFreq == 1 {
					return true, docNum, lastNorm
				}
			}
			return false, 0, 0
		}

		finishTerm := func(term []byte) error {
			tfEncoder.Close()
			locEncoder.Close()

			// rapports fork: the document numbers gathered in newDocs
			// (in order: the segments' numbers follow each other), in
			// a roaring bitmap only when writePostingsDocs reads one.
			if !slices.IsSorted(newDocs) {
				slices.Sort(newDocs)
			}
			var postingsBS *roaring.Bitmap
			if len(newDocs) > maxDeltaDocNums {
				newRoaring.Clear()
				newRoaring.AddMany(newDocs)
				postingsBS = newRoaring
			}
			postingsOffset, err := writePostingsDocs(postingsBS, newDocs,
				tfEncoder, locEncoder, use1HitEncoding, w, bufMaxVarintLen64)
			if err != nil {
				return err
			}

			if postingsOffset > 0 {
				err = newVellum.Insert(term, postingsOffset)
				if err != nil {
					return err
				}
			}

			newDocs = newDocs[:0]

			tfEncoder.Reset()
			locEncoder.Reset()

			lastDocNum = 0
			lastFreq = 0
			lastNorm = 0

			return nil
		}

		for len(cachedPLs) < len(itrs) {
			cachedPLs = append(cachedPLs, nil)
			cachedOffsets = append(cachedOffsets, 0)
		}
		for i := range cachedPLs {
			cachedOffsets[i] = math.MaxUint64 // no FST value: offsets are below 2^63
		}

		enumerator, err := newEnumerator(itrs)

		// rapports fork: without deleted documents a term's lists are
		// copied by postingsCopier, each segment's read once.
		copyLists := fieldsSame && copyFlag && mergeCopyLists
		for _, d := range drops {
			copyLists = copyLists && d == nil
		}
		for copyLists && err == nil {
			term, _, _ := enumerator.Current()
			if isClosed(closeCh) {
				return nil, seg.ErrClosed
			}
			lowIdxs := enumerator.lowIdxs
			lowVals = enumerator.lowValues(lowVals[:0])
			for len(copiers) < len(itrs) {
				copiers = append(copiers, new(postingsCopier))
			}
			var newCard uint64
			for i, idx := range lowIdxs {
				if err := copiers[idx].reset(dicts[idx], lowVals[i]); err != nil {
					return nil, err
				}
				newCard += uint64(len(copiers[idx].docs))
			}
			chunkSize, err2 := getChunkSize(chunkMode, newCard, newSegDocCount)
			if err2 != nil {
				return nil, err2
			}
			tfEncoder.SetChunkSize(chunkSize, newSegDocCount-1)
			locEncoder.SetChunkSize(chunkSize, newSegDocCount-1)
			for _, idx := range lowIdxs {
				lastDocNum, lastFreq, lastNorm, err2 = copiers[idx].copyTo(newDocNums[idx], &newDocs, tfEncoder, locEncoder)
				if err2 != nil {
					return nil, err2
				}
			}
			if err2 := finishTerm(term); err2 != nil {
				return nil, err2
			}
			err = enumerator.nextTerm()
		}
		for !copyLists && err == nil {
			term, itrI, postingsOffset := enumerator.Current()

			if !bytes.Equal(prevTerm, term) {
				// check for the closure in meantime
				if isClosed(closeCh) {
					return nil, seg.ErrClosed
				}

				// if the term changed, write out the info collected
				// for the previous term
				err = finishTerm(prevTerm)
				if err != nil {
					return nil, err
				}
			}
			if !bytes.Equal(prevTerm, term) || prevTerm == nil {
				// compute cardinality of field-term in new seg
				// rapports fork: each segment's postings list is read
				// once, here, into that segment's cached list, and
				// copied below from it.
				var newCard uint64
				lowItrIdxs, lowItrVals := enumerator.GetLowIdxsAndValues()
				for i, idx := range lowItrIdxs {
					pl, err := dicts[idx].postingsListFromOffset(lowItrVals[i], drops[idx], cachedPLs[idx])
					if err != nil {
						return nil, err
					}
					cachedPLs[idx], cachedOffsets[idx] = pl, lowItrVals[i]
					newCard += pl.Count()
				}
				// compute correct chunk size with this
				chunkSize, err := getChunkSize(chunkMode, newCard, newSegDocCount)
				if err != nil {
					return nil, err
				}
				// update encoders chunk
				tfEncoder.SetChunkSize(chunkSize, newSegDocCount-1)
				locEncoder.SetChunkSize(chunkSize, newSegDocCount-1)
			}

			if cachedPLs[itrI] != nil && cachedOffsets[itrI] == postingsOffset {
				postings = cachedPLs[itrI]
			} else {
				scratchPL, err = dicts[itrI].postingsListFromOffset(
					postingsOffset, drops[itrI], scratchPL)
				postings = scratchPL
				if err != nil {
					return nil, err
				}
			}

			postItr = postings.iterator(true, true, true, postItr)

			// can only safely copy data if all segments have same fields and all have an empty
			// writer id (i.e. no callbacks)
			if fieldsSame && copyFlag {
				// can optimize by copying freq/norm/loc bytes directly
				lastDocNum, lastFreq, lastNorm, err = mergeTermFreqNormLocsByCopying(
					term, postItr, newDocNums[itrI], &newDocs,
					tfEncoder, locEncoder)
			} else {
				lastDocNum, lastFreq, lastNorm, bufLoc, err = mergeTermFreqNormLocs(
					fieldsMap, uint16(fieldID), term, postItr, newDocNums[itrI], &newDocs,
					tfEncoder, locEncoder, bufLoc)
			}
			if err != nil {
				return nil, err
			}

			prevTerm = prevTerm[:0] // copy to prevTerm in case Next() reuses term mem
			prevTerm = append(prevTerm, term...)

			err = enumerator.Next()
		}
		if err != vellum.ErrIteratorDone {
			return nil, err
		}
		// close the enumerator to free the underlying iterators
		err = enumerator.Close()
		if err != nil {
			return nil, err
		}

		err = finishTerm(prevTerm)
		if err != nil {
			return nil, err
		}

		dictOffset := uint64(w.Count())

		err = newVellum.Close()
		if err != nil {
			return nil, err
		}
		vellumData := w.process(vellumBuf.Bytes())

		// write out the length of the vellum data
		n := binary.PutUvarint(bufMaxVarintLen64, uint64(len(vellumData)))
		_, err = w.Write(bufMaxVarintLen64[:n])
		if err != nil {
			return nil, err
		}

		// write this vellum to disk
		_, err = w.Write(vellumData)
		if err != nil {
			return nil, err
		}

		dictOffsets[fieldID] = dictOffset

		fieldDvLocsStart[fieldID] = uint64(w.Count())

		// update the field doc values
		// NOTE: doc values continue to use legacy chunk mode
		chunkSize, err := getChunkSize(LegacyChunkMode, 0, 0)
		if err != nil {
			return nil, err
		}
		if fieldsOptions[fieldName].SkipDVChunking() {
			chunkSize = 1
		}
		fdvEncoder := newChunkedContentCoder(chunkSize, newSegDocCount-1, w, true, fieldsOptions[fieldName].SkipDVCompression())

		fdvReadersAvailable := false
		var dvIterClone *docValueReader
		var dvIter *docValueReader
		for segmentI, segment := range segmentsInFocus {
			// check for the closure in meantime
			if isClosed(closeCh) {
				return nil, seg.ErrClosed
			}
			// early exit if docvalues are not wanted for this field
			if !fieldsOptions[fieldName].IncludeDocValues() {
				continue
			}
			fieldIDPlus1 := uint16(segment.fieldsMap[fieldName])
			dvIter = segment.fieldDvReaders[SectionInvertedTextIndex][fieldIDPlus1-1]
			if dvIter != nil {
				fdvReadersAvailable = true
				dvIterClone = dvIter.cloneInto(dvIterClone)
				err = dvIterClone.iterateAllDocValues(segment, func(docNum uint64, terms []byte) error {
					if newDocNums[segmentI][docNum] == docDropped {
						return nil
					}
					err := fdvEncoder.Add(newDocNums[segmentI][docNum], terms)
					if err != nil {
						return err
					}
					return nil
				})
				if err != nil {
					return nil, err
				}
			}
		}

		if fdvReadersAvailable {
			err = fdvEncoder.Close()
			if err != nil {
				return nil, err
			}

			// persist the doc value details for this field
			_, err = fdvEncoder.Write()
			if err != nil {
				return nil, err
			}

			// get the field doc value offset (end)
			fieldDvLocsEnd[fieldID] = uint64(w.Count())
		} else {
			fieldDvLocsStart[fieldID] = fieldNotUninverted
			fieldDvLocsEnd[fieldID] = fieldNotUninverted
		}

		// rapports fork: the norms of the field's documents, by
		// their new numbers.
		newNorms := make([]uint32, newSegDocCount)
		for segmentI, segment := range segmentsInFocus {
			norms := segment.fieldNorms(int(segment.fieldsMap[fieldName]) - 1)
			if norms.width == 0 {
				continue
			}
			for oldDoc, newDoc := range newDocNums[segmentI] {
				if newDoc != docDropped {
					newNorms[newDoc] = uint32(norms.at(uint64(oldDoc)))
				}
			}
		}
		normsOffset, err := writeNorms(w, newNorms)
		if err != nil {
			return nil, err
		}

		fieldStart := w.Count()

		n = binary.PutUvarint(bufMaxVarintLen64, fieldDvLocsStart[fieldID])
		_, err = w.Write(bufMaxVarintLen64[:n])
		if err != nil {
			return nil, err
		}

		n = binary.PutUvarint(bufMaxVarintLen64, fieldDvLocsEnd[fieldID])
		_, err = w.Write(bufMaxVarintLen64[:n])
		if err != nil {
			return nil, err
		}

		n = binary.PutUvarint(bufMaxVarintLen64, dictOffsets[fieldID])
		_, err = w.Write(bufMaxVarintLen64[:n])
		if err != nil {
			return nil, err
		}

		n = binary.PutUvarint(bufMaxVarintLen64, normsOffset)
		_, err = w.Write(bufMaxVarintLen64[:n])
		if err != nil {
			return nil, err
		}

		fieldAddrs[fieldID] = fieldStart

		// reset vellum buffer and vellum builder
		vellumBuf.Reset()
		err = newVellum.Reset(&vellumBuf)
		if err != nil {
			return nil, err
		}
	}
	return fieldAddrs, nil
}

func (i *invertedTextIndexSection) Merge(opaque map[int]resetable, segments []*SegmentBase,
	drops []*roaring.Bitmap, fieldsInv []string, newDocNumsIn [][]uint64,
	w *FileWriter, closeCh chan struct{}) error {
	io := i.getInvertedIndexOpaque(opaque)
	fieldAddrs, err := mergeAndPersistInvertedSection(segments, drops, fieldsInv,
		io.FieldsMap, io.FieldsOptions, io.fieldsSame, newDocNumsIn, io.numDocs, io.chunkMode, w, closeCh)
	if err != nil {
		return err
	}

	io.fieldAddrs = fieldAddrs
	return nil
}

func (i *invertedIndexOpaque) grabBuf(size int) []byte {
	buf := i.tmp0
	if cap(buf) < size {
		buf = make([]byte, size)
		i.tmp0 = buf
	}
	return buf[:size]
}

func (i *invertedIndexOpaque) incrementBytesWritten(bytes uint64) {
	i.bytesWritten += bytes
}

func (i *invertedIndexOpaque) BytesWritten() uint64 {
	return i.bytesWritten
}

func (i *invertedIndexOpaque) BytesRead() uint64 {
	return 0
}

func (i *invertedIndexOpaque) ResetBytesRead(uint64) {}

func (io *invertedIndexOpaque) writeDicts(w *FileWriter) error {
	if len(io.results) == 0 {
		return nil
	}

	dictOffsets := make([]uint64, len(io.FieldsInv))
	var err error

	fdvOffsetsStart := make([]uint64, len(io.FieldsInv))
	fdvOffsetsEnd := make([]uint64, len(io.FieldsInv))

	buf := io.grabBuf(binary.MaxVarintLen64)

	// these int coders are initialized with chunk size 1024
	// however this will be reset to the correct chunk size
	// while processing each individual field-term section
	tfEncoder := newChunkedIntCoder(1024, uint64(len(io.results)-1))
	locEncoder := newChunkedIntCoder(1024, uint64(len(io.results)-1))

	var docTermMap [][]byte
	var locArgsBuf []uint64
	docNums := make([]uint32, 0, 64)
	scratchBS := roaring.New()

	if io.builder == nil {
		io.builder, err = vellum.New(&io.builderBuf, vellumBuilderOpts)
		if err != nil {
			return err
		}
	}

	// rapports fork: realloc numbered the postings lists in the order of
	// the fields and of their sorted terms, the order they are written in.
	pid := -1
	for fieldID, terms := range io.DictKeys {
		if cap(docTermMap) < len(io.results) {
			docTermMap = make([][]byte, len(io.results))
		} else {
			docTermMap = docTermMap[:len(io.results)]
			for docNum := range docTermMap { // reset the docTermMap
				docTermMap[docNum] = docTermMap[docNum][:0]
			}
		}

		dv := io.IncludeDocValues[fieldID]
		for _, term := range terms { // terms are already sorted
			pid++

			// rapports fork: the postings' document numbers are those
			// of freqNorms, in order; no roaring bitmap is built in
			// process (see writePostings).
			freqNorms := io.FreqNorms[pid]
			locs := io.Locs[pid]
			locOffset := 0

			cardinality := uint64(len(freqNorms))
			chunkSize, err := getChunkSize(io.chunkMode, cardinality, uint64(len(io.results)))
			if err != nil {
				return err
			}
			tfEncoder.SetChunkSize(chunkSize, uint64(len(io.results)-1))
			locEncoder.SetChunkSize(chunkSize, uint64(len(io.results)-1))

			docNums = docNums[:0]
			for _, freqNorm := range freqNorms {
				docNum := uint64(freqNorm.docNum)
				docNums = append(docNums, freqNorm.docNum)
				numLocs := int(freqNorm.numLocs)

				// rapports fork: the norm goes to the field's norms
				// column (norms.go), not after each frequency.
				freqLocs := encodeFreqHasLocs(uint64(freqNorm.freq), numLocs)
				tfEncoder.add1(docNum, freqLocs)

				if numLocs > 0 {
					var st locState
					locArgsBuf = locArgsBuf[:0]
					for _, loc := range locs[locOffset : locOffset+numLocs] {
						if loc.ext != 0 {
							e := &io.locExts[loc.ext-1]
							locArgsBuf = appendLoc(locArgsBuf, &st, uint16(fieldID), loc.fieldID,
								e.pos, 0, 0, e.arrayposs)
						} else {
							locArgsBuf = appendLoc(locArgsBuf, &st, uint16(fieldID), loc.fieldID,
								uint64(loc.pos), 0, 0, nil)
						}
					}

					if freqLocs&3 == locsCounted {
						locEncoder.add1(docNum, uint64(numLocs))
					}
					err = locEncoder.Add(docNum, locArgsBuf...)
					if err != nil {
						return err
					}
					locOffset += numLocs
				}

				if dv { // rapports fork: only for the doc values
					docTermMap[docNum] = append(
						append(docTermMap[docNum], term...),
						index.DocValueTermSeparator)
				}
			}

			tfEncoder.Close()
			locEncoder.Close()
			io.incrementBytesWritten(locEncoder.getBytesWritten())
			io.incrementBytesWritten(tfEncoder.getBytesWritten())

			var postingsBS *roaring.Bitmap
			if len(docNums) > maxDeltaDocNums {
				scratchBS.Clear()
				scratchBS.AddMany(docNums)
				postingsBS = scratchBS
			}
			postingsOffset, err :=
				writePostingsDocs(postingsBS, docNums, tfEncoder, locEncoder, nil, w, buf)
			if err != nil {
				return err
			}

			if postingsOffset > uint64(0) {
				err = io.builder.Insert([]byte(term), postingsOffset)
				if err != nil {
					return err
				}
			}

			tfEncoder.Reset()
			locEncoder.Reset()
		}

		err = io.builder.Close()
		if err != nil {
			return err
		}

		// record where this dictionary starts
		dictOffsets[fieldID] = uint64(w.Count())

		vellumData := w.process(io.builderBuf.Bytes())

		// write out the length of the vellum data
		n := binary.PutUvarint(buf, uint64(len(vellumData)))
		_, err = w.Write(buf[:n])
		if err != nil {
			return err
		}

		io.incrementBytesWritten(uint64(len(vellumData)))

		// write this vellum to disk
		_, err = w.Write(vellumData)
		if err != nil {
			return err
		}

		// reset vellum for reuse
		io.builderBuf.Reset()

		err = io.builder.Reset(&io.builderBuf)
		if err != nil {
			return err
		}

		// write the field doc values
		// NOTE: doc values continue to use legacy chunk mode
		chunkSize, err := getChunkSize(LegacyChunkMode, 0, 0)
		if err != nil {
			return err
		}
		if io.FieldsOptions[io.FieldsInv[fieldID]].SkipDVChunking() {
			chunkSize = 1
		}
		fdvEncoder := newChunkedContentCoder(chunkSize, uint64(len(io.results)-1), w, false, io.FieldsOptions[io.FieldsInv[fieldID]].SkipDVCompression())
		if io.IncludeDocValues[fieldID] {
			for docNum, docTerms := range docTermMap {
				if fieldTermMap, ok := io.extraDocValues[docNum]; ok {
					if sTerms, ok := fieldTermMap[uint16(fieldID)]; ok {
						for _, sTerm := range sTerms {
							docTerms = append(append(docTerms, sTerm...), index.DocValueTermSeparator)
						}
					}
				}
				if len(docTerms) > 0 {
					err = fdvEncoder.Add(uint64(docNum), docTerms)
					if err != nil {
						return err
					}
				}
			}
			err = fdvEncoder.Close()
			if err != nil {
				return err
			}

			io.incrementBytesWritten(fdvEncoder.getBytesWritten())

			fdvOffsetsStart[fieldID] = uint64(w.Count())

			_, err = fdvEncoder.Write()
			if err != nil {
				return err
			}

			fdvOffsetsEnd[fieldID] = uint64(w.Count())
			fdvEncoder.Reset()
		} else {
			fdvOffsetsStart[fieldID] = fieldNotUninverted
			fdvOffsetsEnd[fieldID] = fieldNotUninverted
		}

		var normsOffset uint64
		if fieldID < len(io.norms) {
			normsOffset, err = writeNorms(w, io.norms[fieldID])
			if err != nil {
				return err
			}
		}

		fieldStart := w.Count()

		n = binary.PutUvarint(buf, fdvOffsetsStart[fieldID])
		_, err = w.Write(buf[:n])
		if err != nil {
			return err
		}

		n = binary.PutUvarint(buf, fdvOffsetsEnd[fieldID])
		_, err = w.Write(buf[:n])
		if err != nil {
			return err
		}

		n = binary.PutUvarint(buf, dictOffsets[fieldID])
		_, err = w.Write(buf[:n])
		if err != nil {
			return err
		}

		n = binary.PutUvarint(buf, normsOffset)
		_, err = w.Write(buf[:n])
		if err != nil {
			return err
		}

		io.fieldAddrs[fieldID] = fieldStart
	}

	return nil
}

func (io *invertedIndexOpaque) process(field index.Field, fieldID uint16, docNum uint32) {
	// rapports fork: realloc builds the postings of every document in
	// one pass over the batch (one dictionary lookup per term and
	// document instead of two, no merged TokenFrequencies); the calls
	// for each field have nothing more to do.
	if !io.init && io.results != nil {
		io.realloc()
		io.init = true
	}
}

// setNorm records the norm bits of field fid in document docNum.
func (io *invertedIndexOpaque) setNorm(fid int, docNum uint32, bits uint32) {
	for len(io.norms) <= fid {
		io.norms = append(io.norms, nil)
	}
	if io.norms[fid] == nil {
		io.norms[fid] = make([]uint32, len(io.results))
	}
	io.norms[fid][docNum] = bits
}

func (i *invertedIndexOpaque) initDictsAndKeysFromFields() {
	numFields := len(i.FieldsInv)
	for len(i.dictFull) < numFields {
		i.dictFull = append(i.dictFull, false)
	}

	// Resize or allocate Dicts
	if cap(i.Dicts) >= numFields {
		i.Dicts = i.Dicts[:numFields]
	} else {
		i.Dicts = make([]map[string]uint64, numFields)
	}

	// Resize or allocate DictKeys
	if cap(i.DictKeys) >= numFields {
		i.DictKeys = i.DictKeys[:numFields]
	} else {
		i.DictKeys = make([][]string, numFields)
	}

	for idx := 0; idx < numFields; idx++ {
		// --- Dicts ---
		if i.Dicts[idx] == nil {
			i.Dicts[idx] = make(map[string]uint64)
		} else if i.dictFull[idx] {
			clear(i.Dicts[idx])
		}
		i.dictFull[idx] = false

		// --- DictKeys ---
		if i.DictKeys[idx] != nil {
			i.DictKeys[idx] = i.DictKeys[idx][:0]
		} else {
			i.DictKeys[idx] = nil
		}
	}
}

// interimOcc is one term of one field of one document, or all the terms
// of a CompactField of one document, as realloc meets them (rapports
// fork). Without pointers: the term's TokenFreq is occTFs[ref] and its
// postings list pid; a CompactField is compacts[cf], the postings lists
// of its terms being occPids[pid:].
type interimOcc struct {
	pid    uint32
	docNum uint32
	ref    uint32
	cf     int32 // -1: not a CompactField
	fid    uint16
	again  bool // a field of this name came before in the document
}

// fieldDict returns the dictionary of field fid, with every term of the
// field met so far in the batch (rapports fork: the terms of CompactFields
// found by their ids do not go to the dictionary; it is filled from
// termPids when a term has to be found by its bytes).
func (i *invertedIndexOpaque) fieldDict(fid uint16) map[string]uint64 {
	dict := i.Dicts[fid]
	if !i.dictFull[fid] {
		for _, k := range i.termPids[fid] {
			dict[k.term] = uint64(k.pid) + 1
		}
		i.dictFull[fid] = true
	}
	return dict
}

// postingsCount is the size of a postings list being built: its
// documents and locations (rapports fork: one record, not two slices).
type postingsCount struct{ docs, locs uint32 }

// termPid is a term of a field's dictionary and its postings list.
type termPid struct {
	term   string
	prefix uint64 // the term's first 8 bytes, big-endian, 0-padded
	pid    uint32
}

func newTermPid(term string, pid uint32) termPid {
	var b [8]byte
	copy(b[:], term)
	return termPid{term: term, prefix: binary.BigEndian.Uint64(b[:]), pid: pid}
}

// realloc builds the postings lists of the batch (rapports fork: what
// realloc and process did in zapx v17, with the same result). A first
// pass numbers the terms of each field and counts their documents and
// locations, records each term of each document with its postings list,
// and sets the norms; the terms of each field are sorted and the
// postings lists renumbered in that order, the order writeDicts writes
// them; a second pass fills the postings lists, sized exactly, from the
// recorded terms. The fields of one name in a document are merged into
// one posting as TokenFrequencies.MergeAll did: frequencies added,
// locations in field order, the later fields' locations in their own
// field.
func (i *invertedIndexOpaque) realloc() {
	var pidNext int

	var totTFs int
	var totLocs int

	// initialize dicts and dict keys from fieldsMap
	i.initDictsAndKeysFromFields()
	for len(i.termPids) < len(i.FieldsInv) {
		i.termPids = append(i.termPids, nil)
	}
	i.termPids = i.termPids[:len(i.FieldsInv)]
	for fid := range i.termPids {
		i.termPids[fid] = i.termPids[fid][:0]
	}
	i.occ = i.occ[:0]
	i.postingsCounts = i.postingsCounts[:0]

	numFields := len(i.FieldsInv)
	if cap(i.docFieldLens) >= numFields {
		i.docFieldLens = i.docFieldLens[:numFields]
		i.docFieldSeen = i.docFieldSeen[:numFields]
		i.docFieldMerge = i.docFieldMerge[:numFields]
		i.docFieldTerms = i.docFieldTerms[:numFields]
	} else {
		i.docFieldLens = make([]int, numFields)
		i.docFieldSeen = make([]bool, numFields)
		i.docFieldMerge = make([]bool, numFields)
		i.docFieldTerms = make([]bool, numFields)
	}
	docFields := i.docFields[:0]

	// visitCompact is visitField's first pass over the terms of a
	// CompactField: the same, the postings list of a term found by its
	// id when it has one.
	visitCompact := func(c *CompactFrequencies, fieldID uint16, docNum int, processed, again bool) {
		for len(i.vocabPids) <= int(fieldID) {
			i.vocabPids = append(i.vocabPids, vocabPids{})
		}
		byID := &i.vocabPids[fieldID]
		useIDs := byID.usable(c.Vocab)
		if processed {
			i.occ = append(i.occ, interimOcc{pid: uint32(len(i.occPids)), cf: int32(len(i.compacts)),
				docNum: uint32(docNum), fid: fieldID, again: again})
			i.compacts = append(i.compacts, *c)
		}
		for k, term := range c.Terms {
			var pidPlus1 uint32
			if useIDs {
				pidPlus1 = byID.get(c.IDs[k])
			}
			if pidPlus1 == 0 {
				// a term not met by its id: new, when the ids met
				// are all the terms met (each id is one term)
				var p uint64
				var exists bool
				if !useIDs || len(byID.set) != len(i.termPids[fieldID]) {
					p, exists = i.fieldDict(fieldID)[term]
				}
				if !exists {
					pidNext++
					p = uint64(pidNext)
					if i.dictFull[fieldID] {
						i.Dicts[fieldID][term] = p
					}
					i.termPids[fieldID] = append(i.termPids[fieldID], newTermPid(term, uint32(pidNext-1)))
					i.postingsCounts = append(i.postingsCounts, postingsCount{})
				}
				pidPlus1 = uint32(p)
				if useIDs {
					byID.put(c.IDs[k], pidPlus1)
				}
			}
			pid := pidPlus1 - 1
			n := c.Counts[k]
			pc := &i.postingsCounts[pid]
			pc.docs++
			pc.locs += n
			totLocs += int(n)
			if processed {
				i.occPids = append(i.occPids, pid)
			}
		}
		totTFs += len(c.Terms)
	}

	visitField := func(field index.Field, docNum int) {
		fieldID := uint16(i.getOrDefineField(field.Name()))
		for len(i.termPids) <= int(fieldID) {
			i.termPids = append(i.termPids, nil)
		}

		keys := i.termPids[fieldID]

		// the inverted index section's process saw only these fields
		processed := !isFieldExcludedFromInvertedTextIndexSection(field)
		var again bool
		if processed {
			for len(i.docFieldLens) <= int(fieldID) {
				i.docFieldLens = append(i.docFieldLens, 0)
				i.docFieldSeen = append(i.docFieldSeen, false)
				i.docFieldMerge = append(i.docFieldMerge, false)
				i.docFieldTerms = append(i.docFieldTerms, false)
			}
			if !i.docFieldSeen[fieldID] {
				i.docFieldSeen[fieldID] = true
				docFields = append(docFields, fieldID)
			}
			i.docFieldLens[fieldID] += field.AnalyzedLength()
		}

		if c, ok := compactFrequencies(field); ok {
			if processed {
				again = i.docFieldMerge[fieldID]
				i.docFieldMerge[fieldID] = true
				if len(c.Terms) > 0 {
					i.docFieldTerms[fieldID] = true
				}
			}
			i.termPids[fieldID] = keys
			visitCompact(&c, fieldID, docNum, processed, again)
			keys = i.termPids[fieldID]
		} else {
			tfs := field.AnalyzedTokenFrequencies()
			if processed {
				// zapx v17 merged a field into the first non-nil
				// frequencies of its name in the document
				again = i.docFieldMerge[fieldID]
				if tfs != nil {
					i.docFieldMerge[fieldID] = true
				}
				if len(tfs) > 0 {
					i.docFieldTerms[fieldID] = true
				}
			}
			var dict map[string]uint64
			if len(tfs) > 0 {
				dict = i.fieldDict(fieldID)
			}
			for term, tf := range tfs {
				pidPlus1, exists := dict[term]
				if !exists {
					pidNext++
					pidPlus1 = uint64(pidNext)

					dict[term] = pidPlus1
					keys = append(keys, newTermPid(term, uint32(pidNext-1)))

					i.postingsCounts = append(i.postingsCounts, postingsCount{})
				}

				pid := pidPlus1 - 1

				i.postingsCounts[pid].docs++
				i.postingsCounts[pid].locs += uint32(len(tf.Locations))

				totLocs += len(tf.Locations)
				if processed {
					i.occ = append(i.occ, interimOcc{pid: uint32(pid), ref: uint32(len(i.occTFs)), cf: -1,
						docNum: uint32(docNum), fid: fieldID, again: again})
					i.occTFs = append(i.occTFs, tf)
				}
			}

			totTFs += len(tfs)
		}

		i.termPids[fieldID] = keys
		if field.Options().IncludeDocValues() {
			i.IncludeDocValues[fieldID] = true
		}

		if f, ok := field.(index.GeoShapeField); ok {
			if _, exists := i.extraDocValues[docNum]; !exists {
				i.extraDocValues[docNum] = make(map[uint16][][]byte)
			}
			i.extraDocValues[docNum][fieldID] = append(i.extraDocValues[docNum][fieldID], f.EncodedShape())
		}
	}

	if cap(i.IncludeDocValues) >= len(i.FieldsInv) {
		i.IncludeDocValues = i.IncludeDocValues[:len(i.FieldsInv)]
	} else {
		i.IncludeDocValues = make([]bool, len(i.FieldsInv))
	}

	if i.extraDocValues == nil {
		i.extraDocValues = map[int]map[uint16][][]byte{}
	}

	// one pair of visitors for the batch (rapports fork: not two new
	// closures per document)
	var docNum int
	visitComposite := func(field index.CompositeField) { visitField(field, docNum) }
	visitPlain := func(field index.Field) { visitField(field, docNum) }
	for k, result := range i.results {
		docNum = k
		// walk each composite field
		result.VisitComposite(visitComposite)

		// walk each field
		result.VisitFields(visitPlain)

		// the norms of the document's fields
		for _, fid := range docFields {
			if i.docFieldTerms[fid] {
				i.setNorm(int(fid), uint32(docNum), uint32(i.docFieldLens[fid]))
			}
			i.docFieldLens[fid] = 0
			i.docFieldSeen[fid] = false
			i.docFieldMerge[fid] = false
			i.docFieldTerms[fid] = false
		}
		docFields = docFields[:0]
	}
	i.docFields = docFields

	numPostingsLists := pidNext

	// sort the terms of each field and number the postings lists in
	// that order
	for len(i.DictKeys) < len(i.termPids) {
		i.DictKeys = append(i.DictKeys, nil)
	}
	if cap(i.pidOrder) >= numPostingsLists {
		i.pidOrder = i.pidOrder[:numPostingsLists]
	} else {
		i.pidOrder = make([]uint32, numPostingsLists)
	}
	next := uint32(0)
	if i.radixCounts == nil {
		i.radixCounts = new(radixCounts)
	}
	for fid, keys := range i.termPids {
		var order []termOrder
		order, i.termOrderTmp = sortedTerms(keys, i.termOrder, i.termOrderTmp, i.radixCounts)
		i.termOrder = order
		dictKeys := i.DictKeys[fid][:0]
		for _, o := range order {
			k := &keys[o.idx]
			dictKeys = append(dictKeys, k.term)
			i.pidOrder[k.pid] = next
			next++
		}
		i.DictKeys[fid] = dictKeys
	}

	if cap(i.FreqNorms) >= numPostingsLists {
		i.FreqNorms = i.FreqNorms[:numPostingsLists]
	} else {
		i.FreqNorms = make([][]interimFreqNorm, numPostingsLists)
	}

	if cap(i.freqNormsBacking) >= totTFs {
		i.freqNormsBacking = i.freqNormsBacking[:totTFs]
	} else {
		i.freqNormsBacking = make([]interimFreqNorm, totTFs)
	}

	if cap(i.Locs) >= numPostingsLists {
		i.Locs = i.Locs[:numPostingsLists]
	} else {
		i.Locs = make([][]interimLoc, numPostingsLists)
	}

	if cap(i.locsBacking) >= totLocs {
		i.locsBacking = i.locsBacking[:totLocs]
	} else {
		i.locsBacking = make([]interimLoc, totLocs)
	}

	// lay the postings lists out in their new order: each slice has
	// the capacity of its count, so that an append cannot run into
	// the next one
	if cap(i.pidByOrder) >= numPostingsLists {
		i.pidByOrder = i.pidByOrder[:numPostingsLists]
	} else {
		i.pidByOrder = make([]uint32, numPostingsLists)
	}
	for pid, n := range i.pidOrder {
		i.pidByOrder[n] = uint32(pid)
	}
	// each postings list's records are a range of freqNormsBacking and
	// locsBacking, filled from its cursor (rapports fork: 8 bytes per
	// list for the random accesses of the second pass instead of two
	// slice headers)
	if cap(i.cursors) >= numPostingsLists {
		i.cursors = i.cursors[:numPostingsLists]
		i.starts = i.starts[:numPostingsLists]
	} else {
		i.cursors = make([]postingsCount, numPostingsLists)
		i.starts = make([]postingsCount, numPostingsLists)
	}
	var at postingsCount
	for n, pid := range i.pidByOrder {
		i.starts[n], i.cursors[n] = at, at
		at.docs += i.postingsCounts[pid].docs
		at.locs += i.postingsCounts[pid].locs
	}

	// second pass: the postings
	i.locExts = i.locExts[:0]
	for k := range i.occ {
		o := &i.occ[k]
		if o.cf >= 0 {
			i.fillCompact(o)
			continue
		}
		pid := i.pidOrder[o.pid]
		tf := i.occTFs[o.ref]
		cur := &i.cursors[pid]
		if fn := i.freqNormsBacking[:cur.docs]; o.again && cur.docs > i.starts[pid].docs && fn[len(fn)-1].docNum == o.docNum {
			// a later field of the same name: merged into the first
			fn[len(fn)-1].freq += uint32(tf.Frequency())
			fn[len(fn)-1].numLocs += uint32(len(tf.Locations))
		} else {
			i.freqNormsBacking[cur.docs] = interimFreqNorm{
				docNum:  o.docNum,
				freq:    uint32(tf.Frequency()),
				numLocs: uint32(len(tf.Locations)),
			}
			cur.docs++
		}

		for _, loc := range tf.Locations {
			locf := o.fid
			if loc.Field != "" && !o.again {
				locf = uint16(i.getOrDefineField(loc.Field))
			}
			pos := uint64(loc.Position)
			l := interimLoc{fieldID: locf, pos: uint32(pos)}
			if len(loc.ArrayPositions) > 0 || pos>>32 != 0 {
				e := interimLocExt{pos: pos}
				if len(loc.ArrayPositions) > 0 {
					e.arrayposs = loc.ArrayPositions
				}
				i.locExts = append(i.locExts, e)
				l.ext = uint32(len(i.locExts))
			}
			i.locsBacking[cur.locs] = l
			cur.locs++
		}
	}
	for n := range i.FreqNorms {
		st, cur := i.starts[n], i.cursors[n]
		i.FreqNorms[n] = i.freqNormsBacking[st.docs:cur.docs:cur.docs]
		i.Locs[n] = i.locsBacking[st.locs:cur.locs:cur.locs]
	}
	i.occ = i.occ[:0]
	i.occPids = i.occPids[:0]
	clear(i.occTFs) // drop the analysis results
	i.occTFs = i.occTFs[:0]
	clear(i.compacts)
	i.compacts = i.compacts[:0]
	for k := range i.vocabPids {
		i.vocabPids[k].reset(i.vocabPids[k].vocab)
	}
}

// fillCompact is realloc's second pass for o, the terms of a
// CompactField: what it does for TokenFreqs of the same frequencies and
// locations.
func (i *invertedIndexOpaque) fillCompact(o *interimOcc) {
	c := &i.compacts[o.cf]
	pids := i.occPids[o.pid : int(o.pid)+len(c.Terms)]
	counts := c.Counts[:len(pids)]
	srcLocs := c.Locs
	ref := uint32(0)
	for k, p := range pids {
		pid := i.pidOrder[p]
		freq := counts[k]
		cur := &i.cursors[pid]
		if fn := i.freqNormsBacking[:cur.docs]; o.again && cur.docs > i.starts[pid].docs && fn[len(fn)-1].docNum == o.docNum {
			// a later field of the same name: merged into the first
			fn[len(fn)-1].freq += freq
			fn[len(fn)-1].numLocs += freq
		} else {
			i.freqNormsBacking[cur.docs] = interimFreqNorm{docNum: o.docNum, freq: freq, numLocs: freq}
			cur.docs++
		}
		src := srcLocs[3*ref : 3*(ref+freq)]
		locs := i.locsBacking[cur.locs : cur.locs+freq]
		cur.locs += freq
		ref += freq
		if len(c.ArrayPositions) == 0 {
			for k := range locs {
				locs[k] = interimLoc{fieldID: o.fid, pos: src[3*k]}
			}
		} else {
			for k := range locs {
				i.locExts = append(i.locExts, interimLocExt{pos: uint64(src[3*k]), arrayposs: c.ArrayPositions})
				locs[k] = interimLoc{fieldID: o.fid, pos: src[3*k], ext: uint32(len(i.locExts))}
			}
		}
	}
}

func (i *invertedTextIndexSection) getInvertedIndexOpaque(opaque map[int]resetable) *invertedIndexOpaque {
	if _, ok := opaque[SectionInvertedTextIndex]; !ok {
		opaque[SectionInvertedTextIndex] = i.InitOpaque(nil)
	}
	return opaque[SectionInvertedTextIndex].(*invertedIndexOpaque)
}

func (i *invertedIndexOpaque) getOrDefineField(fieldName string) int {
	fieldIDPlus1, exists := i.FieldsMap[fieldName]
	if !exists {
		fieldIDPlus1 = uint16(len(i.FieldsInv) + 1)
		i.FieldsMap[fieldName] = fieldIDPlus1
		i.FieldsInv = append(i.FieldsInv, fieldName)

		i.Dicts = append(i.Dicts, make(map[string]uint64))
		for len(i.dictFull) < len(i.Dicts) {
			i.dictFull = append(i.dictFull, false)
		}
		i.dictFull[len(i.Dicts)-1] = false

		n := len(i.DictKeys)
		if n < cap(i.DictKeys) {
			i.DictKeys = i.DictKeys[:n+1]
			i.DictKeys[n] = i.DictKeys[n][:0]
		} else {
			i.DictKeys = append(i.DictKeys, []string(nil))
		}
	}

	return int(fieldIDPlus1 - 1)
}

func (i *invertedTextIndexSection) InitOpaque(args map[string]interface{}) resetable {
	rv := &invertedIndexOpaque{
		fieldAddrs: map[int]int{},
	}
	for k, v := range args {
		rv.Set(k, v)
	}

	return rv
}

type invertedIndexOpaque struct {
	bytesWritten uint64 // atomic access to this variable, moved to top to correct alignment issues on ARM, 386 and 32-bit MIPS.

	results []index.Document

	chunkMode uint32

	// indicates whethere the following structs are initialized
	init bool

	// FieldsMap adds 1 to field id to avoid zero value issues
	//  name -> field id + 1
	FieldsMap map[string]uint16

	// FieldsInv is the inverse of FieldsMap
	//  field id -> name
	FieldsInv []string

	// Field indexing options
	//  field name -> options
	FieldsOptions map[string]index.FieldIndexingOptions

	// Term dictionaries for each field
	//  field id -> term -> postings list id + 1
	Dicts []map[string]uint64

	// Terms for each field, where terms are sorted ascending
	//  field id -> []term
	DictKeys [][]string

	// Fields whose IncludeDocValues is true
	//  field id -> bool
	IncludeDocValues []bool

	// postings id -> freq/norm's, one for each docNum in postings
	FreqNorms        [][]interimFreqNorm
	freqNormsBacking []interimFreqNorm

	// field id -> doc num -> norm bits (rapports fork, norms.go)
	norms [][]uint32

	// postings id -> locs, one for each freq
	Locs        [][]interimLoc
	locsBacking []interimLoc

	postingsCounts []postingsCount // key is postings list id (rapports fork)

	// store terms that are unnecessary for the term dictionaries but needed in doc values
	// eg - encoded geoshapes
	// docNum -> fieldID -> terms
	extraDocValues map[int]map[uint16][][]byte

	builder    *vellum.Builder
	builderBuf bytes.Buffer

	// rapports fork: realloc's work (see there)
	occ           []interimOcc
	occPids       []uint32             // the postings lists of the terms of the CompactFields of occ
	dictFull      []bool               // field id -> Dicts holds all its terms (fieldDict)
	occTFs        []*index.TokenFreq   // the TokenFreqs of occ
	compacts      []CompactFrequencies // the CompactFields of occ
	vocabPids     []vocabPids          // field id -> postings lists by term id
	termPids      [][]termPid          // field id -> its terms and postings lists
	termOrder     []termOrder          // the order of a field's termPids (sortedTerms)
	termOrderTmp  []termOrder
	radixCounts   *radixCounts
	pidOrder      []uint32        // first-pass postings list id -> written order
	pidByOrder    []uint32        // the inverse of pidOrder
	starts        []postingsCount // written order -> its records' first
	cursors       []postingsCount // written order -> its next records
	locExts       []interimLocExt
	docFields     []uint16 // the fields of the document realloc reads
	docFieldLens  []int    // field id -> its length in the document
	docFieldSeen  []bool   // field id -> in docFields
	docFieldMerge []bool   // field id -> a later field of its name merges
	docFieldTerms []bool   // field id -> the document has terms in it

	tmp0 []byte

	fieldAddrs map[int]int

	fieldsSame bool
	numDocs    uint64
}

func (io *invertedIndexOpaque) Reset() (err error) {
	// cleanup stuff over here
	io.results = nil
	io.init = false
	io.chunkMode = 0
	io.FieldsMap = nil
	io.FieldsOptions = nil
	io.FieldsInv = nil
	// rapports fork: the dictionaries' maps are kept for the next
	// segment (initDictsAndKeysFromFields clears them): they grow to
	// tens of thousands of terms for each batch otherwise.
	io.Dicts = io.Dicts[:0]
	for i := range io.DictKeys {
		io.DictKeys[i] = io.DictKeys[i][:0]
	}
	io.DictKeys = io.DictKeys[:0]
	for i := range io.IncludeDocValues {
		io.IncludeDocValues[i] = false
	}
	io.IncludeDocValues = io.IncludeDocValues[:0]
	io.FreqNorms = io.FreqNorms[:0]
	io.freqNormsBacking = io.freqNormsBacking[:0]
	io.norms = nil
	io.Locs = io.Locs[:0]
	io.locsBacking = io.locsBacking[:0]
	io.postingsCounts = io.postingsCounts[:0]
	io.builderBuf.Reset()
	if io.builder != nil {
		err = io.builder.Reset(&io.builderBuf)
	}

	clear(io.locExts) // array positions of the analysis results
	io.locExts = io.locExts[:0]

	io.tmp0 = io.tmp0[:0]
	io.extraDocValues = nil
	atomic.StoreUint64(&io.bytesWritten, 0)
	io.fieldsSame = false
	io.numDocs = 0

	clear(io.fieldAddrs)

	return err
}
func (i *invertedIndexOpaque) Set(key string, val interface{}) {
	switch key {
	case "results":
		i.results = val.([]index.Document)
	case "chunkMode":
		i.chunkMode = val.(uint32)
	case "fieldsSame":
		i.fieldsSame = val.(bool)
	case "fieldsMap":
		i.FieldsMap = val.(map[string]uint16)
	case "fieldsOptions":
		i.FieldsOptions = val.(map[string]index.FieldIndexingOptions)
	case "fieldsInv":
		i.FieldsInv = val.([]string)
	case "numDocs":
		i.numDocs = val.(uint64)
	}
}
