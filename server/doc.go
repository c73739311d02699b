// Package server is the HTTP JSON API of rapports, with the search page of
// package web mounted at "/".
//
// Endpoints (all GET or HEAD; anything else gets 405 with an Allow header):
//
//	/api/search?q=&country=&country=&from=&to=&sort=&size=&page=&highlight=&interval=
//	/api/documents/{id}
//	/api/stats
//	/api/analyze?text=&analyzer=
//	/healthz
//
// With Options.Reindexer and Options.AdminToken, the admin route POST
// /api/admin/reindex (ReindexPath) re-indexes at once for requests carrying
// "Authorization: Bearer TOKEN" (401 without it), answering ReindexAnswer.
// The run does not depend on the client (it goes on when the client goes
// away); one stopped by the Reindexer answers 503 "canceled". A client
// refused Options.AdminTries times within Options.AdminWindow gets 429
// "too_many_requests" with Retry-After, and refused tries are logged once
// per window with their count.
//
// Successful answers are JSON (a search answers the JSON form of
// index.Result, encoded by WriteJSON, which the command line uses too).
// Errors answer {"error": {"code": "...", "message": "..."}} with status 400
// (bad_request, too_expensive), 404 (not_found), 405 (method_not_allowed),
// 413 (too_large), 500 (internal, logged) or 503 (timeout, unavailable,
// busy: too many expensive searches at once, with Retry-After).
// The message of a 4xx error names the parameter at fault.
//
// New returns a plain http.Handler over a Searcher, the few methods of
// *index.Index it needs, so tests can stand a mock in its place. The caller
// owns the http.Server, its timeouts and its shutdown. Client is the other
// side: a Searcher that asks a server over HTTP (the command line uses it
// while "rapports serve" holds the index), with the server's errors back as
// *Error values wrapping the index errors.
package server
