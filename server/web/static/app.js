// rapports: the search page. A single-page application whose state lives in
// the URL; it talks to the JSON API beside it (api/search, api/documents,
// api/stats). Text from documents is only ever inserted as text nodes.
"use strict";

(function () {
  const API = "api/";
  const PAGE_SIZE = 10;
  const MAX_WINDOW = 10000;
  const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
    "août", "septembre", "octobre", "novembre", "décembre"];
  const MONTHS_SHORT = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.",
    "août", "sept.", "oct.", "nov.", "déc."];
  // Words not worth highlighting in a document (the index ignores them too).
  const STOP = new Set(("a au aux avec ce ces cet cette d dans de des du elle en est et il ils " +
    "je l la le les leur lui m ma mais me mes n ne nous on ou par pas pour qu que qui s sa se " +
    "ses son sur t ta te tu un une vous y or and").split(" "));

  const $ = (id) => document.getElementById(id);
  const el = (tag, attrs, ...kids) => {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "class") e.className = v;
      else if (k === "text") e.textContent = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v === true ? "" : v);
    }
    for (const kid of kids) {
      if (kid === null || kid === undefined) continue;
      e.append(kid);
    }
    return e;
  };

  // ---- state <-> URL -------------------------------------------------------

  function readState() {
    const p = new URLSearchParams(location.search);
    const page = parseInt(p.get("page") || "1", 10);
    return {
      q: (p.get("q") || "").trim(),
      countries: p.getAll("country").filter(Boolean).map((c) => c.toUpperCase()),
      from: (p.get("from") || "").trim(),
      to: (p.get("to") || "").trim(),
      sort: p.get("sort") || "relevance",
      page: page > 0 ? page : 1,
      doc: p.get("doc") || "",
    };
  }

  function stateQuery(s, withDoc) {
    const p = new URLSearchParams();
    if (withDoc && s.doc) p.set("doc", s.doc);
    if (s.q) p.set("q", s.q);
    for (const c of s.countries) p.append("country", c);
    if (s.from) p.set("from", s.from);
    if (s.to) p.set("to", s.to);
    if (s.sort && s.sort !== "relevance") p.set("sort", s.sort);
    if (s.page > 1) p.set("page", String(s.page));
    return p.toString();
  }

  function stateURL(s) {
    const qs = stateQuery(s, true);
    return location.pathname + (qs ? "?" + qs : "");
  }

  let state = readState();

  // navigate moves to a new state, recording it in the history.
  // mark is kept in history.state (e.g. {fromResults: true}).
  function navigate(next, replace, mark) {
    state = Object.assign({}, state, next);
    const url = stateURL(state);
    if (replace) history.replaceState(mark || null, "", url);
    else history.pushState(mark || null, "", url);
    render();
  }

  // A new filter or query brings the results back to page 1.
  function refine(next) {
    navigate(Object.assign({ page: 1, doc: "" }, next));
  }

  // ---- country names ------------------------------------------------------

  const countryNames = new Map();
  let displayNames = null;
  try { displayNames = new Intl.DisplayNames(["fr"], { type: "region" }); } catch (_) { /* old browser */ }

  function learnCountries(list) {
    for (const c of list || []) if (c && c.code && c.name) countryNames.set(c.code, c.name);
  }

  function countryName(code) {
    if (countryNames.has(code)) return countryNames.get(code);
    if (displayNames) {
      try {
        const n = displayNames.of(code);
        if (n && n !== code) return n;
      } catch (_) { /* not a region code */ }
    }
    return code;
  }

  // NOT_COUNTRIES are the region codes of the browser that are no
  // ISO 3166-1 country (the server refuses them).
  const NOT_COUNTRIES = new Set("AC CP CQ DG EA EU EZ IC QO TA UN XA XB XK ZZ".split(" "));

  // allCountries returns the countries the page can name, [code, name]
  // in French alphabetical order: those the server named, and those of
  // the browser.
  function allCountries() {
    const out = new Map(countryNames);
    const A = "A".charCodeAt(0);
    for (let i = 0; i < 26 * 26; i++) {
      const code = String.fromCharCode(A + Math.floor(i / 26), A + i % 26);
      if (out.has(code) || NOT_COUNTRIES.has(code)) continue;
      const name = countryName(code);
      if (name !== code) out.set(code, name);
    }
    return [...out].sort((a, b) => a[1].localeCompare(b[1], "fr"));
  }

  // countryCode reads a country typed by name (accents, case, hyphens
  // and spaces aside) or by code; "" when it names none.
  function countryCode(text) {
    const key = (s) => fold(s).replace(/[^a-z]/g, "");
    const k = key(text || "");
    if (!k) return "";
    for (const [code, name] of allCountries()) {
      if (k === code.toLowerCase() && /^\s*[a-z]{2}\s*$/i.test(text)) return code;
      if (key(name) === k) return code;
    }
    return "";
  }

  // ---- dates --------------------------------------------------------------

  // formatDate turns "2024", "2024-06" or "2024-06-15" into French.
  function formatDate(d) {
    if (!d) return "";
    const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(d);
    if (!m) return d;
    if (!m[2]) return m[1];
    const month = MONTHS[parseInt(m[2], 10) - 1];
    if (!month) return d;
    if (!m[3]) return month + " " + m[1];
    const day = parseInt(m[3], 10);
    if (day < 1 || day > 31) return d;
    return (day === 1 ? "1er" : String(day)) + " " + month + " " + m[1];
  }

  function periodLabel(p, short) {
    const m = /^(\d{4})-(\d{2})$/.exec(p);
    if (!m) return p;
    const i = parseInt(m[2], 10) - 1;
    return short ? MONTHS_SHORT[i] + " " + m[1].slice(2) : MONTHS[i] + " " + m[1];
  }

  // isoDate reads a date typed in the from/to inputs: ISO ("2024",
  // "2024-06", "2024-06-15"), French numeric ("15/06/2024", "06/2024") or
  // French words ("juin 2024", "1er juin 2024"). Anything else is returned
  // as typed, for the server to refuse with its reason.
  function isoDate(s) {
    const t = s.trim();
    const two = (n) => String(parseInt(n, 10)).padStart(2, "0");
    let m;
    if ((m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t))) return m[3] + "-" + two(m[2]) + "-" + two(m[1]);
    if ((m = /^(\d{1,2})[/.](\d{4})$/.exec(t))) return m[2] + "-" + two(m[1]);
    if ((m = /^(?:(\d{1,2}|1er)\s+)?(\p{L}+\.?)\s+(\d{4})$/u.exec(t))) {
      const name = fold(m[2]).replace(/\.$/, "");
      const i = MONTHS.findIndex((x) => fold(x) === name || fold(x).startsWith(name) && name.length >= 3);
      if (i < 0) return t;
      const month = m[3] + "-" + two(i + 1);
      return m[1] ? month + "-" + two(m[1] === "1er" ? "1" : m[1]) : month;
    }
    return t;
  }

  // fillPeriods returns the periods from the first to the last of list, with
  // the missing ones counted 0, so the histogram shows time to scale.
  function fillPeriods(list) {
    const counts = new Map(list.map((d) => [d.period, d.count]));
    const periods = list.map((d) => d.period).sort();
    if (periods.length === 0) return [];
    const monthly = periods[0].length === 7;
    const out = [];
    let [y, m] = periods[0].split("-").map((x) => parseInt(x, 10));
    const last = periods[periods.length - 1];
    for (let guard = 0; guard < 2400; guard++) {
      const p = monthly ? y + "-" + String(m).padStart(2, "0") : String(y);
      out.push({ period: p, count: counts.get(p) || 0 });
      if (p >= last) break;
      if (monthly) { m++; if (m > 12) { m = 1; y++; } } else y++;
    }
    return out;
  }

  // inRange says whether period p lies inside the from/to filter.
  // The periods are compared at the precision of the coarser of the two,
  // so "2024-06" lies within from=2024 to=2024.
  function inRange(p, from, to) {
    if (!from && !to) return false;
    const cut = (a, b) => [a.slice(0, Math.min(a.length, b.length)), b.slice(0, Math.min(a.length, b.length))];
    if (from) { const [x, y] = cut(p, from); if (x < y) return false; }
    if (to) { const [x, y] = cut(p, to); if (x > y) return false; }
    return true;
  }

  // ---- highlighting -------------------------------------------------------

  const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };

  function decodeEntities(s) {
    return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e) => {
      if (e[0] === "#") {
        const n = e[1] === "x" || e[1] === "X" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
        try { return String.fromCodePoint(n); } catch (_) { return all; }
      }
      const v = ENTITIES[e.toLowerCase()];
      return v === undefined ? all : v;
    });
  }

  // markedNodes turns the server's escaped text, whose only markup is
  // <mark>, into DOM nodes, without ever parsing it as HTML: anything but
  // <mark> and </mark> stays text.
  function markedNodes(html) {
    const frag = document.createDocumentFragment();
    let marked = false;
    for (const part of String(html).split(/(<\/?mark>)/i)) {
      if (/^<mark>$/i.test(part)) { marked = true; continue; }
      if (/^<\/mark>$/i.test(part)) { marked = false; continue; }
      if (!part) continue;
      const text = document.createTextNode(decodeEntities(part));
      frag.append(marked ? el("mark", {}, text) : text);
    }
    return frag;
  }

  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/œ/g, "oe").replace(/æ/g, "ae");
  }

  // queryTerms extracts from the user's query the words to highlight in a
  // document: not the excluded ones, not the operators, not the stop words.
  function queryTerms(q) {
    const terms = [];
    const re = /(-|\+)?(\(*)((?:[\p{L}\p{N}_]+:)*)(?:"([^"]*)"?|([^\s"()]+))(\)*)/gu;
    let m;
    let not = false;  // the previous token was NOT
    let depth = 0;    // inside an excluded group: -( ... )
    while ((m = re.exec(q)) !== null) {
      const [, sign, open, fields, phrase, word, close] = m;
      const excluded = depth > 0 || not || sign === "-";
      not = false;
      if (depth > 0) depth += open.length - close.length;
      else if (excluded && open) depth = open.length - close.length;
      if (word === "NOT") { not = true; continue; }
      if (word === "OR" || word === "AND" || excluded) continue;
      const text = phrase !== undefined ? phrase : word;
      const prefix = word !== undefined && /\*$/.test(word);
      const exact = /(^|:)exact:$/.test(fields);
      for (const w of text.match(/[\p{L}\p{N}]+/gu) || []) {
        const f = fold(w);
        if (STOP.has(f) && sign !== "+") continue;
        terms.push({ word: w, term: f, prefix: prefix, exact: exact, stem: null });
      }
    }
    return terms;
  }

  // MAX_ANALYZE is how many characters one /api/analyze call takes
  // (the server accepts 10,000); MAX_ANALYZE_CALLS bounds the calls for
  // one document.
  const MAX_ANALYZE = 9000;
  const MAX_ANALYZE_CALLS = 12;

  // stems asks the server's French analyzer for the stem of each word, in
  // batches, and returns a Map from word to stem (null for a stop word).
  // Words it could not ask about are missing from the Map.
  async function stems(words, signal) {
    const out = new Map();
    const enc = new TextEncoder();
    const batches = [];
    let cur = [];
    let len = 0;
    for (const w of words) {
      if (len + w.length + 1 > MAX_ANALYZE && cur.length) { batches.push(cur); cur = []; len = 0; }
      cur.push(w);
      len += w.length + 1;
    }
    if (cur.length) batches.push(cur);
    await Promise.all(batches.slice(0, MAX_ANALYZE_CALLS).map(async (batch) => {
      // Tokens say where they start in bytes: map that back to the word.
      const at = new Map();
      let off = 0;
      for (const w of batch) { at.set(off, w); off += enc.encode(w).length + 1; }
      let a;
      try {
        a = await api("analyze?text=" + encodeURIComponent(batch.join(" ")), signal);
      } catch (e) {
        if (e.name === "AbortError") throw e;
        return; // an older server, or an error: the guess stands in
      }
      for (const w of batch) out.set(w, null);
      for (const tok of (a && a.tokens) || []) {
        const w = at.get(tok.start);
        if (w !== undefined && typeof tok.term === "string" && out.get(w) === null) out.set(w, fold(tok.term));
      }
    }));
    return out;
  }

  // guessStem stands in for the analyzer when it cannot be asked.
  function guessStem(f) {
    return f.length > 4 ? f.slice(0, Math.max(4, f.length - 3)) : null;
  }

  // matcher returns the test of a word of the document against the
  // query's terms: same folded form, same stem by the server's French
  // analyzer (docStems, from stems), or the prefix of a prefix* term.
  function matcher(terms, docStems) {
    if (terms.length === 0) return null;
    return (word) => {
      const f = fold(word);
      for (const t of terms) {
        if (f === t.term) return true;
        if (t.exact) continue;
        if (t.prefix) { if (f.startsWith(t.term)) return true; continue; }
        if (!t.stem) continue;
        if (docStems.has(word)) {
          if (docStems.get(word) === t.stem) return true;
        } else if (f.startsWith(t.stem) && f.length - t.stem.length <= 4) {
          return true;
        }
      }
      return false;
    };
  }

  // highlightTerms sets the stem of each plain term and returns the stems
  // of the words of text, both by the server's analyzer.
  async function highlightTerms(terms, text, signal) {
    const plain = terms.filter((t) => !t.prefix && !t.exact);
    if (plain.length === 0) return new Map();
    const words = new Set(plain.map((t) => t.word));
    for (const w of text.match(/[\p{L}\p{N}]+/gu) || []) words.add(w);
    const all = await stems([...words], signal);
    for (const t of plain) {
      t.stem = all.has(t.word) ? all.get(t.word) : guessStem(t.term);
      if (t.stem && t.stem.length < 2) t.stem = null;
    }
    return all;
  }

  // highlighted returns text as DOM nodes, with the words that match
  // wrapped in <mark>; it counts them in counter.n.
  function highlighted(text, match, counter) {
    const frag = document.createDocumentFragment();
    if (!match) { frag.append(document.createTextNode(text)); return frag; }
    const re = /[\p{L}\p{N}]+/gu;
    let last = 0;
    let m;
    while ((m = re.exec(text)) !== null) {
      if (!match(m[0])) continue;
      if (m.index > last) frag.append(document.createTextNode(text.slice(last, m.index)));
      frag.append(el("mark", {}, document.createTextNode(m[0])));
      counter.n++;
      last = m.index + m[0].length;
    }
    if (last < text.length) frag.append(document.createTextNode(text.slice(last)));
    return frag;
  }

  // ---- API ----------------------------------------------------------------

  let inflight = null;

  // api fetches a JSON answer; it throws an Error with a French message for
  // an API error or a network failure.
  async function api(path, signal) {
    let res;
    try {
      res = await fetch(API + path, { signal: signal, headers: { Accept: "application/json" } });
    } catch (e) {
      if (e.name === "AbortError") throw e;
      throw new Error("Le serveur ne répond pas. Vérifiez qu’il est toujours lancé, puis réessayez.");
    }
    let body = null;
    try { body = await res.json(); } catch (_) { body = null; }
    if (!res.ok) {
      const err = new Error(
        (body && body.error && body.error.message) ||
        ("Erreur du serveur (" + res.status + " " + res.statusText + ")."));
      err.status = res.status;
      err.code = body && body.error && body.error.code;
      throw err;
    }
    if (body === null) throw new Error("Réponse illisible du serveur.");
    return body;
  }

  // explain turns an error of api into a French sentence and the server's
  // own words (or ""), and marks the date input at fault.
  function explain(e) {
    const detail = e.status ? e.message : "";
    const param = /^(\w+):/.exec(detail || "");
    if (param && (param[1] === "from" || param[1] === "to")) {
      const input = $(param[1]);
      input.setAttribute("aria-invalid", "true");
      if (/after to/.test(detail)) {
        $("to").setAttribute("aria-invalid", "true");
        return ["La date de début (« " + state.from + " ») est après la date de fin (« " + state.to + " »).", detail];
      }
      const v = param[1] === "from" ? state.from : state.to;
      return [(param[1] === "from" ? "Date de début" : "Date de fin") + " invalide (« " + v +
        " ») : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ, par exemple 2024-06.", detail];
    }
    if (param && param[1] === "page") {
      return ["Page " + state.page + " trop loin : seuls les " + MAX_WINDOW.toLocaleString("fr-FR") +
        " premiers résultats sont paginés. Précisez la recherche, ajoutez un filtre ou changez le tri.", detail];
    }
    const bad = queryProblem(state.q, detail);
    if (bad) {
      $("q").setAttribute("aria-invalid", "true");
      return [bad.message, detail, bad.fixed];
    }
    switch (e.code) {
      case "not_found":
        return [state.doc ? "Ce rapport n’est pas (ou plus) dans l’index." : "Introuvable.", detail];
      case "too_expensive":
        return ["Recherche trop coûteuse : un préfixe trop court ou trop de termes. Précisez la requête.", detail];
      case "too_large":
        return ["Requête trop longue.", detail];
      case "timeout":
        return ["La recherche a pris trop de temps. Précisez la requête ou réessayez.", detail];
      case "unavailable":
      case "canceled":
        return ["Le serveur n’est pas disponible pour le moment. Réessayez.", detail];
      case "bad_request":
        return ["Recherche invalide : vérifiez la requête et les filtres (voir « Syntaxe »).", detail];
    }
    if (e.status >= 500) return ["Erreur interne du serveur (" + e.status + "). Réessayez plus tard.", detail];
    return [e.message, e.status ? detail : ""];
  }

  // QUERY_PROBLEMS says in French what the index's query parser refused;
  // fix, when there is one, returns the query corrected.
  const QUERY_PROBLEMS = [
    [/^unclosed quote$/, () => "guillemet (\") ouvert mais pas fermé", (q) => q + "\""],
    [/^unclosed parenthesis$/, () => "parenthèse ouverte mais pas fermée", (q) => q + ")"],
    [/^unexpected \)$/, () => "parenthèse fermante sans parenthèse ouverte"],
    [/^OR without a term before it$/, () => "OR sans mot avant lui"],
    [/^OR without a term after it$/, () => "OR sans mot après lui"],
    [/^OR next to an excluded term$/, () => "OR à côté d’un mot exclu (-mot) : groupez avec des parenthèses"],
    [/^"(.*)" without a term after it$/, (m) => "« " + m[1] + " » sans mot après"],
    [/^\* after a phrase/, () => "* après une expression : un préfixe est un seul mot (milit*)"],
    [/^\* inside a word/, () => "* au milieu d’un mot : seul le préfixe est possible (milit*)"],
    [/^prefix "(.*)" is shorter than (\d+) (?:characters|letters)$/,
      (m) => "préfixe « " + m[1] + " » trop court (" + m[2] + " lettres au moins avant *)"],
  ];

  // queryProblem reads the server's message about a query it could not
  // parse ("index: bad query: unclosed quote at 1") and returns the French
  // message (with the position in the query), and the corrected query when
  // the correction is certain; null for any other message.
  function queryProblem(q, detail) {
    const m = /bad query: (.+?) \(?at (\d+)\)?$/.exec(detail || "");
    if (!m) return null;
    const reason = m[1];
    for (const [re, say, fix] of QUERY_PROBLEMS) {
      const r = re.exec(reason);
      if (!r) continue;
      return {
        message: "Requête mal formée, caractère " + m[2] + " : " + say(r) + ".",
        fixed: fix ? fix(q) : "",
      };
    }
    return { message: "Requête mal formée, caractère " + m[2] + " (voir « Syntaxe »).", fixed: "" };
  }

  // showError shows msg (and the server's words, detail); fixed is a
  // corrected query offered as a link.
  function showError(msg, detail, fixed) {
    const box = $("error");
    box.replaceChildren();
    if (!msg) { box.hidden = true; return; }
    box.append(el("strong", { text: "Erreur : " }), document.createTextNode(msg));
    if (fixed) {
      const a = el("a", { id: "error-fix", href: stateURL(Object.assign({}, state, { q: fixed, page: 1, doc: "" })) },
        el("code", { text: fixed }));
      a.addEventListener("click", (ev) => {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        refine({ q: fixed });
      });
      box.append(el("span", { class: "fix" }, document.createTextNode(" Rechercher plutôt "), a, document.createTextNode(" ?")));
    }
    if (detail && detail !== msg) box.append(el("small", { class: "detail", text: "Détail : " + detail }));
    box.hidden = false;
  }

  function setBusy(busy) {
    $("main").setAttribute("aria-busy", busy ? "true" : "false");
    document.body.classList.toggle("busy", busy);
  }

  // ---- rendering ----------------------------------------------------------

  function render() {
    if (inflight) inflight.abort();
    inflight = new AbortController();
    const signal = inflight.signal;
    showError("");
    $("from").removeAttribute("aria-invalid");
    $("to").removeAttribute("aria-invalid");
    $("q").removeAttribute("aria-invalid");
    $("q").value = state.q;
    $("from").value = state.from;
    $("to").value = state.to;
    $("sort").value = state.sort;
    // Keep the keyboard focus on the control that was used (a checkbox,
    // a bar) when rendering replaces it by a new one with the same id.
    const focusId = document.activeElement && document.activeElement.id;
    let work;
    if (state.doc) work = renderDocument(signal);
    else if (state.q) work = renderResults(signal);
    else work = renderHome(signal);
    setBusy(true);
    work.catch((e) => {
      if (e.name === "AbortError") return;
      const [msg, detail, fixed] = explain(e);
      showError(msg, detail, fixed);
      if (state.q && !state.doc) {
        $("summary").textContent = "Aucun résultat affiché.";
        for (const id of ["hits", "pages"]) $(id).replaceChildren();
        $("countries").replaceChildren(el("li", { class: "hint", text: "Indisponible." }));
        $("histogram").replaceChildren(el("p", { class: "hint", text: "Indisponible." }));
      }
      if (state.doc) $("doc-title").textContent = e.status === 404 ? "Rapport introuvable" : "Rapport indisponible";
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

  function show(view) {
    $("home-view").hidden = view !== "home";
    $("results-view").hidden = view !== "results";
    $("doc-view").hidden = view !== "doc";
  }

  async function renderHome(signal) {
    show("home");
    document.title = "rapports — recherche";
    const st = await api("stats", signal);
    learnCountries(st.top_countries);
    const parts = [];
    const n = Number(st.documents || 0);
    parts.push(n.toLocaleString("fr-FR") + (n > 1 ? " rapports indexés" : " rapport indexé"));
    if (st.first_date && st.last_date) {
      parts.push("du " + formatDate(st.first_date) + " au " + formatDate(st.last_date));
    }
    $("stats").textContent = parts.join(", ") + "." + (n === 0
      ? " L’index est vide : indexez un dossier de rapports (rapports index DOSSIER), puis rechargez la page."
      : "");
    const box = $("top-countries");
    box.replaceChildren();
    const top = (st.top_countries || []).slice(0, 12);
    if (top.length) {
      const ul = el("ul", { class: "top-countries", "aria-labelledby": "top-title" });
      for (const c of top) {
        ul.append(el("li", {}, el("span", { text: c.name || countryName(c.code) }),
          el("span", { class: "count", text: " " + c.count })));
      }
      box.append(el("h2", { id: "top-title", text: "Pays les plus cités" }), ul);
    }
  }

  // Example links on the home page navigate inside the page.
  for (const a of document.querySelectorAll(".examples a")) {
    a.addEventListener("click", (ev) => {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      refine({ q: new URLSearchParams(a.search).get("q") || "" });
    });
  }

  // dateInterval returns the histogram's interval for a date filter:
  // "month" when both ends are set at most three years apart (a year
  // chosen on the histogram opens on its months), else "" for the
  // server's choice from the span of the whole index.
  function dateInterval(from, to) {
    const month = (d, end) => {
      const m = /^(\d{4})(?:-(\d{2}))?/.exec(d);
      if (!m) return NaN;
      return parseInt(m[1], 10) * 12 + (m[2] ? parseInt(m[2], 10) - 1 : (end ? 11 : 0));
    };
    const n = month(to, true) - month(from, false) + 1;
    return n > 0 && n <= 36 ? "month" : "";
  }

  function searchParams(s) {
    const p = new URLSearchParams();
    p.set("q", s.q);
    for (const c of s.countries) p.append("country", c);
    if (s.from) p.set("from", s.from);
    if (s.to) p.set("to", s.to);
    if (s.sort) p.set("sort", s.sort);
    const interval = dateInterval(s.from, s.to);
    if (interval) p.set("interval", interval);
    p.set("size", String(PAGE_SIZE));
    p.set("page", String(s.page));
    p.set("highlight", "true");
    return p.toString();
  }

  async function renderResults(signal) {
    show("results");
    document.title = state.q + " — rapports";
    renderChips();
    const res = await api("search?" + searchParams(state), signal);
    if (signal.aborted) return;
    learnCountries(res.facets && res.facets.country);
    // The title names the page in the history list and the tabs.
    const n = Number(res.total || 0);
    document.title = state.q + " : " + (n === 0 ? "aucun résultat" : n.toLocaleString("fr-FR") +
      (n > 1 ? " résultats" : " résultat")) + (state.page > 1 ? ", page " + state.page : "") + " — rapports";
    renderSummary(res);
    renderHits(res);
    renderPages(res);
    renderCountries(res.facets ? res.facets.country || [] : []);
    renderHistogram(res.facets ? res.facets.date || [] : []);
    if (Number(res.total || 0) === 0) await renderSuggestions(signal);
  }

  // relaxedQueries returns looser forms of a query: without its quotes,
  // exact: and title:, then its words joined by OR (when it has no
  // operator of its own).
  function relaxedQueries(q) {
    const out = [];
    const add = (x) => {
      x = x.replace(/\s+/g, " ").trim();
      if (x && x !== q.trim() && !out.includes(x)) out.push(x);
    };
    const plain = q.replace(/(^|[\s(+-])(?:exact|title):/g, "$1").replace(/"/g, " ");
    add(plain);
    // Joined by OR, a stop word would find nearly every report.
    const all = plain.split(/\s+/).filter(Boolean);
    const words = all.filter((w) => !STOP.has(fold(w).replace(/^[\p{L}]+['’]/u, "")) && !/^\p{L}+['’]$/u.test(w));
    if (words.length > 1 && !/[()]/.test(plain) &&
      !all.some((w) => /^(?:OR|AND|NOT)$/.test(w) || /^[-+]/.test(w))) add(words.join(" OR "));
    return out;
  }

  // renderSuggestions offers, under a search that found nothing, the
  // same search without its filters and looser forms of the query, with
  // the number of results of each; only those that find something.
  async function renderSuggestions(signal) {
    const count = async (s) => {
      const p = new URLSearchParams(searchParams(Object.assign({}, s, { page: 1 })));
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
    const tries = relaxedQueries(state.q).map((q) => ({ label: q, code: true, next: { q: q } }));
    if (state.countries.length || state.from || state.to) {
      tries.unshift({ label: "« " + state.q + " » sans les filtres", code: false, next: { countries: [], from: "", to: "" } });
    }
    const counts = await Promise.all(tries.map((t) => count(Object.assign({}, state, t.next))));
    if (signal.aborted) return;
    // A looser query finding no more than the one before it adds nothing.
    const found = tries.filter((t, i) => (t.n = counts[i]) > 0 &&
      !(i > 0 && t.code && tries[i - 1].code && counts[i - 1] === t.n));
    if (found.length === 0) return;
    const ul = el("ul", { class: "suggestions", id: "suggestions" });
    for (const t of found) {
      const a = el("a", { href: stateURL(Object.assign({}, state, t.next, { page: 1, doc: "" })) },
        t.code ? el("code", { text: t.label }) : document.createTextNode(t.label));
      a.addEventListener("click", (ev) => {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        refine(t.next);
      });
      ul.append(el("li", {}, a, el("span", { class: "count",
        text: " : " + t.n.toLocaleString("fr-FR") + (t.n > 1 ? " résultats" : " résultat") })));
    }
    $("hits").querySelector(".empty").append(el("p", { text: "Essayez plutôt :" }), ul);
  }

  function renderSummary(res) {
    const n = Number(res.total || 0);
    const took = Number(res.took_ms || 0);
    const tookText = took < 1 ? "moins d’1 ms" : took.toLocaleString("fr-FR", { maximumFractionDigits: 0 }) + " ms";
    let text;
    if (n === 0) text = "Aucun résultat";
    else if (n === 1) text = "1 résultat";
    else text = n.toLocaleString("fr-FR") + " résultats";
    if (n > 0 && state.page > 1) text += ", page " + state.page;
    $("summary").replaceChildren(
      el("span", { id: "total", "data-total": String(n), text: text }),
      // The time is for the eyes: the live region reads out the count only.
      el("span", { class: "took", "aria-hidden": "true", text: " (" + tookText + ")" }));
  }

  function docHref(id) {
    const qs = stateQuery(Object.assign({}, state, { doc: id }), true);
    return location.pathname + "?" + qs;
  }

  function renderHits(res) {
    const ol = $("hits");
    ol.replaceChildren();
    const hits = res.hits || [];
    ol.start = (state.page - 1) * PAGE_SIZE + 1;
    const total = Number(res.total || 0);
    if (hits.length === 0 && total > 0) {
      // A page past the last one (an old link, a hand-edited URL).
      const last = lastPage(total);
      ol.append(el("li", { class: "empty" },
        el("p", { text: "La page " + state.page + " est au-delà des résultats : ils tiennent en " +
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
      const link = el("a", { href: docHref(h.id), class: "doc-link", "data-id": h.id },
        h.title ? markedNodes(h.title) : document.createTextNode(h.id));
      link.addEventListener("click", (ev) => {
        if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
        ev.preventDefault();
        navigate({ doc: h.id }, false, { fromResults: true });
      });
      const meta = el("p", { class: "meta-line" });
      if (h.date) meta.append(el("time", { datetime: h.date, text: formatDate(h.date) }));
      const names = (h.countries || []).map(countryName);
      if (names.length) {
        const shown = names.slice(0, 6).join(", ") + (names.length > 6 ? " +" + (names.length - 6) : "");
        meta.append(el("span", { class: "countries-line", text: shown }));
      }
      if (h.source) meta.append(el("span", { class: "source", text: decodeEntities(h.source) }));
      const li = el("li", { class: "hit" }, el("h2", {}, link), meta);
      for (const f of (h.fragments || []).slice(0, 3)) {
        li.append(el("p", { class: "fragment" }, markedNodes(f)));
      }
      ol.append(li);
    }
  }

  // lastPage is the last page of total results that the server pages.
  function lastPage(total) {
    return Math.max(1, Math.min(Math.ceil(total / PAGE_SIZE), Math.floor(MAX_WINDOW / PAGE_SIZE)));
  }

  function pageLink(page, label, aria, current, id) {
    if (current) return el("span", { class: "page current", "aria-current": "page", text: label });
    const a = el("a", { class: "page", id: id, href: stateURL(Object.assign({}, state, { page: page, doc: "" })), text: label });
    if (aria) a.setAttribute("aria-label", aria);
    a.addEventListener("click", (ev) => {
      if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
      ev.preventDefault();
      navigate({ page: page });
      $("main").focus();
      window.scrollTo(0, 0);
    });
    return a;
  }

  // pagesNote says, from the last page on, why the pages stop when the
  // results go beyond those the server pages; "" otherwise.
  function pagesNote(total, page) {
    const last = lastPage(total);
    if (total <= MAX_WINDOW || page < last) return "";
    return "Les pages s’arrêtent aux " + MAX_WINDOW.toLocaleString("fr-FR") + " premiers des " +
      total.toLocaleString("fr-FR") + " résultats : précisez la recherche, ajoutez un filtre ou changez le tri pour voir les autres.";
  }

  function renderPages(res) {
    const nav = $("pages");
    nav.replaceChildren();
    const total = Number(res.total || 0);
    const last = lastPage(total);
    if (last <= 1 && state.page <= 1) return;
    const cur = state.page;
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
    const note = pagesNote(total, cur);
    if (note) nav.append(el("p", { class: "hint", id: "pages-note", text: note }));
  }

  function renderCountries(facet) {
    const ul = $("countries");
    ul.replaceChildren();
    // The ticked countries come first, by count, then the others; a ticked
    // country the facet lacks is listed without a count.
    const ticked = state.countries.map((c) => facet.find((r) => r.code === c) ||
      { code: c, name: countryName(c), count: null });
    ticked.sort((a, b) => (b.count || 0) - (a.count || 0));
    const rows = ticked.concat(facet.filter((r) => !state.countries.includes(r.code)));
    if (rows.length === 0) {
      ul.append(el("li", { class: "hint", text: "Aucun pays cité." }));
      return;
    }
    for (const c of rows) {
      const id = "country-" + c.code;
      const checked = state.countries.includes(c.code);
      const box = el("input", { type: "checkbox", id: id, value: c.code, checked: checked });
      box.addEventListener("change", () => {
        const set = state.countries.filter((x) => x !== c.code);
        if (box.checked) set.push(c.code);
        refine({ countries: set });
      });
      const label = el("label", { for: id },
        el("span", { class: "name", text: c.name || countryName(c.code) }),
        el("span", { class: "count", text: c.count === null ? "" : String(c.count) }));
      ul.append(el("li", { class: checked ? "checked" : "" }, box, label));
    }
  }

  // On a narrow screen the filters fold away under a "Filtres" toggle,
  // unfolded when a filter is active; the user's choice stands until the
  // number of active filters changes.
  const narrow = window.matchMedia("(max-width: 760px)");
  let activeFilters = -1;
  function foldFilters(force) {
    const n = state.countries.length + (state.from ? 1 : 0) + (state.to ? 1 : 0);
    $("filters-summary").textContent = n ? "Filtres (" + n + (n > 1 ? " actifs)" : " actif)") : "Filtres";
    if (n !== activeFilters || force === true) $("filters").open = !narrow.matches || n > 0;
    activeFilters = n;
  }
  narrow.addEventListener("change", () => foldFilters(true));
  $("filters").addEventListener("toggle", () => {
    if (!narrow.matches && !$("filters").open) $("filters").open = true;
  });

  function renderChips() {
    foldFilters();
    const ul = $("chips");
    ul.replaceChildren();
    const chips = [];
    for (const c of state.countries) {
      chips.push([countryName(c), () => refine({ countries: state.countries.filter((x) => x !== c) })]);
    }
    if (state.from && state.to && state.from === state.to) {
      chips.push([formatDate(state.from), () => refine({ from: "", to: "" })]);
    } else {
      if (state.from) chips.push(["depuis " + formatDate(state.from), () => refine({ from: "" })]);
      if (state.to) chips.push(["jusqu’à " + formatDate(state.to), () => refine({ to: "" })]);
    }
    $("chips-box").hidden = chips.length === 0;
    // On paper, with the filters column left out, a line says what was
    // searched.
    $("print-query").textContent = "Recherche « " + state.q + " »" +
      (chips.length ? ", " + chips.map(([label]) => label).join(", ") : "") +
      (state.sort === "-date" ? ", récents d’abord" : state.sort === "date" ? ", anciens d’abord" : "") + ".";
    chips.forEach(([label, remove], i) => {
      ul.append(el("li", {}, el("button", {
        type: "button", class: "chip", id: "chip-" + i, "aria-label": "Retirer le filtre " + label, onclick: remove,
      }, el("span", { text: label }), el("span", { class: "x", "aria-hidden": "true", text: "×" }))));
    });
    if (chips.length > 1) {
      ul.append(el("li", {}, el("button", {
        type: "button", class: "chip clear", id: "chip-clear", text: "Tout effacer",
        onclick: () => refine({ countries: [], from: "", to: "" }),
      })));
    }
  }

  // ---- date histogram -----------------------------------------------------

  let drag = null;
  let suppressClick = false;

  // histFocus is the period of the bar last focused: the histogram's one
  // stop for Tab, kept across renders.
  let histFocus = "";

  function renderHistogram(facet) {
    const box = $("histogram");
    box.replaceChildren();
    const bars = fillPeriods(facet);
    if (bars.length === 0) {
      box.append(el("p", { class: "hint", text: "Aucune date." }));
      return;
    }
    const max = Math.max(1, ...bars.map((b) => b.count));
    const monthly = bars[0].period.length === 7;
    const row = el("div", { class: "bars" });
    bars.forEach((b, i) => {
      const label = (monthly ? periodLabel(b.period, false) : b.period) + " : " +
        b.count + (b.count > 1 ? " rapports" : " rapport") +
        (inRange(b.period, state.from, state.to) ? " (période choisie)" : "");
      const btn = el("button", {
        type: "button", id: "bar-" + b.period,
        class: "bar" + (inRange(b.period, state.from, state.to) ? " selected" : ""),
        "data-period": b.period, "data-index": String(i), "aria-label": label, title: label,
      }, el("span", { class: "fill" }));
      btn.firstChild.style.height = Math.max(b.count ? 4 : 1, Math.round(100 * b.count / max)) + "%";
      btn.addEventListener("click", () => {
        if (suppressClick) { suppressClick = false; return; }
        refine({ from: b.period, to: b.period });
      });
      btn.addEventListener("pointerdown", (ev) => {
        if (ev.button !== 0) return;
        // A touch captures the pointer: release it, so that the bars under
        // the finger get their pointerenter.
        if (btn.hasPointerCapture(ev.pointerId)) btn.releasePointerCapture(ev.pointerId);
        drag = { start: i, end: i, bars: bars };
        paintDrag();
      });
      btn.addEventListener("pointerenter", () => {
        histInfo(drag ? null : label);
        if (!drag) return;
        drag.end = i;
        paintDrag();
      });
      btn.addEventListener("pointerleave", () => { if (!drag) histInfo(""); });
      btn.addEventListener("focus", () => { histFocus = b.period; histInfo(label); });
      btn.addEventListener("blur", () => histInfo(""));
      row.append(btn);
    });
    // One Tab stop for all the bars (the last focused, else the first
    // chosen, else the first); the arrows, Home and End move along them.
    const buttons = [...row.children];
    let stop = bars.findIndex((b) => b.period === histFocus);
    if (stop < 0) stop = Math.max(0, buttons.findIndex((x) => x.classList.contains("selected")));
    buttons.forEach((x, i) => { x.tabIndex = i === stop ? 0 : -1; });
    row.addEventListener("keydown", (ev) => {
      const i = buttons.indexOf(document.activeElement);
      if (i < 0 || ev.altKey || ev.ctrlKey || ev.metaKey) return;
      const to = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: buttons.length - 1 }[ev.key];
      if (to === undefined) return;
      ev.preventDefault();
      const next = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
      for (const x of buttons) x.tabIndex = x === next ? 0 : -1;
      next.focus();
    });
    const axis = el("div", { class: "axis", "aria-hidden": "true" });
    for (const text of axisLabels(bars.map((b) => b.period))) axis.append(el("span", { text: text }));
    box.append(row, axis);
  }

  // axisLabels returns the label under each bar of the histogram ("" for
  // none): the years when months are many, else every few bars, few enough
  // that they do not run into each other in the narrow filter column (a
  // month's label, "janv. 24", is as wide as three bars of twelve).
  function axisLabels(periods) {
    const monthly = periods.length > 0 && periods[0].length === 7;
    const every = Math.max(1, Math.ceil(periods.length / (monthly ? 4 : 6)));
    const byYear = monthly && periods.length > 12;
    const yearStep = Math.max(1, Math.ceil(periods.length / 12 / 4));
    return periods.map((p, i) => {
      if (byYear) {
        const y = parseInt(p.slice(0, 4), 10);
        const month = parseInt(p.slice(5), 10);
        // The first bar tells where the axis starts, when there is room.
        if (i === 0 && month > 1 && month <= 9) return periodLabel(p, true);
        return month === 1 && y % yearStep === 0 ? String(y) : "";
      }
      if (i % every !== 0) return "";
      return monthly ? periodLabel(p, true) : p;
    });
  }

  const HIST_HINT = "Cliquez une barre ou faites glisser sur plusieurs.";

  // histInfo shows what the pointer or the focus is on, or the hint.
  function histInfo(text) {
    if (text === null) return;
    $("hist-info").textContent = text || HIST_HINT;
  }

  function paintDrag() {
    if (!drag) return;
    const lo = Math.min(drag.start, drag.end);
    const hi = Math.max(drag.start, drag.end);
    if (lo !== hi) {
      const n = drag.bars.slice(lo, hi + 1).reduce((a, b) => a + b.count, 0);
      histInfo(periodLabel(drag.bars[lo].period, false) + " – " + periodLabel(drag.bars[hi].period, false) +
        " : " + n + (n > 1 ? " rapports" : " rapport"));
    }
    for (const b of $("histogram").querySelectorAll(".bar")) {
      const i = parseInt(b.dataset.index, 10);
      b.classList.toggle("dragging", i >= lo && i <= hi);
    }
  }

  window.addEventListener("pointerup", () => {
    if (!drag) return;
    const d = drag;
    drag = null;
    if (d.start === d.end) {
      for (const b of $("histogram").querySelectorAll(".dragging")) b.classList.remove("dragging");
      return; // a plain click: the click handler filters on the bar
    }
    suppressClick = true;
    setTimeout(() => { suppressClick = false; }, 0);
    const lo = Math.min(d.start, d.end);
    const hi = Math.max(d.start, d.end);
    refine({ from: d.bars[lo].period, to: d.bars[hi].period });
  });

  // ---- document view ------------------------------------------------------

  async function renderDocument(signal) {
    show("doc");
    const back = $("back");
    const resultsState = Object.assign({}, state, { doc: "" });
    back.href = stateURL(resultsState);
    back.textContent = state.q ? "← Retour aux résultats" : "← Retour à la recherche";
    $("doc-title").textContent = "Chargement…";
    $("doc-meta").replaceChildren();
    $("doc-body").replaceChildren();
    $("doc-marks").textContent = "";
    $("doc-nav").hidden = true;
    docMarks = [];
    const terms = queryTerms(state.q);
    const d = await api("documents/" + encodeURIComponent(state.doc), signal);
    if (signal.aborted) return;
    const docStems = await highlightTerms(terms, (d.title || "") + " " + (d.body || ""), signal);
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
    row("Identifiant", el("code", { text: d.id }));

    const match = matcher(terms, docStems);
    const counter = { n: 0 };
    $("doc-title").replaceChildren(highlighted(d.title || d.id, match, counter));
    const body = $("doc-body");
    const paras = String(d.body || "").split(/\n\s*\n/);
    for (const para of paras) {
      if (!para.trim()) continue;
      const p = el("p");
      const lines = para.split("\n");
      lines.forEach((line, i) => {
        if (i > 0) p.append(el("br"));
        p.append(highlighted(line, match, counter));
      });
      body.append(p);
    }
    if (match) {
      $("doc-marks").textContent = counter.n === 0
        ? "Les termes de la recherche n’apparaissent pas tels quels dans ce texte."
        : counter.n + (counter.n > 1 ? " occurrences surlignées" : " occurrence surlignée") +
          " pour « " + state.q + " ».";
    }
    // Buttons to go from one highlighted word to the next, in a long text.
    docMarks = [...body.querySelectorAll("mark")];
    markAt = -1;
    $("mark-at").textContent = "";
    $("doc-nav").hidden = docMarks.length < 2;
    // Show the first highlighted word when it is below the fold.
    const first = body.querySelector("mark");
    $("main").focus({ preventScroll: true });
    window.scrollTo(0, 0);
    if (first && first.getBoundingClientRect().bottom > window.innerHeight) first.scrollIntoView({ block: "center" });
  }

  // docMarks are the highlighted words of the document shown; markAt is
  // the one the occurrence buttons went to (-1 before the first use).
  let docMarks = [];
  let markAt = -1;

  // goToMark shows the highlighted word step places from the current one,
  // going round at either end.
  function goToMark(step) {
    if (docMarks.length === 0) return;
    if (markAt >= 0) docMarks[markAt].classList.remove("current");
    markAt = markAt < 0 && step < 0 ? docMarks.length - 1 : (markAt + step + docMarks.length) % docMarks.length;
    const m = docMarks[markAt];
    m.classList.add("current");
    m.scrollIntoView({ block: "center" });
    $("mark-at").textContent = "Occurrence " + (markAt + 1) + " sur " + docMarks.length + " : « " + m.textContent + " ».";
  }
  $("mark-prev").addEventListener("click", () => goToMark(-1));
  $("mark-next").addEventListener("click", () => goToMark(1));

  // ---- events -------------------------------------------------------------

  // The skip links move the focus without touching the URL: a #fragment
  // would add a history entry and search again. "Aller aux résultats"
  // falls back on the content when no results are shown.
  for (const a of document.querySelectorAll("a.skip")) {
    a.addEventListener("click", (ev) => {
      ev.preventDefault();
      let target = document.getElementById(a.getAttribute("href").slice(1));
      if (!target || target.closest("[hidden]")) target = $("main");
      target.focus({ preventScroll: true });
      target.scrollIntoView({ block: "start" });
    });
  }

  $("search").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const q = $("q").value.trim();
    if (!q) { navigate({ q: "", doc: "", page: 1 }); return; }
    refine({ q: q });
  });

  $("dates").addEventListener("submit", (ev) => {
    ev.preventDefault();
    refine({ from: isoDate($("from").value), to: isoDate($("to").value) });
  });

  // The arrow keys change a closed <select> one option at a time, each
  // firing "change": a change by the keyboard is applied once the keys
  // rest (or at Enter, or when the focus leaves), so that going through
  // an option neither searches nor adds a history entry.
  let sortTimer = 0;
  let sortByKey = false;
  function applySort() {
    clearTimeout(sortTimer);
    sortTimer = 0;
    if ($("sort").value !== state.sort) refine({ sort: $("sort").value });
  }
  $("sort").addEventListener("keydown", (ev) => {
    if (ev.key === "Enter" && sortTimer) { applySort(); return; }
    sortByKey = true;
    setTimeout(() => { sortByKey = false; }, 0);
  });
  // A country missing from the facet, typed by name or code.
  $("country-add").addEventListener("focus", () => {
    const list = $("country-list");
    if (list.childElementCount) return;
    for (const [code, name] of allCountries()) list.append(el("option", { value: name, label: code }));
  });
  $("country-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const input = $("country-add");
    const code = countryCode(input.value);
    if (!code) {
      input.setAttribute("aria-invalid", "true");
      $("country-add-help").textContent = input.value.trim()
        ? "Pays inconnu : « " + input.value.trim() + " ». Écrivez son nom (Mali) ou son code (ML)."
        : "Écrivez le nom d’un pays (Mali) ou son code (ML).";
      return;
    }
    input.removeAttribute("aria-invalid");
    input.value = "";
    $("country-add-help").textContent = "Un pays absent de la liste, par son nom ou son code.";
    if (!state.countries.includes(code)) refine({ countries: state.countries.concat(code) });
  });

  $("sort").addEventListener("change", () => {
    if (!sortByKey) { applySort(); return; }
    clearTimeout(sortTimer);
    sortTimer = setTimeout(applySort, 700);
  });
  $("sort").addEventListener("blur", () => { if (sortTimer) applySort(); });

  $("back").addEventListener("click", (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    if (history.state && history.state.fromResults) history.back();
    else navigate({ doc: "" });
  });

  $("home").addEventListener("click", (ev) => {
    if (ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    navigate({ q: "", countries: [], from: "", to: "", sort: "relevance", page: 1, doc: "" });
    $("q").focus();
  });

  window.addEventListener("popstate", () => {
    state = readState();
    render();
  });

  // The page's pure functions, for its tests.
  window.rapportsPage = Object.freeze({ formatDate, isoDate, fillPeriods, queryTerms, markedNodes, inRange, queryProblem, dateInterval, axisLabels, relaxedQueries, pagesNote, countryCode });

  render();
  if (!state.q && !state.doc) $("q").focus();
})();
