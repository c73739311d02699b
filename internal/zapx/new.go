//  Copyright (c) 2018 Couchbase, Inc.
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
	"maps"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

var NewSegmentBufferNumResultsBump int = 100
var NewSegmentBufferNumResultsFactor float64 = 1.0
var NewSegmentBufferAvgBytesPerDocFactor float64 = 1.0

// ValidateDocFields can be set by applications to perform additional checks
// on fields in a document being added to a new segment, by default it does
// nothing.
// This API is experimental and may be removed at any time.
var ValidateDocFields = func(field index.Field) error {
	return nil
}

// New creates an in-memory zap-encoded SegmentBase from a set of Documents
func (z *ZapPlugin) New(results []index.Document) (
	segment.Segment, uint64, error) {
	return z.newWithChunkMode(results, DefaultChunkMode, nil)
}

func (z *ZapPlugin) NewUsing(results []index.Document, config map[string]interface{}) (
	segment.Segment, uint64, error) {
	return z.newWithChunkMode(results, DefaultChunkMode, config)
}

func (z *ZapPlugin) newWithChunkMode(results []index.Document,
	chunkMode uint32, config map[string]interface{}) (segment.Segment, uint64, error) {
	s := getInterim()

	zapStats, ok := config[segment.StatsKey].(*segment.Stats)
	if !ok || zapStats == nil {
		zapStats = new(segment.Stats)
	}

	s.stats = zapStats
	var br bytes.Buffer
	if s.lastNumDocs > 0 {
		// use previous results to initialize the buf with an estimate
		// size, but note that the interim instance comes from a
		// global list (idleInterims), so multiple scorch instances indexing
		// different docs can lead to low quality estimates
		estimateAvgBytesPerDoc := int(float64(s.lastOutSize/s.lastNumDocs) *
			NewSegmentBufferNumResultsFactor)
		estimateNumResults := int(float64(len(results)+NewSegmentBufferNumResultsBump) *
			NewSegmentBufferAvgBytesPerDocFactor)
		br.Grow(estimateAvgBytesPerDoc * estimateNumResults)
	}

	atomic.AddUint64(&s.stats.TotNewRootDocsProcessed, uint64(len(results)))
	var err error
	s.results, s.edgeList = flattenNestedDocuments(results, s.edgeList)
	s.config = config
	s.chunkMode = chunkMode

	s.w = NewFileWriterEmpty(newBufferHashWriter(&br))

	storedIndexOffset, sectionsIndexOffset, err := s.convert()
	if err != nil {
		return nil, uint64(0), err
	}

	sb, err := InitSegmentBase(br.Bytes(), s.w.Sum32(), chunkMode,
		uint64(len(s.results)), storedIndexOffset, sectionsIndexOffset, config, s.stats)

	// get the bytes written before the interim's reset() call
	// write it to the newly formed segment base.
	totalBytesWritten := s.getBytesWritten()
	if err == nil && s.reset() == nil {
		s.lastNumDocs = len(results)
		s.lastOutSize = len(br.Bytes())
		sb.setBytesWritten(totalBytesWritten)
		putInterim(s)
	}

	return sb, uint64(len(br.Bytes())), err
}

// idleInterims keeps the interims of the last segments built, with their
// buffers, for the next ones (rapports fork: instead of a sync.Pool). A
// sync.Pool put an interim in the private slot of the P of the goroutine
// that built the segment, which the goroutine of another P cannot take:
// indexing the 233,987 reports of tvnews-fr (2 writers, 468 segments)
// made 24 interims, each growing its buffers of about 10 MB again. The
// list holds at most maxIdleInterims, all dropped after idleInterimsFor
// without a new segment.
var idleInterims struct {
	mu    sync.Mutex
	list  []*interim
	timer *time.Timer
}

const (
	maxIdleInterims = 4
	idleInterimsFor = time.Minute
)

// getInterim returns the interim put last, or a new one.
func getInterim() *interim {
	idleInterims.mu.Lock()
	defer idleInterims.mu.Unlock()
	if n := len(idleInterims.list); n > 0 {
		s := idleInterims.list[n-1]
		idleInterims.list[n-1] = nil
		idleInterims.list = idleInterims.list[:n-1]
		return s
	}
	return &interim{}
}

// putInterim keeps s, reset, for a next segment.
func putInterim(s *interim) {
	idleInterims.mu.Lock()
	defer idleInterims.mu.Unlock()
	if len(idleInterims.list) < maxIdleInterims {
		idleInterims.list = append(idleInterims.list, s)
	}
	if idleInterims.timer == nil {
		idleInterims.timer = time.AfterFunc(idleInterimsFor, dropIdleInterims)
	} else {
		idleInterims.timer.Reset(idleInterimsFor)
	}
}

// dropIdleInterims lets the garbage collector take the idle interims.
func dropIdleInterims() {
	idleInterims.mu.Lock()
	defer idleInterims.mu.Unlock()
	clear(idleInterims.list)
	idleInterims.list = idleInterims.list[:0]
}

// interim holds temporary working data used while converting from
// analysis results to a zap-encoded segment
type interim struct {
	// atomic access to this variable, moved to top to correct alignment issues on ARM, 386 and 32-bit MIPS.
	bytesWritten uint64

	results []index.Document

	// edge list for nested documents: child -> parent
	edgeList map[uint64]uint64

	chunkMode uint32

	w *FileWriter

	config map[string]interface{}

	// FieldsMap adds 1 to field id to avoid zero value issues
	//  name -> field id + 1
	FieldsMap map[string]uint16

	// FieldsOptions holds the indexing options for each field
	FieldsOptions map[string]index.FieldIndexingOptions

	// FieldsInv is the inverse of FieldsMap
	//  field id -> name
	FieldsInv []string

	metaBuf bytes.Buffer

	tmp0 []byte
	tmp1 []byte
	tmp2 []byte
	tmp3 []byte

	sections []section // processDocuments' (rapports fork)

	// field id -> the stored values of a document (rapports fork:
	// writeStoredFields's, kept for the next segment)
	storedFields []interimStoredField

	lastNumDocs int
	lastOutSize int

	opaque map[int]resetable

	stats *segment.Stats
}

func (s *interim) reset() (err error) {
	s.results = nil
	s.chunkMode = 0
	s.w = nil
	clear(s.edgeList)
	clear(s.FieldsMap)
	clear(s.FieldsOptions)
	s.FieldsInv = s.FieldsInv[:0]
	s.metaBuf.Reset()
	s.tmp0 = s.tmp0[:0]
	s.tmp1 = s.tmp1[:0]
	s.tmp2 = s.tmp2[:0]
	s.tmp3 = s.tmp3[:0]
	s.lastNumDocs = 0
	s.lastOutSize = 0

	// reset the bytes written stat count
	// to avoid leaking of bytesWritten across reuse cycles.
	s.setBytesWritten(0)

	if s.opaque != nil {
		for _, v := range s.opaque {
			err = v.Reset()
		}
	} else {
		s.opaque = map[int]resetable{}
	}

	return err
}

type interimStoredField struct {
	vals      [][]byte
	typs      []byte
	arrayposs [][]uint64 // array positions
}

// interimFreqNorm is one document of a postings list being built.
// rapports fork: no norm (the norms go to a column, norms.go), no
// pointers (the GC does not scan the backing array), 12 bytes instead of
// 32.
type interimFreqNorm struct {
	freq    uint32
	docNum  uint32 // rapports fork: instead of a roaring bitmap per postings list
	numLocs uint32
}

// interimLoc is one location of a postings list being built. rapports
// fork: 12 bytes without pointers instead of 56 with a slice, and no
// offsets, which the fork does not write (locs.go); a location with array
// positions, or a position of 2^32 or more, is kept in full in
// interimLocExt (ext is its index + 1).
type interimLoc struct {
	pos     uint32
	ext     uint32
	fieldID uint16
}

// interimLocExt is a location that interimLoc does not hold.
type interimLocExt struct {
	pos       uint64
	arrayposs []uint64
}

func (s *interim) convert() (uint64, uint64, error) {
	if s.FieldsMap == nil {
		s.FieldsMap = map[string]uint16{}
	}
	if s.FieldsOptions == nil {
		s.FieldsOptions = map[string]index.FieldIndexingOptions{}
	}

	s.getOrDefineField("_id") // _id field is fieldID 0
	// special case _id field options: the _id is the canonical document identifier and
	// must always be both indexed and stored so that it can be used for lookups/queries
	// and retrieved back from the stored fields, regardless of user-specified field options.
	s.FieldsOptions["_id"] = index.IndexField | index.StoreField

	// rapports fork: one pair of visitors for the batch, not two new
	// closures per document
	var fName string
	defineComposite := func(field index.CompositeField) {
		fName = field.Name()
		s.getOrDefineField(fName)
		s.FieldsOptions[fName] |= field.Options()
	}
	definePlain := func(field index.Field) {
		fName = field.Name()
		s.getOrDefineField(fName)
		s.FieldsOptions[fName] |= field.Options()
	}
	for _, result := range s.results {
		result.VisitComposite(defineComposite)
		result.VisitFields(definePlain)
	}

	sort.Strings(s.FieldsInv[1:]) // keep _id as first field

	for fieldID, fieldName := range s.FieldsInv {
		s.FieldsMap[fieldName] = uint16(fieldID + 1)
	}

	args := map[string]interface{}{
		"results":       s.results,
		"chunkMode":     s.chunkMode,
		"fieldsMap":     s.FieldsMap,
		"fieldsInv":     s.FieldsInv,
		"fieldsOptions": s.FieldsOptions,
		"stats":         s.stats,
	}
	if s.config != nil {
		args["config"] = s.config
	}
	if s.opaque == nil {
		s.opaque = map[int]resetable{}
		for i, x := range segmentSections {
			s.opaque[int(i)] = x.InitOpaque(args)
		}
	} else {
		for k, v := range args {
			for _, op := range s.opaque {
				op.Set(k, v)
			}
		}
	}

	s.processDocuments()

	storedIndexOffset, err := s.writeStoredFields()
	if err != nil {
		return 0, 0, err
	}

	// we can persist the various sections at this point.
	// the rule of thumb here is that each section must persist field wise.
	for _, typ := range slices.Sorted(maps.Keys(segmentSections)) { // rapports fork: in order
		err = segmentSections[typ].Persist(s.opaque, s.w)
		if err != nil {
			return 0, 0, err
		}
	}

	// after persisting the sections to the writer, account corresponding
	for _, opaque := range s.opaque {
		opaqueIO, ok := opaque.(segment.DiskStatsReporter)
		if ok {
			s.incrementBytesWritten(opaqueIO.BytesWritten())
		}
	}

	// we can persist a new fields section here
	// this new fields section will point to the various indexes available
	sectionsIndexOffset, err := persistFieldsSection(s.FieldsInv, s.FieldsOptions, s.w, s.opaque)
	if err != nil {
		return 0, 0, err
	}

	return storedIndexOffset, sectionsIndexOffset, nil
}

func (s *interim) getOrDefineField(fieldName string) int {
	fieldIDPlus1, exists := s.FieldsMap[fieldName]
	if !exists {
		fieldIDPlus1 = uint16(len(s.FieldsInv) + 1)
		s.FieldsMap[fieldName] = fieldIDPlus1
		s.FieldsInv = append(s.FieldsInv, fieldName)
	}

	return int(fieldIDPlus1 - 1)
}

// processDocuments hands each field of each document to each section
// (rapports fork: the sections in a slice, in the order of their types,
// instead of a range over their map for each field, and one pair of
// visitors for the batch instead of new closures per document).
func (s *interim) processDocuments() {
	s.sections = s.sections[:0]
	for _, typ := range slices.Sorted(maps.Keys(segmentSections)) {
		s.sections = append(s.sections, segmentSections[typ])
	}
	sections := s.sections

	// this callback is essentially going to be invoked on each field,
	// as part of which preprocessing, cumulation etc. of the doc's data
	// will take place.
	var docNum uint32
	var fieldCount int
	visitField := func(field index.Field) {
		fieldCount++
		fieldID := uint16(s.getOrDefineField(field.Name()))

		// section specific processing of the field
		for _, section := range sections {
			section.Process(s.opaque, docNum, field, fieldID)
		}
	}
	visitComposite := func(field index.CompositeField) { visitField(field) }

	for k, result := range s.results {
		docNum, fieldCount = uint32(k), 0

		// walk each composite field
		result.VisitComposite(visitComposite)

		// walk each field
		result.VisitFields(visitField)

		// given that as part of visiting each field, there may some kind of totalling
		// or accumulation that can be updated, it becomes necessary to commit or
		// put that totalling/accumulation into effect. However, for certain section
		// types this particular step need not be valid, in which case it would be a
		// no-op in the implmentation of the section's process API.
		for _, section := range sections {
			section.Process(s.opaque, docNum, nil, math.MaxUint16)
		}

		if fieldCount > 0 {
			atomic.AddUint64(&s.stats.TotNewDocsIndexed, 1)
		} else {
			atomic.AddUint64(&s.stats.TotNewDocsDropped, 1)
		}
	}
	atomic.AddUint64(&s.stats.TotNewDocsProcessed, uint64(len(s.results)))
}

func (s *interim) getBytesWritten() uint64 {
	return atomic.LoadUint64(&s.bytesWritten)
}

func (s *interim) incrementBytesWritten(val uint64) {
	atomic.AddUint64(&s.bytesWritten, val)
}

func (s *interim) writeStoredFields() (
	storedIndexOffset uint64, err error) {
	varBuf := make([]byte, binary.MaxVarintLen64)
	metaEncode := func(val uint64) (int, error) {
		wb := binary.PutUvarint(varBuf, val)
		return s.metaBuf.Write(varBuf[:wb])
	}

	data, compressed, combined, record := s.tmp0[:0], s.tmp1[:0], s.tmp2[:0], s.tmp3[:0]
	defer func() { s.tmp0, s.tmp1, s.tmp2, s.tmp3 = data, compressed, combined, record }()

	// keyed by docNum
	docStoredOffsets := make([]uint64, len(s.results))

	// keyed by fieldID, for the current doc in the loop (rapports fork:
	// a slice kept with the interim, not a map of new slices per doc)
	for len(s.storedFields) < len(s.FieldsInv) {
		s.storedFields = append(s.storedFields, interimStoredField{})
	}
	docStoredFields := s.storedFields
	defer func() {
		for k := range docStoredFields { // drop the documents' values
			clear(docStoredFields[k].vals)
			clear(docStoredFields[k].arrayposs)
		}
	}()

	var validationErr error
	visitField := func(field index.Field) { // one for the batch (rapports fork)
		fieldID := uint16(s.getOrDefineField(field.Name()))

		if field.Options().IsStored() {
			for int(fieldID) >= len(docStoredFields) {
				docStoredFields = append(docStoredFields, interimStoredField{})
				s.storedFields = docStoredFields
			}
			isf := &docStoredFields[fieldID]
			isf.vals = append(isf.vals, field.Value())
			isf.typs = append(isf.typs, field.EncodedFieldType())
			isf.arrayposs = append(isf.arrayposs, field.ArrayPositions())
		}

		err := ValidateDocFields(field)
		if err != nil && validationErr == nil {
			validationErr = err
		}
	}

	for docNum, result := range s.results {
		for k := range docStoredFields { // reset for next doc
			isf := &docStoredFields[k]
			isf.vals, isf.typs, isf.arrayposs = isf.vals[:0], isf.typs[:0], isf.arrayposs[:0]
		}

		validationErr = nil
		result.VisitFields(visitField)
		if validationErr != nil {
			return 0, validationErr
		}

		var curr int

		s.metaBuf.Reset()
		data = data[:0]

		// _id field special case optimizes ExternalID() lookups
		idFieldVal := docStoredFields[0].vals[0]
		_, err = metaEncode(uint64(len(idFieldVal)))
		if err != nil {
			return 0, err
		}

		// handle non-"_id" fields
		for fieldID := 1; fieldID < len(s.FieldsInv); fieldID++ {
			isf := &docStoredFields[fieldID]
			if len(isf.vals) > 0 {
				curr, data, err = persistStoredFieldValues(
					fieldID, isf.vals, isf.typs, isf.arrayposs,
					curr, metaEncode, data)
				if err != nil {
					return 0, err
				}
			}
		}

		metaBytes := s.metaBuf.Bytes()

		compressed = compressStored(compressed, data) // rapports fork: DEFLATE (stored.go)
		s.incrementBytesWritten(uint64(len(compressed)))
		docStoredOffsets[docNum] = uint64(s.w.Count())

		combined = append(append(combined[:0], idFieldVal...), compressed...)
		bufMeta := s.w.process(metaBytes)
		bufCompressed := s.w.process(combined)

		// rapports fork: the two lengths, the metadata and the values in
		// one Write
		record = binary.AppendUvarint(record[:0], uint64(len(bufMeta)))
		record = binary.AppendUvarint(record, uint64(len(bufCompressed)))
		record = append(append(record, bufMeta...), bufCompressed...)
		_, err = s.w.Write(record)
		if err != nil {
			return 0, err
		}
	}

	storedIndexOffset = uint64(s.w.Count())

	data = data[:0]
	for _, docStoredOffset := range docStoredOffsets {
		data = binary.BigEndian.AppendUint64(data, docStoredOffset)
	}
	_, err = s.w.Write(data)
	if err != nil {
		return 0, err
	}

	// write the number of edges in the child -> parent edge list
	// this will be zero if there are no nested documents
	// and this number also reflects the number of nested documents
	// in the segment
	buf := make([]byte, binary.MaxVarintLen64)
	n := binary.PutUvarint(buf, uint64(len(s.edgeList)))
	_, err = s.w.Write(buf[:n])
	if err != nil {
		return 0, err
	}
	// write the child -> parent edge list
	// child and parent are both flattened doc ids
	for child, parent := range s.edgeList {
		n = binary.PutUvarint(buf, child)
		_, err = s.w.Write(buf[:n])
		if err != nil {
			return 0, err
		}
		n = binary.PutUvarint(buf, parent)
		_, err = s.w.Write(buf[:n])
		if err != nil {
			return 0, err
		}
	}

	return storedIndexOffset, nil
}

func (s *interim) setBytesWritten(val uint64) {
	atomic.StoreUint64(&s.bytesWritten, val)
}

// returns the total # of bytes needed to encode the given uint64's
// into binary.PutUVarint() encoding
func totalUvarintBytes(a, b, c, d, e uint64, more []uint64) (n int) {
	n = numUvarintBytes(a)
	n += numUvarintBytes(b)
	n += numUvarintBytes(c)
	n += numUvarintBytes(d)
	n += numUvarintBytes(e)
	for _, v := range more {
		n += numUvarintBytes(v)
	}
	return n
}

// returns # of bytes needed to encode x in binary.PutUvarint() encoding
func numUvarintBytes(x uint64) (n int) {
	for x >= 0x80 {
		x >>= 7
		n++
	}
	return n + 1
}

// flattenNestedDocuments returns a preorder list of the given documents and
// all their nested documents, along with a map mapping each flattened index
// to its parent index (excluding root docs entirely).
// The edge list is represented as a map[child]parent, where both child and
// parent are flattened document indices.
// Root documents (those without a parent) are not included in the edge list,
// as they have no parent. The order of documents in the returned slice is
// such that parents always appear before their children. A reusable edgeList
// can be provided to avoid allocations across multiple calls.
func flattenNestedDocuments(docs []index.Document, edgeList map[uint64]uint64) (
	[]index.Document, map[uint64]uint64) {
	// the documents in preorder, with their nested ones (rapports fork:
	// one counting visitor for the batch, not a new closure per document)
	totalCount := 0
	var count func(doc index.Document)
	count = func(doc index.Document) {
		totalCount++
		if nd, ok := doc.(index.NestedDocument); ok {
			nd.VisitNestedDocuments(count)
		}
	}
	for _, doc := range docs {
		count(doc)
	}

	if totalCount == len(docs) {
		// no nested documents, return early
		return docs, nil
	}

	flattened := make([]index.Document, 0, totalCount)
	if edgeList == nil {
		edgeList = make(map[uint64]uint64, totalCount-len(docs))
	}

	var traverse func(doc index.Document, hasParent bool, parentIdx uint64)
	traverse = func(d index.Document, hasParent bool, parentIdx uint64) {
		curIdx := uint64(len(flattened))
		flattened = append(flattened, d)

		if hasParent {
			edgeList[curIdx] = parentIdx
		}

		if nestedDoc, ok := d.(index.NestedDocument); ok {
			nestedDoc.VisitNestedDocuments(func(child index.Document) {
				traverse(child, true, curIdx)
			})
		}
	}
	// Top-level docs have no parent
	for _, doc := range docs {
		traverse(doc, false, 0)
	}
	return flattened, edgeList
}
