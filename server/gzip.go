package server

import (
	"compress/gzip"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// gzipMinSize is the smallest answer worth compressing: below it the gzip
// header and trailer (18 bytes) and the time cost more than they save. An
// answer whose length is not known in advance (streamed) is compressed.
const gzipMinSize = 512

// gzipWriters keeps gzip writers for reuse (each holds about 256 kB).
var gzipWriters = sync.Pool{New: func() any {
	w, _ := gzip.NewWriterLevel(nil, gzip.DefaultCompression) // the level is valid
	return w
}}

// compress gzips the answers of requests whose Accept-Encoding accepts
// gzip, when the answer is text (JSON, JSON Lines, CSV, HTML, CSS,
// JavaScript, SVG) and not tiny, not a range nor a 204 or 304. It sets
// Vary: Accept-Encoding on every answer it could have compressed.
func compress(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if !acceptsGzip(r.Header.Get("Accept-Encoding")) || r.Header.Get("Range") != "" {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipResponse{ResponseWriter: w, head: r.Method == http.MethodHead}
		defer func() {
			if v := recover(); v != nil {
				// An aborted answer (http.ErrAbortHandler) must not end
				// as a well-formed gzip stream.
				gw.gz = nil
				panic(v)
			}
			gw.close()
		}()
		next.ServeHTTP(gw, r)
	})
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip
// (or *) with a quality above 0.
func acceptsGzip(header string) bool {
	for part := range strings.SplitSeq(header, ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" && name != "x-gzip" {
			continue
		}
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			if v, ok := strings.CutPrefix(strings.TrimSpace(p), "q="); ok {
				if f, err := strconv.ParseFloat(v, 64); err == nil {
					q = f
				}
			}
		}
		if q > 0 {
			return true
		}
	}
	return false
}

// compressible reports whether an answer of this Content-Type is text.
func compressible(contentType string) bool {
	ct, _, _ := strings.Cut(contentType, ";")
	ct = strings.TrimSpace(strings.ToLower(ct))
	switch {
	case strings.HasPrefix(ct, "text/"):
		return true
	case ct == "application/json", ct == "application/jsonl", ct == "application/x-ndjson",
		ct == "application/javascript", ct == "image/svg+xml", ct == "application/problem+json":
		return true
	}
	return false
}

// gzipResponse compresses what a handler writes, once its header says the
// answer is worth it. When the length is not known, it holds the first
// gzipMinSize bytes (and the status) back to decide: a short answer goes
// out as is.
type gzipResponse struct {
	http.ResponseWriter
	head    bool // a HEAD request: headers only
	status  int  // 0 until the handler sets it
	mode    int  // undecided, plain, zipped
	pending []byte
	gz      *gzip.Writer
}

// Modes of a gzipResponse.
const (
	undecided = iota
	plain
	zipped
)

func (g *gzipResponse) WriteHeader(status int) {
	if g.status != 0 {
		return
	}
	g.status = status
	h := g.Header()
	if status < 200 || status == http.StatusNoContent || status == http.StatusNotModified ||
		status == http.StatusPartialContent || h.Get("Content-Encoding") != "" || !compressible(h.Get("Content-Type")) || g.head {
		g.commit(plain)
		return
	}
	if n, err := strconv.Atoi(h.Get("Content-Length")); err == nil {
		if n < gzipMinSize {
			g.commit(plain)
		} else {
			g.commit(zipped)
		}
	}
	// Length unknown: decide on the first gzipMinSize bytes.
}

// commit sends the header, compressed or not, and what was held back.
func (g *gzipResponse) commit(mode int) {
	g.mode = mode
	if mode == zipped {
		h := g.Header()
		h.Del("Content-Length")
		h.Set("Content-Encoding", "gzip")
		if etag := h.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
			// The compressed bytes differ from the ones the strong ETag names.
			h.Set("ETag", "W/"+etag)
		}
		gz := gzipWriters.Get().(*gzip.Writer)
		gz.Reset(g.ResponseWriter)
		g.gz = gz
	}
	g.ResponseWriter.WriteHeader(g.status)
	if len(g.pending) > 0 {
		held := g.pending
		g.pending = nil
		_, _ = g.write(held) // an error shows on the handler's next Write
	}
}

func (g *gzipResponse) write(b []byte) (int, error) {
	if g.gz != nil {
		return g.gz.Write(b)
	}
	return g.ResponseWriter.Write(b)
}

func (g *gzipResponse) Write(b []byte) (int, error) {
	if g.status == 0 {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(b))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.mode != undecided {
		return g.write(b)
	}
	g.pending = append(g.pending, b...)
	if len(g.pending) >= gzipMinSize {
		g.commit(zipped)
	}
	return len(b), nil
}

// Flush sends what is written so far, for streamed answers.
func (g *gzipResponse) Flush() {
	if g.status != 0 && g.mode == undecided {
		g.commit(plain)
	}
	if g.gz != nil {
		_ = g.gz.Flush() // a write error shows on the next Write
	}
	if f, ok := g.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (g *gzipResponse) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// close sends what is held back, ends the gzip stream and returns its
// writer to the pool.
func (g *gzipResponse) close() {
	if g.status != 0 && g.mode == undecided {
		g.commit(plain)
	}
	if g.gz == nil {
		return
	}
	_ = g.gz.Close() // the client went away if this fails; nothing to tell it
	gzipWriters.Put(g.gz)
	g.gz = nil
}
