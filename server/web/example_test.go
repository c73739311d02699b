package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/rapports/rapports/server/web"
)

// The page is mounted at "/" beside the JSON API under /api/, which it
// calls from the same origin.
func ExampleHandler() {
	mux := http.NewServeMux()
	mux.Handle("GET /", web.Handler())
	// mux.Handle("GET /api/", api) — the server package does this.

	for _, path := range []string{"/", "/app.js", "/secret.txt"} {
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		fmt.Println(path, rec.Code, rec.Header().Get("Content-Type"), rec.Header().Get("X-Content-Type-Options"))
	}
	// Output:
	// / 200 text/html; charset=utf-8 nosniff
	// /app.js 200 text/javascript; charset=utf-8 nosniff
	// /secret.txt 404 text/plain; charset=utf-8 nosniff
}
