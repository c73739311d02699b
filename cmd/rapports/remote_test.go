package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

func TestCheckLoopback(t *testing.T) {
	cases := []struct {
		in   string
		want string // "" for refused
	}{
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080/"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080/"},
		{"http://127.3.2.1:9000/", "http://127.3.2.1:9000/"},
		{"http://[::1]:8080/", "http://[::1]:8080/"},
		{"http://localhost:8080/", ""}, // names are not resolved
		{"http://192.168.1.5:8080/", ""},
		{"http://0.0.0.0:8080/", ""},
		{"http://example.org:80/", ""},
		{"https://127.0.0.1:8080/", ""},
		{"http://127.0.0.1/", ""}, // no port
		{"http://user:pw@127.0.0.1:8080/", ""},
		{"http://127.0.0.1:8080/api/", ""},
		{"http://127.0.0.1:8080/?x=1", ""},
		{"file:///etc/passwd", ""},
		{"", ""},
		{"://", ""},
	}
	for _, tc := range cases {
		u, err := checkLoopback(tc.in)
		got := ""
		if err == nil {
			got = u.String()
		}
		if got != tc.want {
			t.Errorf("checkLoopback(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestLoopbackURL(t *testing.T) {
	cases := []struct {
		addr net.Addr
		want string
	}{
		{&net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080}, "http://127.0.0.1:8080/"},
		{&net.TCPAddr{IP: net.IPv4zero, Port: 8080}, "http://127.0.0.1:8080/"},
		{&net.TCPAddr{Port: 8080}, "http://127.0.0.1:8080/"},
		{&net.TCPAddr{IP: net.IPv6unspecified, Port: 80}, "http://[::1]:80/"},
		{&net.TCPAddr{IP: net.IPv6loopback, Port: 80}, "http://[::1]:80/"},
		{&net.TCPAddr{IP: net.IPv4(192, 168, 1, 5), Port: 80}, "http://192.168.1.5:80/"},
	}
	for _, tc := range cases {
		if got := loopbackURL(tc.addr); got != tc.want {
			t.Errorf("loopbackURL(%v) = %q; want %q", tc.addr, got, tc.want)
		}
	}
}

func TestServeInfoFile(t *testing.T) {
	dir := t.TempDir()
	if _, err := readServeInfo(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("readServeInfo of an empty folder: %v; want fs.ErrNotExist", err)
	}
	want := serveInfo{URL: "http://127.0.0.1:8080/", PID: 42, Started: time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)}
	if err := writeServeInfo(dir, want); err != nil {
		t.Fatal(err)
	}
	got, err := readServeInfo(dir)
	if err != nil || got != want {
		t.Errorf("readServeInfo = %+v, %v; want %+v", got, err, want)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("files after writeServeInfo: %v; want %s only (no temporary file left)", entries, serveFileName)
	}

	// Another process's file is left; one's own is removed.
	if err := removeServeInfo(dir, 43); err != nil {
		t.Fatal(err)
	}
	if _, err := readServeInfo(dir); err != nil {
		t.Errorf("removeServeInfo with another pid removed the file: %v", err)
	}
	if err := removeServeInfo(dir, 42); err != nil {
		t.Fatal(err)
	}
	if _, err := readServeInfo(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("removeServeInfo with the file's pid: file still there (%v)", err)
	}
	if err := removeServeInfo(dir, 42); err != nil {
		t.Errorf("removeServeInfo without a file: %v", err)
	}

	// A damaged file is removed by the serve that finds it.
	if err := os.WriteFile(filepath.Join(dir, serveFileName), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := readServeInfo(dir); err == nil || !strings.Contains(err.Error(), serveFileName) {
		t.Errorf("readServeInfo of a damaged file: %v; want an error naming it", err)
	}
	if err := removeServeInfo(dir, 42); err != nil {
		t.Fatal(err)
	}
	if _, err := readServeInfo(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("removeServeInfo left a damaged file (%v)", err)
	}
}

// goneProcess returns the pid of a process that has exited.
func goneProcess(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$", "-test.short")
	if err := cmd.Run(); err != nil {
		t.Fatalf("run %s: %v", os.Args[0], err)
	}
	return cmd.Process.Pid
}

// fixtureServer serves the API over an in-memory index of two reports.
func fixtureServer(t *testing.T) (*index.Index, *httptest.Server) {
	t.Helper()
	idx, err := index.OpenMemory()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { idx.Close() })
	d, _ := corpus.ParseISODate("2024-06")
	err = idx.Add(context.Background(),
		corpus.Report{ID: "a", Title: "Défense aérienne", Date: d, Countries: []string{"IL"}, Body: "Les armées de la région coopèrent."},
		corpus.Report{ID: "b", Title: "Gaz", Countries: []string{"NO"}, Body: "La Norvège vend du gaz à l'armée."})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(idx, server.Options{}, nil))
	t.Cleanup(srv.Close)
	return idx, srv
}

func TestFindServer(t *testing.T) {
	ctx := context.Background()
	_, api := fixtureServer(t)
	notRapports := httptest.NewServer(http.NotFoundHandler())
	t.Cleanup(notRapports.Close)
	gone := goneProcess(t)

	cases := []struct {
		name string
		file string // content of serve.json; "" for none
		want string // error text, "" for a live server
	}{
		{"none", "", "no such file"},
		{"live", `{"url":"` + api.URL + `/","pid":` + itoa(os.Getpid()) + `}`, ""},
		{"gone process", `{"url":"` + api.URL + `/","pid":` + itoa(gone) + `}`, "is gone"},
		{"no pid", `{"url":"` + api.URL + `/"}`, "is gone"},
		{"not rapports", `{"url":"` + notRapports.URL + `/","pid":` + itoa(os.Getpid()) + `}`, "404"},
		{"closed port", `{"url":"http://127.0.0.1:1/","pid":` + itoa(os.Getpid()) + `}`, "refused"},
		{"not loopback", `{"url":"http://192.0.2.1:8080/","pid":` + itoa(os.Getpid()) + `}`, "not on a loopback address"},
		{"damaged", `{"url":`, "unexpected end"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if tc.file != "" {
				if err := os.WriteFile(filepath.Join(dir, serveFileName), []byte(tc.file), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			r, err := findServer(ctx, dir)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("findServer(%s) failed: %v; want the server", tc.file, err)
			case tc.want == "" && r.String() != api.URL+"/":
				t.Errorf("findServer(%s) = %s; want %s/", tc.file, r, api.URL)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("findServer(%s) = %v, %v; want an error with %q", tc.file, r, err, tc.want)
			}
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestRemoteSameAnswers checks that the answers asked of a server are the
// index's own, and print the same JSON as the API.
func TestRemoteSameAnswers(t *testing.T) {
	ctx := context.Background()
	idx, api := fixtureServer(t)
	r, err := server.NewClient(api.URL+"/", api.Client())
	if err != nil {
		t.Fatal(err)
	}

	for _, q := range []url.Values{
		{"q": {"armée"}},
		{"q": {"armée"}, "country": {"IL"}},
		{"q": {"gaz OR défense"}, "sort": {"-date"}, "size": {"1"}, "page": {"2"}},
		{"q": {"région"}, "from": {"2024"}, "to": {"2024-06"}},
	} {
		req, err := server.ParseSearch(q)
		if err != nil {
			t.Fatal(err)
		}
		want, err := idx.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.Search(ctx, req)
		if err != nil {
			t.Fatalf("remote search %v: %v", q, err)
		}
		got.TookMS, want.TookMS = 0, 0
		if !reflect.DeepEqual(got, want) {
			t.Errorf("remote search %v:\ngot  %+v\nwant %+v", q, got, want)
		}

		// Re-encoded, the answer is the API's JSON byte for byte.
		resp, err := api.Client().Get(api.URL + "/api/search?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		var apiJSON bytes.Buffer
		apiJSON.ReadFrom(resp.Body)
		resp.Body.Close()
		var res index.Result
		if err := json.Unmarshal(apiJSON.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		var again bytes.Buffer
		if err := server.WriteJSON(&again, &res); err != nil {
			t.Fatal(err)
		}
		if again.String() != apiJSON.String() {
			t.Errorf("API JSON of %v re-encoded differs:\ngot  %s\nwant %s", q, again.String(), apiJSON.String())
		}
	}

	st, err := r.Stats(ctx)
	want, werr := idx.Stats(ctx)
	if err != nil || werr != nil || !reflect.DeepEqual(st, want) {
		t.Errorf("remote stats = %+v, %v; want %+v, %v", st, err, want, werr)
	}

	// API errors come back with their status and message.
	_, err = r.Search(ctx, index.Request{Query: `"armée`})
	var e *server.Error
	if !errors.As(err, &e) || e.Status != http.StatusBadRequest || e.Code != "bad_request" || !strings.Contains(e.Message, "quote") || !errors.Is(err, index.ErrBadRequest) {
		t.Errorf("remote search of an unclosed quote: %v; want a 400 bad_request about the quote", err)
	}
	// A missing report is index.ErrNotFound, as on the index.
	if _, err := r.Document(ctx, "absent.txt", index.DocumentOptions{}); !errors.Is(err, index.ErrNotFound) {
		t.Errorf("remote document of an absent ID: %v; want index.ErrNotFound", err)
	}
}
