package server

import (
	_ "embed" // the OpenAPI document
	"net/http"

	"github.com/rapports/rapports/internal/buildinfo"
)

// OpenAPI is the OpenAPI 3.1 description of the API, served at
// /api/openapi.json: every endpoint, parameter, answer and error. A test
// checks it against the routes of this package and validates the server's
// answers and the document's examples against its schemas, so an endpoint,
// parameter or field added without it fails the tests.
//
//go:embed openapi.json
var OpenAPI []byte

func (srv *server) openapi(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := w.Write(OpenAPI); err != nil {
		srv.log.DebugContext(r.Context(), "write answer", "path", r.URL.Path, "err", err)
	}
}

func (srv *server) version(w http.ResponseWriter, r *http.Request) {
	srv.writeJSON(w, r, buildinfo.Read())
}
