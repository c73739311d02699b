// highlight: the words of a query highlighted in the text of a document,
// and the server's <mark> HTML of titles and snippets turned into nodes
// without parsing it as HTML.

import { el, fold } from "./dom.js";
import { api } from "./api.js";

// STOP are the words not worth highlighting in a document (the index
// ignores them too).
export const STOP = new Set(("a au aux avec ce ces cet cette d dans de des du elle en est et il ils " +
  "je l la le les leur lui m ma mais me mes n ne nous on ou par pas pour qu que qui s sa se " +
  "ses son sur t ta te tu un une vous y or and").split(" "));

const ENTITIES = { amp: "&", lt: "<", gt: ">", quot: "\"", apos: "'", nbsp: "\u00a0" };

export function decodeEntities(s) {
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
export function markedNodes(html) {
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


// queryTerms extracts from the user's query the words to highlight in a
// document: not the excluded ones, not the operators, not the stop words.
export function queryTerms(q) {
  const terms = [];
  const re = /(-|\+)?(\(*)((?:[\p{L}\p{N}_]+:)*)(?:"([^"]*)"?(?:~\d+)?|([^\s"()]+))(\)*)/gu;
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
export function matcher(terms, docStems) {
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
export async function highlightTerms(terms, text, signal) {
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
export function highlighted(text, match, counter) {
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

