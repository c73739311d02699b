package server

import (
	"net/http"
	"slices"
	"strings"
)

// corsMaxAge is how long, in seconds, a browser may keep a preflight answer.
const corsMaxAge = "600"

// cors answers cross-origin requests from the origins of Options.CORSOrigins
// only: a preflight request (OPTIONS with Access-Control-Request-Method)
// from one of them is answered 204 with the methods and headers the API
// accepts, and any request from one of them gets
// Access-Control-Allow-Origin. Requests from other origins are served as
// before, without these headers, so that browsers keep their answers from
// the page that asked. With no origins, cors is next itself.
func cors(origins []string, next http.Handler) http.Handler {
	if len(origins) == 0 {
		return next
	}
	anyOrigin := slices.Contains(origins, "*")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		h := w.Header()
		if origin != "" {
			h.Add("Vary", "Origin")
		}
		allowed := origin != "" && (anyOrigin || slices.Contains(origins, origin))
		if !allowed {
			next.ServeHTTP(w, r)
			return
		}
		if anyOrigin {
			h.Set("Access-Control-Allow-Origin", "*")
		} else {
			h.Set("Access-Control-Allow-Origin", origin)
		}
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Add("Vary", "Access-Control-Request-Method")
			h.Add("Vary", "Access-Control-Request-Headers")
			h.Set("Access-Control-Allow-Methods", "GET, HEAD")
			if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
				h.Set("Access-Control-Allow-Headers", allowedHeaders(req))
			}
			h.Set("Access-Control-Max-Age", corsMaxAge)
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// corsHeaders are the request headers a cross-origin page may send.
var corsHeaders = []string{"accept", "accept-language", "content-language", "content-type", "if-none-match"}

// allowedHeaders returns the headers of a preflight's
// Access-Control-Request-Headers that the API allows, in their order.
func allowedHeaders(requested string) string {
	var out []string
	for name := range strings.SplitSeq(requested, ",") {
		name = strings.ToLower(strings.TrimSpace(name))
		if slices.Contains(corsHeaders, name) {
			out = append(out, name)
		}
	}
	return strings.Join(out, ", ")
}
