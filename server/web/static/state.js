// state: what the page shows, which lives in the URL. It is the page's one
// shared mutable state: the other modules read it with state() and change
// it with navigate or refine, which record it in the history and render.
//
//	/?q=coopération&country=IL&country=BH&organization=ONU&from=2024&to=2024-06&sort=-date&page=2
//	/?doc=<id>&q=coopération   (the document view)
//	/?doc=<id>&q=drones&at=12  (the document view opened at its page 12, a PDF's)

// parseState reads a state from a URL's query string.
export function parseState(search) {
  const p = new URLSearchParams(search);
  const page = parseInt(p.get("page") || "1", 10);
  const at = parseInt(p.get("at") || "0", 10);
  return Object.freeze({
    q: (p.get("q") || "").trim(),
    countries: Object.freeze(p.getAll("country").filter(Boolean).map((c) => c.toUpperCase())),
    orgs: Object.freeze(p.getAll("organization").filter(Boolean).map((c) => c.toUpperCase())),
    from: (p.get("from") || "").trim(),
    to: (p.get("to") || "").trim(),
    sort: p.get("sort") || "relevance",
    page: page > 0 ? page : 1,
    doc: p.get("doc") || "",
    // at is the page of the document (a PDF's) to open the view at, 0 for its top.
    at: p.get("doc") && at > 0 ? at : 0,
  });
}

// stateQuery writes s as a query string (the document left out unless
// withDoc).
export function stateQuery(s, withDoc) {
  const p = new URLSearchParams();
  if (withDoc && s.doc) p.set("doc", s.doc);
  if (s.q) p.set("q", s.q);
  for (const c of s.countries) p.append("country", c);
  for (const c of s.orgs || []) p.append("organization", c);
  if (s.from) p.set("from", s.from);
  if (s.to) p.set("to", s.to);
  if (s.sort && s.sort !== "relevance") p.set("sort", s.sort);
  if (s.page > 1) p.set("page", String(s.page));
  if (withDoc && s.doc && s.at > 0) p.set("at", String(s.at));
  return p.toString();
}

// stateURL returns the URL of the page showing s.
export function stateURL(s) {
  const qs = stateQuery(s, true);
  return location.pathname + (qs ? "?" + qs : "");
}

let current = parseState(location.search);
let renderer = () => {};

// state returns the state shown (frozen: change it with navigate).
export function state() {
  return current;
}

// hasFilters reports whether state s filters by country or date: with no
// words, the page then lists the matching reports, newest first.
export function hasFilters(s) {
  return s.countries.length > 0 || (s.orgs || []).length > 0 || Boolean(s.from) || Boolean(s.to);
}

// with returns the current state changed by next, without going there
// (for the href of a link).
export function withState(next) {
  return Object.assign({}, current, next);
}

// setRenderer sets the function that shows the current state.
export function setRenderer(fn) {
  renderer = fn;
}

// navigate moves to a new state, recording it in the history, and renders
// it. mark is kept in history.state (e.g. {fromResults: true}).
export function navigate(next, replace, mark) {
  current = parseState(stateQuery(withState(next), true));
  const url = stateURL(current);
  if (replace) history.replaceState(mark || null, "", url);
  else history.pushState(mark || null, "", url);
  renderer();
}

// refine applies a new filter or query, which brings the results back to
// page 1.
export function refine(next) {
  navigate(Object.assign({ page: 1, doc: "" }, next));
}

// reload reads the state from the URL again (after the history moved)
// and renders it.
export function reload() {
  current = parseState(location.search);
  renderer();
}
