package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/rapports/rapports/corpus"
	"github.com/rapports/rapports/index"
	"github.com/rapports/rapports/server"
)

// ExampleNew serves an index over HTTP and searches it as a client would.
func ExampleNew() {
	ctx := context.Background()
	idx, err := index.OpenMemory()
	if err != nil {
		log.Fatal(err)
	}
	defer idx.Close()
	d, err := corpus.ParseISODate("2024-06")
	if err != nil {
		log.Fatal(err)
	}
	err = idx.Add(ctx, corpus.Report{ID: "manama", Title: "Réunion à Manama", Date: d, Countries: []string{"IL", "BH"},
		Body: "La coopération dans le domaine de la défense aérienne était au menu."})
	if err != nil {
		log.Fatal(err)
	}

	// In a program: http.Server{Handler: h, ...}.ListenAndServe().
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	h := server.New(idx, server.Options{}, logger)
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/api/search?q=d%C3%A9fenses+a%C3%A9riennes&country=IL")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var res index.Result
	if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, res.Total, res.Hits[0].ID, res.Hits[0].Date, res.Hits[0].FragmentsHTML[0])

	resp, err = http.Get(srv.URL + "/api/search?q=gaz&from=2024-13")
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	var e struct {
		Error struct{ Code, Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, e.Error.Code, e.Error.Message)
	// Output:
	// 200 1 manama 2024-06 La coopération dans le domaine de la <mark>défense</mark> <mark>aérienne</mark> était au menu.
	// 400 bad_request from: "2024-13" is not a date (want YYYY, YYYY-MM or YYYY-MM-DD)
}
