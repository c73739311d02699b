// rapports: the search page, the entry module. A single-page application
// whose state lives in the URL (state.js); it talks to the JSON API beside
// it (api.js). Text from documents is only ever inserted as text nodes.
//
// The modules, by concern: dom (helpers), actions (the one click handler),
// state (state <-> URL), api, errors, dates, countries, marks (text with
// the server's match offsets in <mark>), search
// (the results view), facets, histogram, document (the document view),
// home.

import { $, el } from "./dom.js";
import { installClicks, onAction } from "./actions.js";
import { countryCode } from "./countries.js";
import { dateInterval, formatDate, isoDate } from "./dates.js";
import { installDocument, renderDocument } from "./document.js";
import { explain, queryProblem, showError } from "./errors.js";
import { installFacets } from "./facets.js";
import { markedPages, markedParagraphs, markedText, matchRanges } from "./marks.js";
import { axisLabels, fillPeriods, inRange, installHistogram } from "./histogram.js";
import { installHome, renderHome } from "./home.js";
import { installSearch, pagesNote, relaxedQueries, renderResults } from "./search.js";
import { hasFilters, navigate, parseState, reload, setRenderer, state } from "./state.js";

// inflight cancels the requests of the view being replaced.
let inflight = null;

function setBusy(busy) {
  $("main").setAttribute("aria-busy", busy ? "true" : "false");
  document.body.classList.toggle("busy", busy);
}

function show(view) {
  $("home-view").hidden = view !== "home";
  $("results-view").hidden = view !== "results";
  $("doc-view").hidden = view !== "doc";
}

// render shows the current state: the document view, the results or the
// home page.
function render() {
  const s = state();
  if (inflight) inflight.abort();
  inflight = new AbortController();
  const signal = inflight.signal;
  showError("");
  $("from").removeAttribute("aria-invalid");
  $("to").removeAttribute("aria-invalid");
  $("q").removeAttribute("aria-invalid");
  $("q").value = s.q;
  $("from").value = s.from;
  $("to").value = s.to;
  // Without words there is no relevance: the reports come newest first.
  $("sort").options[0].disabled = !s.q;
  $("sort").value = !s.q && s.sort === "relevance" ? "-date" : s.sort;
  // Keep the keyboard focus on the control that was used (a checkbox,
  // a bar) when rendering replaces it by a new one with the same id.
  const focusId = document.activeElement && document.activeElement.id;
  let work;
  if (s.doc) { show("doc"); work = renderDocument(signal); }
  else if (s.q || hasFilters(s)) { show("results"); work = renderResults(signal); }
  else { show("home"); work = renderHome(signal); }
  setBusy(true);
  work.catch((e) => {
    if (e.name === "AbortError") return;
    const [msg, fixed] = explain(e);
    showError(msg, fixed);
    if ((s.q || hasFilters(s)) && !s.doc) {
      $("summary").textContent = "Aucun résultat affiché.";
      for (const id of ["hits", "pages"]) $(id).replaceChildren();
      $("countries").replaceChildren(el("li", { class: "hint", text: "Indisponible." }));
      $("histogram").replaceChildren(el("p", { class: "hint", text: "Indisponible." }));
    }
    if (s.doc) $("doc-title").textContent = e.status === 404 ? "Rapport introuvable" : "Rapport indisponible";
  }).finally(() => {
    if (signal.aborted) return;
    setBusy(false);
    const active = document.activeElement;
    if (focusId && (!active || active === document.body)) {
      let again = document.getElementById(focusId);
      // A removed chip hands the focus to the first one left, or to the
      // search box.
      if (focusId.startsWith("chip-") && (!again || again.closest("[hidden]"))) again = $("chip-0") || $("q");
      if (again && !again.closest("[hidden]")) again.focus({ preventScroll: true });
    }
    // The state the page now shows, for scripts that drive it.
    document.body.dataset.rendered = location.search;
  });
}

// go follows a link (or a button's data-href) to another state of the
// page.
onAction("go", (e) => {
  const href = e.getAttribute("href") || e.dataset.href;
  navigate(parseState(new URL(href, location.href).search));
});

// The skip links move the focus without touching the URL: a #fragment
// would add a history entry and search again. "Aller aux résultats"
// falls back on the content when no results are shown.
onAction("skip", (a) => {
  let target = document.getElementById(a.getAttribute("href").slice(1));
  if (!target || target.closest("[hidden]")) target = $("main");
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "start" });
});

installClicks();
installHome();
installSearch();
installFacets();
installHistogram();
installDocument();
window.addEventListener("popstate", reload);
setRenderer(render);

// The page's pure functions, for its tests.
window.rapportsPage = Object.freeze({ formatDate, isoDate, fillPeriods, markedText, markedParagraphs, markedPages, matchRanges, inRange, queryProblem, dateInterval, axisLabels, relaxedQueries, pagesNote, countryCode });

render();
if (!state().q && !state().doc) $("q").focus();
