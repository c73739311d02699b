// document: the view of one report, the matches of the query marked where
// the server found them, with buttons to go from one mark to the next.
//
// Structure: renderDocument fetches api/documents/{id}?q= (the report, and
// title_matches / body_matches: [start, end) byte offsets of the query's
// matches, by the index's own analysis), fills #doc-meta, #doc-title and
// #doc-body (one <p> per paragraph, <br> per line, <mark> per match, from
// marks.js; a PDF's pages as section#pN, opened at state().at), says the count in #doc-marks, and shows #doc-nav (previous /
// next mark, goToMark) when there are two marks or more.

import { $, el } from "./dom.js";
import { onAction } from "./actions.js";
import { api } from "./api.js";
import { countryName } from "./countries.js";
import { formatDate } from "./dates.js";
import { markedPages, markedText } from "./marks.js";
import { navigate, state, stateURL, withState } from "./state.js";

// renderDocument fetches and shows the report of the current state.
export async function renderDocument(signal) {
  const s = state();
  const back = $("back");
  back.href = stateURL(withState({ doc: "" }));
  back.textContent = s.q ? "← Retour aux résultats" : "← Retour à la recherche";
  $("doc-title").textContent = "Chargement…";
  $("doc-meta").replaceChildren();
  $("doc-body").replaceChildren();
  $("doc-marks").textContent = "";
  $("doc-nav").hidden = true;
  // With the query, the server says where it matches the title and the
  // body: the page does no analysis of its own.
  const path = (q) => "documents/" + encodeURIComponent(s.doc) + (q ? "?q=" + encodeURIComponent(q) : "");
  let d;
  let refused = false;
  try {
    d = await api(path(s.q), signal);
  } catch (e) {
    // A query the server refuses (a link edited by hand): the report
    // without marks.
    if (!s.q || e.param !== "q") throw e;
    refused = true;
    d = await api(path(""), signal);
  }
  if (signal.aborted) return;
  document.title = (d.title || d.id) + " — rapports";
  const meta = $("doc-meta");
  const row = (k, ...v) => meta.append(el("div", {}, el("dt", { text: k }), el("dd", {}, ...v)));
  if (d.date) row("Date", el("time", { datetime: d.date, text: formatDate(d.date) }));
  if (d.countries && d.countries.length) {
    const ul = el("ul", { class: "inline" });
    d.countries.forEach((c, i) => {
      const n = d.mentions && d.mentions[i] ? " (" + d.mentions[i] + ")" : "";
      ul.append(el("li", { text: countryName(c) + n }));
    });
    row("Pays", ul);
  }
  if (d.source) row("Source", document.createTextNode(d.source));
  if (d.url) {
    if (/^https?:\/\//i.test(d.url)) {
      row("Adresse", el("a", { href: d.url, rel: "noopener noreferrer", target: "_blank", text: d.url }));
    } else {
      row("Adresse", document.createTextNode(d.url));
    }
  }
  const pages = d.first_page >= 1 && Array.isArray(d.page_starts) ? d.page_starts.length : 0;
  if (pages > 0) {
    row("Pages", document.createTextNode(pages > 1 ? d.first_page + "–" + (d.first_page + pages - 1) : String(d.first_page)));
  }
  row("Identifiant", el("code", { text: d.id }));

  const counter = { n: 0 };
  $("doc-title").replaceChildren(d.title ? markedText(d.title, d.title_matches, counter) : document.createTextNode(d.id));
  const body = $("doc-body");
  // A PDF's body is cut into its pages (section#pN), from page_starts.
  body.append(markedPages(d.body, d.body_matches, d.page_starts, d.first_page, counter));
  if (refused) {
    $("doc-marks").textContent = "La recherche « " + s.q + " » est mal formée : rien n’est surligné.";
  } else if (s.q) {
    $("doc-marks").textContent = counter.n === 0
      ? "Les termes de la recherche n’apparaissent pas dans ce texte."
      : counter.n + (counter.n > 1 ? " occurrences surlignées" : " occurrence surlignée") +
        " pour « " + s.q + " ».";
  }
  // Buttons to go from one match to the next, in a long text (a match cut
  // by a break is one: its first mark).
  const marks = body.querySelectorAll("mark:not(.cont)");
  $("mark-at").textContent = "";
  $("doc-nav").hidden = marks.length < 2;
  // Open at the page asked (a hit's "p. 7": ?at=7, or #p7), else show the
  // first mark of the body when it is below the fold.
  const hash = /^#p(\d+)$/.exec(location.hash);
  const want = s.at || (hash ? Number(hash[1]) : 0);
  const page = want ? document.getElementById("p" + want) : null;
  const first = marks[0];
  $("main").focus({ preventScroll: true });
  window.scrollTo(0, 0);
  if (page && body.contains(page)) {
    page.scrollIntoView({ block: "start" });
    page.classList.add("current-page");
  } else if (first && first.getBoundingClientRect().bottom > window.innerHeight) {
    first.scrollIntoView({ block: "center" });
  }
}

// goToMark shows the mark of the body step places from the current one
// (the one marked "current"; none before the first use), going round at
// either end.
function goToMark(step) {
  const body = $("doc-body");
  const marks = [...body.querySelectorAll("mark:not(.cont)")];
  if (marks.length === 0) return;
  const at = marks.findIndex((m) => m.classList.contains("current"));
  body.querySelectorAll("mark.current").forEach((m) => m.classList.remove("current"));
  const next = at < 0 && step < 0 ? marks.length - 1 : (at + step + marks.length) % marks.length;
  const m = marks[next];
  // Every mark of the match (cut by a line or page break) is current.
  const parts = m.dataset.m === undefined ? [m] : [...body.querySelectorAll('mark[data-m="' + m.dataset.m + '"]')];
  parts.forEach((p) => p.classList.add("current"));
  m.scrollIntoView({ block: "center" });
  const text = parts.map((p) => p.textContent).join(" ");
  $("mark-at").textContent = "Occurrence " + (next + 1) + " sur " + marks.length + " : « " + text + " ».";
}

// installDocument sets up the events of the document view, once.
export function installDocument() {
  onAction("mark-prev", () => goToMark(-1));
  onAction("mark-next", () => goToMark(1));
  // Back to the results: the history's entry when the document was
  // opened from them, else the results of the document's query.
  onAction("back", () => {
    if (history.state && history.state.fromResults) history.back();
    else navigate({ doc: "" });
  });
}
