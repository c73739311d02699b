package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/rapports/rapports/index"
)

// MaxAnswerBytes is the most a Client reads of one answer.
const MaxAnswerBytes = 32 << 20

// Client is a Searcher that asks a rapports server over HTTP: its answers
// are those of the server's index, and the server's error answers come back
// as *Error values with their status, code and message, wrapping the index
// error of their code (index.ErrNotFound for "not_found", ...) so that
// errors.Is works as on an index.
type Client struct {
	base *url.URL
	hc   *http.Client
}

var _ Searcher = (*Client)(nil)

// NewClient returns a client of the server at base (an http or https URL,
// "http://127.0.0.1:8080/"), sending its requests with hc
// (http.DefaultClient when nil).
func NewClient(base string, hc *http.Client) (*Client, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("server: client of %q: %w", base, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("server: client of %q: want an http:// or https:// URL", base)
	}
	if !strings.HasSuffix(u.Path, "/") {
		u.Path += "/"
	}
	if hc == nil {
		hc = http.DefaultClient
	}
	return &Client{base: u, hc: hc}, nil
}

// String returns the server's base URL.
func (c *Client) String() string { return c.base.String() }

// Search runs req on the server (GET /api/search with the parameters of
// SearchValues).
func (c *Client) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	var res index.Result
	if err := c.get(ctx, "api/search", SearchValues(req), &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Document returns the report id (GET /api/documents/{id}, with the
// parameters of DocumentValues).
func (c *Client) Document(ctx context.Context, id string, opts index.DocumentOptions) (*index.Document, error) {
	var doc index.Document
	if err := c.get(ctx, "api/documents/"+id, DocumentValues(opts), &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// Stats returns the Info of the server's index (GET /api/stats).
func (c *Client) Stats(ctx context.Context) (index.Info, error) {
	var st index.Info
	err := c.get(ctx, "api/stats", nil, &st)
	return st, err
}

// Health checks that the server answers GET /healthz with status "ok".
func (c *Client) Health(ctx context.Context) error {
	var health struct {
		Status string `json:"status"`
	}
	if err := c.get(ctx, "healthz", nil, &health); err != nil {
		return err
	}
	if health.Status != "ok" {
		return fmt.Errorf("%shealthz answers status %q", c.base, health.Status)
	}
	return nil
}

// SearchValues returns the parameters of /api/search that ParseSearch
// reads back as req: q, country and organization (one per code), from, to, sort, size, page,
// highlight (false only when req.Highlight is false) and interval.
// Request fields that the API does not take (Facets.Countries) are left
// out.
func SearchValues(req index.Request) url.Values {
	v := url.Values{"q": {req.Query}}
	set := func(name, s string) {
		if s != "" {
			v.Set(name, s)
		}
	}
	for _, c := range req.Countries {
		v.Add("country", c)
	}
	for _, o := range req.Organizations {
		v.Add("organization", o)
	}
	if len(req.Organizations) > 0 {
		v["organization"] = append([]string(nil), req.Organizations...)
	}
	set("from", req.From)
	set("to", req.To)
	set("sort", req.Sort)
	if req.Size != 0 {
		set("size", strconv.Itoa(req.Size))
	}
	if req.Page != 0 {
		set("page", strconv.Itoa(req.Page))
	}
	set("highlight", strconv.FormatBool(req.Highlight))
	set("interval", req.Facets.DateInterval)
	set("cursor", req.Cursor)
	return v
}

// codeErrors are the index errors that error codes stand for.
var codeErrors = map[string]error{
	"bad_request":   index.ErrBadRequest,
	"too_expensive": index.ErrTooExpensive,
	"too_large":     index.ErrTooLong,
	"not_found":     index.ErrNotFound,
	"unavailable":   index.ErrClosed,
	"timeout":       context.DeadlineExceeded,
	"canceled":      context.Canceled,
	"busy":          index.ErrBusy,
}

// get sends GET path?query to the server and decodes its JSON answer into
// v. An error answer of the API comes back as an *Error.
func (c *Client) get(ctx context.Context, path string, query url.Values, v any) error {
	u := c.base.JoinPath(path)
	u.RawQuery = query.Encode()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("GET %s: %w", u.Redacted(), err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", u.Redacted(), err)
	}
	defer resp.Body.Close()
	body := io.LimitReader(resp.Body, MaxAnswerBytes)
	if resp.StatusCode != http.StatusOK {
		var e errorBody
		if err := json.NewDecoder(body).Decode(&e); err != nil || e.Error == nil || e.Error.Message == "" {
			return fmt.Errorf("GET %s: %s", u.Redacted(), resp.Status)
		}
		e.Error.Status, e.Error.Err = resp.StatusCode, codeErrors[e.Error.Code]
		return e.Error
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		return fmt.Errorf("GET %s: answer of type %q, not JSON", u.Redacted(), ct)
	}
	if err := json.NewDecoder(body).Decode(v); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return fmt.Errorf("GET %s: answer cut short (at most %d bytes are read): %w", u.Redacted(), MaxAnswerBytes, err)
		}
		return fmt.Errorf("GET %s: %w", u.Redacted(), err)
	}
	return nil
}
