package server

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/rapports/rapports/index"
)

var _ Scanner = (*Client)(nil)

// maxRecordBytes bounds one line of an export read by Client.Scan (a
// report's text included).
const maxRecordBytes = 64 << 20

// Scan calls fn with every hit of req that the server's /api/export
// streams (format=jsonl), in order, and returns how many it read. It reads
// the rows as they come, with no time limit but ctx's (the client's own
// Timeout does not apply); an answer cut short is an error.
func (c *Client) Scan(ctx context.Context, req index.Request, opts index.ScanOptions, fn func(index.Record) error) (int, error) {
	v := SearchValues(req)
	for _, name := range []string{"size", "page", "highlight", "interval", "cursor"} {
		v.Del(name)
	}
	v.Set("format", "jsonl")
	if opts.Text {
		v.Set("text", "true")
	}
	u := c.base.JoinPath("api/export")
	u.RawQuery = v.Encode()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", u.Redacted(), err)
	}
	hc := *c.hc
	hc.Timeout = 0 // an export may take minutes; ctx bounds it
	resp, err := hc.Do(hreq)
	if err != nil {
		return 0, fmt.Errorf("GET %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e errorBody
		if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || e.Error.Message == "" {
			return 0, fmt.Errorf("GET %s: %s", u.Redacted(), resp.Status)
		}
		return 0, &Error{Status: resp.StatusCode, Code: e.Error.Code, Message: e.Error.Message, Err: codeErrors[e.Error.Code]}
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/jsonl") {
		return 0, fmt.Errorf("GET %s: answer of type %q, not JSON Lines", u.Redacted(), ct)
	}
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 0, 64<<10), maxRecordBytes)
	n := 0
	for sc.Scan() {
		var rec index.Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return n, fmt.Errorf("GET %s: row %d: %w", u.Redacted(), n+1, err)
		}
		if err := fn(rec); err != nil {
			if errors.Is(err, index.ErrStopScan) {
				return n, nil
			}
			return n, fmt.Errorf("server: scan: %w", err)
		}
		n++
	}
	if err := sc.Err(); err != nil {
		return n, fmt.Errorf("GET %s: after %s rows: %w", u.Redacted(), strconv.Itoa(n), err)
	}
	return n, nil
}
