// search: the results view: the hits of a search, its summary, its pages,
// the sort order, and looser searches when it finds nothing.

import { $, el } from "./dom.js";
import { onAction } from "./actions.js";
import { api } from "./api.js";
import { countryName, learnCountries } from "./countries.js";
import { dateInterval, formatDate } from "./dates.js";
import { orgLabel, renderChips, renderCountries, renderOrganizations } from "./facets.js";
import { markedText } from "./marks.js";
import { renderHistogram } from "./histogram.js";
import { navigate, parseState, refine, state, stateQuery, stateURL, withState } from "./state.js";

// searchParams returns the query string of api/search for state s. The
// number of hits on a page is the server's (its answer's size).
export function searchParams(s) {
  const p = new URLSearchParams();
  p.set("q", s.q);
  for (const c of s.countries) p.append("country", c);
  for (const c of s.orgs || []) p.append("organization", c);
  if (s.from) p.set("from", s.from);
  if (s.to) p.set("to", s.to);
  if (s.sort) p.set("sort", s.sort);
  const interval = dateInterval(s.from, s.to);
  if (interval) p.set("interval", interval);
  p.set("page", String(s.page));
  p.set("highlight", "true");
  return p.toString();
}

// renderResults searches and shows the results of the current state.
export async function renderResults(signal) {
  const s = state();
  // Without words (filters only), the reports are listed newest first.
  const name = s.q || "Rapports filtrés";
  document.title = name + " — rapports";
  renderChips();
  const res = await api("search?" + searchParams(s), signal);
  if (signal.aborted) return;
  learnCountries(res.facets && res.facets.country);
  // The title names the page in the history list and the tabs.
  const n = Number(res.total || 0);
  document.title = name + " : " + (n === 0 ? "aucun résultat" : n.toLocaleString("fr-FR") +
    (n > 1 ? " résultats" : " résultat")) + (s.page > 1 ? ", page " + s.page : "") + " — rapports";
  renderSummary(res);
  renderHits(res);
  renderPages(res);
  renderCountries(res.facets ? res.facets.country || [] : []);
  renderOrganizations(res.facets ? res.facets.organization || [] : []);
  renderDidYouMean(res.suggestion || "");
  renderHistogram(res.facets ? res.facets.date || [] : []);
  // The server's suggestion, from the index's own words, is better than
  // the looser forms of the query.
  if (n === 0 && !res.suggestion) await renderSuggestions(signal);
}

// renderDidYouMean shows the server's suggestion (a query with at most 3
// results whose misspelt words it corrected), as a link to it.
function renderDidYouMean(suggestion) {
  const old = document.getElementById("did-you-mean");
  if (old) old.remove();
  if (!suggestion) return;
  const a = el("a", { href: stateURL(withState({ q: suggestion, page: 1, doc: "" })), "data-action": "go" },
    el("code", { text: suggestion }));
  $("summary").after(el("p", { id: "did-you-mean", class: "did-you-mean" },
    document.createTextNode("Essayez : "), a));
}

// plainQuery returns q without its quotes, exact: and title:.
function plainQuery(q) {
  return q.replace(/(^|[\s(+-])(?:exact|title):/g, "$1").replace(/"/g, " ");
}

// relaxedQueries returns looser forms of a query: without its quotes,
// exact: and title: (plainQuery), then its words joined by OR (when it has
// no operator of its own), leaving out those for which isTerm is false:
// joined by OR, a stop word would find nearly every report.
export function relaxedQueries(q, isTerm) {
  const out = [];
  const add = (x) => {
    x = x.replace(/\s+/g, " ").trim();
    if (x && x !== q.trim() && !out.includes(x)) out.push(x);
  };
  const plain = plainQuery(q);
  add(plain);
  const all = plain.split(/\s+/).filter(Boolean);
  const words = all.filter(isTerm);
  if (words.length > 1 && !/[()]/.test(plain) &&
    !all.some((w) => /^(?:OR|AND|NOT)$/.test(w) || /^[-+]/.test(w))) add(words.join(" OR "));
  return out;
}

// searchedWords returns the words of text (split at spaces) that the
// index searches for, by the server's analyzer (api/analyze): not its stop
// words, not an elided article alone ("l’"). On an error it returns none.
async function searchedWords(text, signal) {
  const words = new Set();
  let a;
  try {
    a = await api("analyze?text=" + encodeURIComponent(text), signal);
  } catch (e) {
    if (e.name === "AbortError") throw e;
    return words;
  }
  const starts = ((a && a.tokens) || []).map((t) => t.start);
  const enc = new TextEncoder();
  const re = /\S+/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    const from = enc.encode(text.slice(0, m.index)).length;
    const to = from + enc.encode(m[0]).length;
    if (starts.some((x) => x >= from && x < to)) words.add(m[0]);
  }
  return words;
}

// renderSuggestions offers, under a search that found nothing, the
// same search without its filters and looser forms of the query, with
// the number of results of each; only those that find something.
async function renderSuggestions(signal) {
  const s = state();
  const count = async (t) => {
    const p = new URLSearchParams(searchParams(Object.assign({}, t, { page: 1 })));
    p.set("size", "1");
    p.set("highlight", "false");
    p.set("interval", "none");
    try {
      const r = await api("search?" + p.toString(), signal);
      return Number(r.total || 0);
    } catch (e) {
      if (e.name === "AbortError") throw e;
      return 0; // a looser query the server refuses is no suggestion
    }
  };
  const plainWords = plainQuery(s.q).split(/\s+/).filter(Boolean);
  const terms = plainWords.length > 1 ? await searchedWords(plainWords.join(" "), signal) : new Set();
  const tries = relaxedQueries(s.q, (w) => terms.has(w)).map((q) => ({ label: q, code: true, next: { q: q } }));
  if (s.countries.length || s.orgs.length || s.from || s.to) {
    tries.unshift({ label: "« " + s.q + " » sans les filtres", code: false, next: { countries: [], orgs: [], from: "", to: "" } });
  }
  const counts = await Promise.all(tries.map((t) => count(Object.assign({}, s, t.next))));
  if (signal.aborted) return;
  // A looser query finding no more than the one before it adds nothing.
  const found = tries.filter((t, i) => (t.n = counts[i]) > 0 &&
    !(i > 0 && t.code && tries[i - 1].code && counts[i - 1] === t.n));
  if (found.length === 0) return;
  const ul = el("ul", { class: "suggestions", id: "suggestions" });
  for (const t of found) {
    const a = el("a", { href: stateURL(withState(Object.assign({}, t.next, { page: 1, doc: "" }))), "data-action": "go" },
      t.code ? el("code", { text: t.label }) : document.createTextNode(t.label));
    ul.append(el("li", {}, a, el("span", { class: "count",
      text: " : " + t.n.toLocaleString("fr-FR") + (t.n > 1 ? " résultats" : " résultat") })));
  }
  $("hits").querySelector(".empty").append(el("p", { text: "Essayez plutôt :" }), ul);
}

function renderSummary(res) {
  const s = state();
  const n = Number(res.total || 0);
  const took = Number(res.took_ms || 0);
  const tookText = took < 1 ? "moins d’1 ms" : took.toLocaleString("fr-FR", { maximumFractionDigits: 0 }) + " ms";
  let text;
  if (n === 0) text = "Aucun résultat";
  else if (n === 1) text = "1 résultat";
  else text = n.toLocaleString("fr-FR") + " résultats";
  if (n > 0 && s.page > 1) text += ", page " + s.page;
  $("summary").replaceChildren(
    el("span", { id: "total", "data-total": String(n), text: text }),
    // The time is for the eyes: the live region reads out the count only.
    el("span", { class: "took", "aria-hidden": "true", text: " (" + tookText + ")" }));
}

function docHref(id, at) {
  return location.pathname + "?" + stateQuery(withState({ doc: id, at: at || 0 }), true);
}

// MAX_PAGES_SHOWN is how many page numbers of a PDF's matches a hit lists
// (as rapports search does).
const MAX_PAGES_SHOWN = 10;

// pagesLine is "p. 3, 7": the pages of a PDF on which the query matches,
// each a link that opens the document at that page; past MAX_PAGES_SHOWN,
// "…" and how many pages in all.
function pagesLine(h) {
  const pages = h.pages || [];
  const span = el("span", { class: "pages-line", text: "p. " });
  pages.slice(0, MAX_PAGES_SHOWN).forEach((p, i) => {
    if (i > 0) span.append(document.createTextNode(", "));
    span.append(el("a", { href: docHref(h.id, p), "data-action": "doc", "aria-label": "page " + p, text: String(p) }));
  });
  if (pages.length > MAX_PAGES_SHOWN) span.append(document.createTextNode(", … (" + pages.length + " pages)"));
  return span;
}

function renderHits(res) {
  const s = state();
  const ol = $("hits");
  ol.replaceChildren();
  const hits = res.hits || [];
  const size = Number(res.size) || hits.length || 1;
  ol.start = (s.page - 1) * size + 1;
  const total = Number(res.total || 0);
  if (hits.length === 0 && total > 0) {
    // A page past the last one (an old link, a hand-edited URL).
    const last = lastPage(total, size, res.max_window);
    ol.append(el("li", { class: "empty" },
      el("p", { text: "La page " + s.page + " est au-delà des résultats : ils tiennent en " +
        last + (last > 1 ? " pages." : " page.") }),
      el("p", {}, pageLink(last, "Aller à la dernière page (" + last + ")", null, false, "past-last"))));
    return;
  }
  if (hits.length === 0) {
    ol.append(el("li", { class: "empty" },
      el("p", { text: "Aucun rapport ne correspond à cette recherche." }),
      el("p", { class: "hint", text: "Essayez moins de mots, retirez un filtre ou utilisez un préfixe (missil*)." })));
    return;
  }
  for (const h of hits) {
    const link = el("a", { href: docHref(h.id), class: "doc-link", "data-id": h.id, "data-action": "doc" },
      h.title ? markedText(h.title, h.title_matches) : document.createTextNode(h.id));
    const meta = el("p", { class: "meta-line" });
    if (h.date) meta.append(el("time", { datetime: h.date, text: formatDate(h.date) }));
    if (h.pages && h.pages.length) meta.append(pagesLine(h));
    const names = (h.countries || []).map(countryName);
    if (names.length) {
      const shown = names.slice(0, 6).join(", ") + (names.length > 6 ? " +" + (names.length - 6) : "");
      meta.append(el("span", { class: "countries-line", text: shown }));
    }
    const orgs = (h.organizations || []).map(orgLabel);
    if (orgs.length) {
      meta.append(el("span", { class: "orgs-line", text: orgs.slice(0, 5).join(", ") + (orgs.length > 5 ? " +" + (orgs.length - 5) : "") }));
    }
    if (h.source) meta.append(el("span", { class: "source", text: h.source }));
    const li = el("li", { class: "hit" }, el("h2", {}, link), meta);
    // Text nodes, the matches (byte offsets) in <mark>: the page inserts
    // no HTML of the server's.
    for (const f of (h.fragments || []).slice(0, 3)) {
      li.append(el("p", { class: "fragment" }, markedText(f.text, f.matches)));
    }
    ol.append(li);
  }
}

// lastPage is the last page of total results, size a page, that the
// server pages: it pages maxWindow results at most (the answer's
// max_window; none when absent).
function lastPage(total, size, maxWindow) {
  const pages = Math.max(1, Math.ceil(total / size));
  return maxWindow > 0 ? Math.max(1, Math.min(pages, Math.floor(maxWindow / size))) : pages;
}

function pageLink(page, label, aria, current, id) {
  if (current) return el("span", { class: "page current", "aria-current": "page", text: label });
  return el("a", {
    class: "page", id: id, href: stateURL(withState({ page: page, doc: "" })), "data-action": "page",
    "aria-label": aria, text: label,
  });
}

// pagesNote says, from the last page on (of size hits), why the pages
// stop when the results go beyond the maxWindow the server pages; ""
// otherwise.
export function pagesNote(total, page, size, maxWindow) {
  const last = lastPage(total, size, maxWindow);
  if (!(maxWindow > 0) || total <= maxWindow || page < last) return "";
  return "Les pages s’arrêtent aux " + maxWindow.toLocaleString("fr-FR") + " premiers des " +
    total.toLocaleString("fr-FR") + " résultats : précisez la recherche, ajoutez un filtre ou changez le tri pour voir les autres.";
}

function renderPages(res) {
  const nav = $("pages");
  nav.replaceChildren();
  const total = Number(res.total || 0);
  const size = Number(res.size) || 1;
  const last = lastPage(total, size, res.max_window);
  const cur = state().page;
  if (last <= 1 && cur <= 1) return;
  const ul = el("ul");
  // Past the last page, the previous one is the last.
  if (cur > 1) ul.append(el("li", {}, pageLink(Math.min(cur - 1, last), "‹ Précédente", "Page précédente")));
  const pages = new Set([1, last, cur - 2, cur - 1, cur, cur + 1, cur + 2]);
  let prev = 0;
  for (const p of [...pages].filter((p) => p >= 1 && p <= last).sort((a, b) => a - b)) {
    if (p > prev + 1) ul.append(el("li", { class: "gap", "aria-hidden": "true", text: "…" }));
    ul.append(el("li", {}, pageLink(p, String(p), "Page " + p, p === cur)));
    prev = p;
  }
  if (cur < last) ul.append(el("li", {}, pageLink(cur + 1, "Suivante ›", "Page suivante")));
  nav.append(ul);
  const note = pagesNote(total, cur, size, res.max_window);
  if (note) nav.append(el("p", { class: "hint", id: "pages-note", text: note }));
}

// installSearch sets up the events of the search form, the results and
// the sort order, once.
export function installSearch() {
  const target = (a) => parseState(new URL(a.href).search);
  onAction("doc", (a) => navigate(target(a), false, { fromResults: true }));
  onAction("page", (a) => {
    navigate(target(a));
    $("main").focus();
    window.scrollTo(0, 0);
  });

  $("search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("q").value.trim();
    if (!q) { navigate({ q: "", doc: "", page: 1 }); return; }
    refine({ q: q });
  });

  // The arrow keys change a closed <select> one option at a time, each
  // firing "change": a change by the keyboard is applied once the keys
  // rest (or at Enter, or when the focus leaves), so that going through
  // an option neither searches nor adds a history entry.
  const sort = $("sort");
  const pending = { timer: 0, byKey: false };
  const applySort = () => {
    clearTimeout(pending.timer);
    pending.timer = 0;
    if (sort.value !== state().sort) refine({ sort: sort.value });
  };
  sort.addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && pending.timer) { applySort(); return; }
    pending.byKey = true;
    setTimeout(() => { pending.byKey = false; }, 0);
  });
  sort.addEventListener("change", () => {
    if (!pending.byKey) { applySort(); return; }
    clearTimeout(pending.timer);
    pending.timer = setTimeout(applySort, 700);
  });
  sort.addEventListener("blur", () => { if (pending.timer) applySort(); });
}
