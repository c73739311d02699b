package server

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/rapports/rapports/index"
)

// Scanner is what /api/export needs of an index beyond Searcher;
// *index.Index has it. Scan calls fn with every hit of req, in order.
type Scanner interface {
	Scan(ctx context.Context, req index.Request, opts index.ScanOptions, fn func(index.Record) error) (int, error)
}

// exportFlushEvery is how many rows an export writes between flushes, so
// that a client sees rows as they come.
const exportFlushEvery = 500

// ExportColumns are the columns of a CSV export, in order; "text" comes
// last with text=true.
var ExportColumns = []string{"id", "date", "title", "countries", "organizations", "source", "path", "score"}

// RecordWriter writes export rows as JSON Lines or CSV: the format of
// /api/export, and of "rapports search --all --format jsonl|csv".
type RecordWriter struct {
	format string
	text   bool
	w      io.Writer
	csv    *csv.Writer
	enc    *json.Encoder
	n      int
}

// NewRecordWriter returns a writer of rows in format ("jsonl" or "csv")
// to w; with text, the rows carry the reports' text. A CSV starts with the
// line of column names.
func NewRecordWriter(w io.Writer, format string, text bool) (*RecordWriter, error) {
	rw := &RecordWriter{format: format, text: text, w: w}
	switch format {
	case "jsonl":
		rw.enc = json.NewEncoder(w)
		rw.enc.SetEscapeHTML(false)
	case "csv":
		rw.csv = csv.NewWriter(w)
		cols := ExportColumns
		if text {
			cols = append(cols[:len(cols):len(cols)], "text")
		}
		if err := rw.csv.Write(cols); err != nil {
			return nil, fmt.Errorf("server: export: %w", err)
		}
	default:
		return nil, fmt.Errorf("server: export format %q (want jsonl or csv)", format)
	}
	return rw, nil
}

// Write writes one row.
func (rw *RecordWriter) Write(rec index.Record) error {
	if !rw.text {
		rec.Text = ""
	}
	if rec.Countries == nil {
		rec.Countries = []string{}
	}
	if rec.Organizations == nil {
		rec.Organizations = []string{}
	}
	rw.n++
	if rw.enc != nil {
		if err := rw.enc.Encode(rec); err != nil {
			return fmt.Errorf("server: export: %w", err)
		}
		return nil
	}
	row := []string{rec.ID, rec.Date, rec.Title, strings.Join(rec.Countries, " "), strings.Join(rec.Organizations, " "), rec.Source, rec.Path,
		strconv.FormatFloat(rec.Score, 'g', -1, 64)}
	if rw.text {
		row = append(row, rec.Text)
	}
	if err := rw.csv.Write(row); err != nil {
		return fmt.Errorf("server: export: %w", err)
	}
	return nil
}

// Flush writes what is buffered (CSV) to the underlying writer.
func (rw *RecordWriter) Flush() error {
	if rw.csv != nil {
		rw.csv.Flush()
		if err := rw.csv.Error(); err != nil {
			return fmt.Errorf("server: export: %w", err)
		}
	}
	return nil
}

// ContentType returns the media type of the format.
func (rw *RecordWriter) ContentType() string {
	if rw.csv != nil {
		return "text/csv; charset=utf-8"
	}
	return "application/jsonl; charset=utf-8"
}

func (srv *server) export(w http.ResponseWriter, r *http.Request) {
	v, err := queryValues(r)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	req, opts, err := ParseExport(v)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	sc, ok := srv.s.(Scanner)
	if !ok {
		srv.writeError(w, r, &Error{Status: http.StatusNotImplemented, Code: "not_implemented",
			Message: "export: this server's index cannot list every hit"})
		return
	}
	// The export has no time limit of its own (it may be long); it stops
	// when the client goes away or the server shuts down.
	ctx := r.Context()
	rw, err := NewRecordWriter(w, opts.Format, opts.Text)
	if err != nil {
		srv.writeError(w, r, err)
		return
	}
	started := false
	rc := http.NewResponseController(w)
	// Nor does the server's write timeout apply: a big export with the
	// texts takes minutes.
	_ = rc.SetWriteDeadline(time.Time{}) // not every writer has one (tests)
	n, err := sc.Scan(ctx, req, index.ScanOptions{Text: opts.Text}, func(rec index.Record) error {
		if !started {
			started = true
			h := w.Header()
			h.Set("Content-Type", rw.ContentType())
			if opts.Format == "csv" {
				h.Set("Content-Disposition", `attachment; filename="rapports.csv"`)
			}
			w.WriteHeader(http.StatusOK)
			if r.Method == http.MethodHead {
				return index.ErrStopScan
			}
		}
		if err := rw.Write(rec); err != nil {
			return err
		}
		if rw.n%exportFlushEvery == 0 {
			if err := rw.Flush(); err != nil {
				return err
			}
			_ = rc.Flush() // a writer that cannot flush sends at the end
		}
		return nil
	})
	if err != nil && !started {
		srv.writeError(w, r, err)
		return
	}
	if err != nil {
		// The status is sent: cut the stream, so the client sees an
		// incomplete answer rather than a short one.
		if !errors.Is(err, context.Canceled) {
			srv.log.ErrorContext(ctx, "export failed", "path", r.URL.Path, "rows", n, "err", err)
		}
		panic(http.ErrAbortHandler)
	}
	if !started {
		// No hit: the header (CSV) or nothing (JSON Lines).
		w.Header().Set("Content-Type", rw.ContentType())
		w.WriteHeader(http.StatusOK)
	}
	if r.Method != http.MethodHead {
		if err := rw.Flush(); err != nil {
			srv.log.DebugContext(ctx, "write export", "err", err)
		}
	}
}

// isLocal reports whether r comes from this machine: a loopback address,
// and no proxy header saying that it comes from further away.
func isLocal(r *http.Request) bool {
	if r.Header.Get("Forwarded") != "" || r.Header.Get("X-Forwarded-For") != "" || r.Header.Get("X-Real-Ip") != "" {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
