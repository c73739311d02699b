package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/rapports/rapports/corpus/sample"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// The OpenAPI document's tests fail loudly when the API and its description
// differ. When you add or change an endpoint, a parameter or a field of an
// answer, change server/openapi.json with it, and add the request to
// liveCases below.

// openAPIDoc is the part of an OpenAPI document the tests read.
type openAPIDoc struct {
	OpenAPI    string                                 `json:"openapi"`
	Paths      map[string]map[string]openAPIOperation `json:"paths"`
	Components struct {
		Schemas map[string]json.RawMessage `json:"schemas"`
	} `json:"components"`
}

type openAPIOperation struct {
	OperationID string `json:"operationId"`
	Parameters  []struct {
		Name     string `json:"name"`
		In       string `json:"in"`
		Required bool   `json:"required"`
	} `json:"parameters"`
	Responses map[string]struct {
		Description string `json:"description"`
		Content     map[string]struct {
			Schema  json.RawMessage `json:"schema"`
			Example json.RawMessage `json:"example"`
		} `json:"content"`
	} `json:"responses"`
}

func loadOpenAPI(t *testing.T) *openAPIDoc {
	t.Helper()
	var doc openAPIDoc
	if err := json.Unmarshal(server.OpenAPI, &doc); err != nil {
		t.Fatalf("server/openapi.json: %v", err)
	}
	if doc.OpenAPI != "3.1.0" {
		t.Fatalf("server/openapi.json: openapi %q, want 3.1.0", doc.OpenAPI)
	}
	return &doc
}

// routeRE matches the patterns of http.ServeMux routes ("GET /api/stats")
// in Go source.
var routeRE = regexp.MustCompile(`"((?:GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS) (/[^" ]*))"`)

// adminPathRE matches the path constant of an admin route that a handler
// matches by hand (POST only), as cmd/rapports's reindexPath.
var adminPathRE = regexp.MustCompile(`\b\w*[pP]ath\s*=\s*"(/api/admin/[^"]*)"`)

// sourceRoutes returns the routes registered in the non-test Go files of
// the folders, as "METHOD /path" with {name...} written {name}; the
// search page ("GET /") and the API's catch-all ("GET /api/") are left out.
func sourceRoutes(t *testing.T, dirs ...string) []string {
	t.Helper()
	var routes []string
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range routeRE.FindAllStringSubmatch(string(b), -1) {
				if m[2] == "/" || m[2] == "/api/" || !strings.HasPrefix(m[2], "/api/") && m[2] != "/healthz" {
					continue
				}
				routes = append(routes, strings.ReplaceAll(m[1], "...}", "}"))
			}
			for _, m := range adminPathRE.FindAllStringSubmatch(string(b), -1) {
				routes = append(routes, "POST "+m[1])
			}
		}
	}
	sort.Strings(routes)
	return slices.Compact(routes)
}

// TestOpenAPIRoutes checks that every route of the server is in the
// OpenAPI document and every operation of the document is a route.
func TestOpenAPIRoutes(t *testing.T) {
	doc := loadOpenAPI(t)
	var spec []string
	for path, ops := range doc.Paths {
		for method, op := range ops {
			spec = append(spec, strings.ToUpper(method)+" "+path)
			if op.OperationID == "" {
				t.Errorf("openapi.json: %s %s has no operationId", method, path)
			}
		}
	}
	sort.Strings(spec)
	code := sourceRoutes(t, ".", filepath.Join("..", "cmd", "rapports"))
	for _, r := range code {
		if !slices.Contains(spec, r) {
			t.Errorf("the route %q is not in server/openapi.json: describe it (parameters, answers, errors)", r)
		}
	}
	for _, r := range spec {
		if !slices.Contains(code, r) {
			t.Errorf("server/openapi.json describes %q, which no code registers", r)
		}
	}
	if len(code) < 5 {
		t.Errorf("found only the routes %q in the source: the pattern no longer matches how routes are registered", code)
	}
}

// liveCase is a request the tests send to a server over the sample corpus,
// whose answer must validate against the document's schema for its status.
type liveCase struct {
	method, target string
	status         int
}

// liveCases cover every operation of openapi.json but the admin one (a
// route of "rapports serve --watch --token", tested in cmd/rapports), with
// the answers and errors each names.
var liveCases = []liveCase{
	{"GET", "/api/search?q=" + urlq("défense aérienne") + "&country=IL&from=2022&to=2025&sort=relevance&size=3&highlight=true&interval=year", 200},
	{"GET", "/api/search?q=arm%C3%A9e&size=2&page=2&highlight=false", 200},
	{"GET", "/api/search?q=gaz&from=2024-13", 400},
	{"GET", "/api/search?q=" + strings.Repeat("a", 1001), 413},
	{"HEAD", "/api/search?q=gaz", 200},
	{"POST", "/api/search?q=gaz", 405},
	{"GET", "/api/documents/defense/reunion-etats-majors-manama-2024.txt", 200},
	{"GET", "/api/documents/inconnu.txt", 404},
	{"GET", "/api/documents/defense/reunion-etats-majors-manama-2024.txt?q=" + urlq(`"defense aerienne" OR manama`) + "&html=true", 200},
	{"GET", "/api/documents/defense/reunion-etats-majors-manama-2024.txt?q=" + urlq(`"défense`), 400},
	{"GET", "/api/documents/defense/reunion-etats-majors-manama-2024.txt?q=x&page=2", 400},
	{"GET", "/api/documents/defense/reunion-etats-majors-manama-2024.txt?q=" + strings.Repeat("a", 1001), 413},
	{"GET", "/api/stats", 200},
	{"GET", "/api/analyze?text=" + urlq("l’armée") + "&analyzer=rapports_fr", 200},
	{"GET", "/api/analyze", 400},
	{"GET", "/api/analyze?text=" + strings.Repeat("a", 10001), 413},
	{"GET", "/api/export?q=" + urlq("défense") + "&country=IL&from=2022&to=2025&sort=-date&text=true", 200},
	{"GET", "/api/export?q=arm%C3%A9e&format=csv", 200},
	{"GET", "/api/export?country=FR&format=jsonl", 200},
	{"GET", "/api/export?q=gaz&format=xlsx", 400},
	{"GET", "/api/export?q=gaz&size=10", 400},
	{"GET", "/api/search?q=gaz&limit=5&offset=10", 400},
	{"GET", "/api/search?country=FR&from=2023", 200},
	{"GET", "/api/version", 200},
	{"GET", "/api/openapi.json", 200},
	{"GET", "/healthz", 200},
}

func urlq(s string) string { return strings.ReplaceAll(urlQueryEscape(s), "+", "%20") }

// urlQueryEscape is url.QueryEscape (kept apart so liveCases read as URLs).
var urlQueryEscape = func(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// sampleServer returns the API over an index in memory of the sample corpus.
func sampleServer(t *testing.T) http.Handler {
	t.Helper()
	idx, err := index.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	if _, err := idx.AddFS(context.Background(), sample.Files(), "sample", index.AddOptions{}); err != nil {
		t.Fatal(err)
	}
	return server.New(idx, server.Options{}, nil)
}

// TestOpenAPIAnswers sends liveCases to a server over the sample corpus and
// validates each answer against the document's schema for its status.
func TestOpenAPIAnswers(t *testing.T) {
	doc := loadOpenAPI(t)
	v := &validator{schemas: doc.Components.Schemas}
	h := sampleServer(t)
	covered := map[string]bool{}
	for _, tc := range liveCases {
		t.Run(tc.method+" "+tc.target[:min(len(tc.target), 60)], func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(tc.method, tc.target, nil))
			if rec.Code != tc.status {
				t.Fatalf("%s %s: %d %s; want %d", tc.method, tc.target, rec.Code, rec.Body, tc.status)
			}
			path, op := matchOperation(doc, tc.target)
			if op == nil {
				t.Fatalf("%s: no path of openapi.json matches", tc.target)
			}
			method := strings.ToLower(tc.method)
			if method == "head" {
				method = "get"
			}
			o, ok := op[method]
			if !ok {
				if tc.status == 405 {
					return
				}
				t.Fatalf("openapi.json: %s has no %s", path, method)
			}
			covered[method+" "+path] = true
			resp, ok := o.Responses[fmt.Sprint(rec.Code)]
			if !ok {
				t.Fatalf("openapi.json: %s %s does not list the answer %d it gives (%s)", method, path, rec.Code, rec.Body)
			}
			if tc.method == "HEAD" {
				return
			}
			ct, _, _ := strings.Cut(rec.Header().Get("Content-Type"), ";")
			media, ok := resp.Content[ct]
			if !ok {
				t.Fatalf("openapi.json: %s %s %d has no content %q", method, path, rec.Code, ct)
			}
			switch ct {
			case "application/jsonl":
				lines := strings.Split(strings.TrimSuffix(rec.Body.String(), "\n"), "\n")
				for i, line := range lines {
					if err := v.validateJSON(media.Schema, []byte(line)); err != nil {
						t.Errorf("%s %s: line %d does not match openapi.json: %v\n%s", tc.method, tc.target, i+1, err, line)
					}
				}
				if len(lines) < 2 {
					t.Errorf("%s %s: %d lines; want several", tc.method, tc.target, len(lines))
				}
			case "text/csv":
				if head, _, _ := strings.Cut(rec.Body.String(), "\n"); head != strings.Join(server.ExportColumns, ",") {
					t.Errorf("%s %s: CSV header %q; want %q", tc.method, tc.target, head, server.ExportColumns)
				}
			default:
				if err := v.validateJSON(media.Schema, rec.Body.Bytes()); err != nil {
					t.Errorf("%s %s: the answer does not match openapi.json: %v\n%s", tc.method, tc.target, err, rec.Body)
				}
			}
		})
	}
	for path, ops := range doc.Paths {
		for method := range ops {
			if !covered[method+" "+path] && !strings.HasPrefix(path, "/api/admin/") {
				t.Errorf("no live case for %s %s: add a request to liveCases", method, path)
			}
		}
	}
}

// TestOpenAPIExamples validates every example of the document against its
// schema (JSON Lines examples as one line).
func TestOpenAPIExamples(t *testing.T) {
	doc := loadOpenAPI(t)
	v := &validator{schemas: doc.Components.Schemas}
	n := 0
	for path, ops := range doc.Paths {
		for method, op := range ops {
			for status, resp := range op.Responses {
				if resp.Description == "" {
					t.Errorf("%s %s %s: no description", method, path, status)
				}
				for ct, media := range resp.Content {
					if media.Example == nil {
						if status == "200" && path != "/api/openapi.json" {
							t.Errorf("%s %s %s %s: no example", method, path, status, ct)
						}
						continue
					}
					n++
					if err := v.validateJSON(media.Schema, media.Example); err != nil {
						t.Errorf("%s %s %s %s: the example does not match its schema: %v", method, path, status, ct, err)
					}
				}
			}
		}
	}
	if n < 10 {
		t.Errorf("only %d examples in openapi.json", n)
	}
}

// matchOperation returns the path of doc that target's path matches
// ({name} matches the rest of the path, slashes included, as {name...}
// does in the server).
func matchOperation(doc *openAPIDoc, target string) (string, map[string]openAPIOperation) {
	p, _, _ := strings.Cut(target, "?")
	for path, ops := range doc.Paths {
		if path == p {
			return path, ops
		}
		if i := strings.Index(path, "{"); i > 0 && strings.HasPrefix(p, path[:i]) && len(p) > i {
			return path, ops
		}
	}
	return "", nil
}

// validator checks JSON values against the subset of JSON Schema that
// openapi.json uses: type, properties, required, additionalProperties,
// items, enum, const, minimum, maximum, maxLength, pattern and $ref to
// #/components/schemas.
type validator struct {
	schemas map[string]json.RawMessage
}

func (v *validator) validateJSON(schema json.RawMessage, data []byte) error {
	var x any
	dec := json.NewDecoder(bufio.NewReader(strings.NewReader(string(data))))
	dec.UseNumber()
	if err := dec.Decode(&x); err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return v.validate(schema, x, "$")
}

type schemaNode struct {
	Ref                  string                     `json:"$ref"`
	Type                 any                        `json:"type"`
	Properties           map[string]json.RawMessage `json:"properties"`
	Required             []string                   `json:"required"`
	AdditionalProperties *bool                      `json:"additionalProperties"`
	Items                json.RawMessage            `json:"items"`
	Enum                 []any                      `json:"enum"`
	Const                any                        `json:"const"`
	Minimum              *float64                   `json:"minimum"`
	Maximum              *float64                   `json:"maximum"`
	MaxLength            *int                       `json:"maxLength"`
	Pattern              string                     `json:"pattern"`
}

func (v *validator) validate(raw json.RawMessage, x any, at string) error {
	var s schemaNode
	if err := json.Unmarshal(raw, &s); err != nil {
		return fmt.Errorf("%s: bad schema %s: %w", at, raw, err)
	}
	if s.Ref != "" {
		name, ok := strings.CutPrefix(s.Ref, "#/components/schemas/")
		ref, found := v.schemas[name]
		if !ok || !found {
			return fmt.Errorf("%s: unknown $ref %q", at, s.Ref)
		}
		return v.validate(ref, x, at)
	}
	if s.Type != nil && !typeMatches(s.Type, x) {
		return fmt.Errorf("%s: %v is not of type %v", at, x, s.Type)
	}
	if s.Enum != nil && !slices.ContainsFunc(s.Enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(x) }) {
		return fmt.Errorf("%s: %v is not one of %v", at, x, s.Enum)
	}
	if s.Const != nil && fmt.Sprint(s.Const) != fmt.Sprint(x) {
		return fmt.Errorf("%s: %v is not %v", at, x, s.Const)
	}
	switch x := x.(type) {
	case map[string]any:
		for _, name := range s.Required {
			if _, ok := x[name]; !ok {
				return fmt.Errorf("%s: no %q", at, name)
			}
		}
		for name, val := range x {
			ps, ok := s.Properties[name]
			if !ok {
				if s.AdditionalProperties != nil && !*s.AdditionalProperties {
					return fmt.Errorf("%s: field %q is not in the schema (add it to server/openapi.json)", at, name)
				}
				continue
			}
			if err := v.validate(ps, val, at+"."+name); err != nil {
				return err
			}
		}
	case []any:
		if s.Items != nil {
			for i, val := range x {
				if err := v.validate(s.Items, val, fmt.Sprintf("%s[%d]", at, i)); err != nil {
					return err
				}
			}
		}
	case json.Number:
		f, _ := x.Float64()
		if s.Minimum != nil && f < *s.Minimum || s.Maximum != nil && f > *s.Maximum {
			return fmt.Errorf("%s: %v out of [%v, %v]", at, f, s.Minimum, s.Maximum)
		}
	case string:
		if s.MaxLength != nil && len([]rune(x)) > *s.MaxLength {
			return fmt.Errorf("%s: longer than %d", at, *s.MaxLength)
		}
		if s.Pattern != "" && !regexp.MustCompile(s.Pattern).MatchString(x) {
			return fmt.Errorf("%s: %q does not match %s", at, x, s.Pattern)
		}
	}
	return nil
}

// typeMatches reports whether x is of the JSON Schema type t (a name or a
// list of names).
func typeMatches(t, x any) bool {
	if list, ok := t.([]any); ok {
		return slices.ContainsFunc(list, func(t any) bool { return typeMatches(t, x) })
	}
	switch t {
	case "object":
		_, ok := x.(map[string]any)
		return ok
	case "array":
		_, ok := x.([]any)
		return ok
	case "string":
		_, ok := x.(string)
		return ok
	case "boolean":
		_, ok := x.(bool)
		return ok
	case "null":
		return x == nil
	case "number":
		_, ok := x.(json.Number)
		return ok
	case "integer":
		n, ok := x.(json.Number)
		if !ok {
			return false
		}
		f, err := n.Float64()
		return err == nil && f == math.Trunc(f)
	}
	return false
}

// TestOpenAPIValidator checks that the validator refuses what it must,
// so that the tests above can fail.
func TestOpenAPIValidator(t *testing.T) {
	v := &validator{schemas: map[string]json.RawMessage{"N": json.RawMessage(`{"type":"integer","minimum":0}`)}}
	schema := json.RawMessage(`{"type":"object","required":["a"],"additionalProperties":false,"properties":{
		"a":{"$ref":"#/components/schemas/N"},"b":{"type":"array","items":{"type":"string","enum":["x","y"]}}}}`)
	cases := []struct {
		data string
		ok   bool
	}{
		{`{"a":1}`, true}, {`{"a":1,"b":["x","y"]}`, true},
		{`{}`, false}, {`{"a":-1}`, false}, {`{"a":1.5}`, false}, {`{"a":"1"}`, false},
		{`{"a":1,"c":2}`, false}, {`{"a":1,"b":["z"]}`, false}, {`[]`, false}, {`{"a":1`, false},
	}
	for _, tc := range cases {
		if err := v.validateJSON(schema, []byte(tc.data)); (err == nil) != tc.ok {
			t.Errorf("validate(%s) = %v; want ok %v", tc.data, err, tc.ok)
		}
	}
}

// TestOpenAPIParams checks that the query parameters openapi.json lists
// for /api/search, /api/export and /api/documents/{id} are those the server accepts (it
// refuses any other).
func TestOpenAPIParams(t *testing.T) {
	doc := loadOpenAPI(t)
	for path, want := range map[string][]string{"/api/search": server.SearchParams, "/api/export": server.ExportParams, "/api/documents/{id}": server.DocumentParams} {
		var got []string
		for _, p := range doc.Paths[path]["get"].Parameters {
			if p.In == "query" {
				got = append(got, p.Name)
			}
		}
		sort.Strings(got)
		want = slices.Sorted(slices.Values(want))
		if !slices.Equal(got, want) {
			t.Errorf("openapi.json lists the parameters %q for %s; the server takes %q", got, path, want)
		}
	}
}
