// marks: text with the matches the server found in it, as DOM nodes: the
// text as text nodes, each match in a <mark>. The server gives matches as
// [start, end) byte offsets into the UTF-8 text; JavaScript indexes
// strings in UTF-16 code units, so the offsets are converted first.

import { el } from "./dom.js";

// utf8Length is the number of UTF-8 bytes of code point cp (a lone
// surrogate is 3, as the replacement character it becomes).
function utf8Length(cp) {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

// utf16Offsets maps byte offsets into text's UTF-8 to UTF-16 offsets of
// text (a Map from each byte offset given): an offset inside a character
// moves to the character's end, an offset past the text to its end.
export function utf16Offsets(text, byteOffsets) {
  const offsets = [...new Set(byteOffsets)].sort((x, y) => x - y);
  const at = new Map();
  let byte = 0;
  let i = 0;
  for (let k = 0; k < offsets.length;) {
    if (offsets[k] <= byte || i >= text.length) { at.set(offsets[k], i); k++; continue; }
    const cp = text.codePointAt(i);
    byte += utf8Length(cp);
    i += cp > 0xffff ? 2 : 1;
  }
  return at;
}

// matchRanges converts spans ({start, end}, byte offsets into text's
// UTF-8) into [start, end) UTF-16 ranges of text, sorted, overlaps merged.
// An offset inside a character moves to the character's end, an offset
// past the text to its end; a span that is not two integers
// 0 <= start < end is left out.
export function matchRanges(text, spans) {
  const want = [];
  for (const s of spans || []) {
    const a = s && s.start;
    const b = s && s.end;
    if (Number.isInteger(a) && Number.isInteger(b) && a >= 0 && a < b) want.push([a, b]);
  }
  if (want.length === 0) return [];
  const at = utf16Offsets(text, want.flat());
  const ranges = want.map(([a, b]) => [at.get(a), at.get(b)]).filter(([a, b]) => a < b)
    .sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const out = [];
  for (const r of ranges) {
    const last = out[out.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else out.push(r);
  }
  return out;
}

// markedSlice returns text[from, to) as nodes, the parts inside ranges
// (from matchRanges) in <mark>; counter.n, when given, counts the matches.
// A match cut by a line or page break is in several marks, all with
// data-m (the match's index in ranges): the first counts, the others have
// class "cont".
export function markedSlice(text, ranges, from, to, counter) {
  const frag = document.createDocumentFragment();
  // The first range that ends after from.
  let lo = 0;
  let hi = ranges.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ranges[mid][1] <= from) lo = mid + 1; else hi = mid;
  }
  let pos = from;
  for (let k = lo; k < ranges.length && ranges[k][0] < to; k++) {
    const s = Math.max(ranges[k][0], from);
    const e = Math.min(ranges[k][1], to);
    if (s > pos) frag.append(document.createTextNode(text.slice(pos, s)));
    const first = s === ranges[k][0];
    const cut = !first || e < ranges[k][1];
    const attrs = cut ? { "data-m": String(k), class: first ? undefined : "cont" } : {};
    frag.append(el("mark", attrs, document.createTextNode(text.slice(s, e))));
    if (counter && first) counter.n++;
    pos = e;
  }
  if (pos < to) frag.append(document.createTextNode(text.slice(pos, to)));
  return frag;
}

// markedText returns text as nodes, its matches (spans, byte offsets) in
// <mark>.
export function markedText(text, spans, counter) {
  const s = String(text || "");
  return markedSlice(s, matchRanges(s, spans), 0, s.length, counter);
}

// markedParagraphs returns text as paragraphs (<p>, at blank lines; a line
// break inside one is a <br>), its matches (spans, byte offsets into the
// whole text) in <mark>; counter.n counts the marks.
export function markedParagraphs(text, spans, counter) {
  const s = String(text || "");
  return paragraphs(s, matchRanges(s, spans), 0, s.length, counter);
}

// markedPages returns text as markedParagraphs does, cut into the pages of
// a paged document (a PDF): pageStarts are the byte offsets of the pages
// in text, the first being page firstPage. Each page is a <section
// class="pdf-page" id="pN" data-page="N"> that opens with a
// <p class="page-break">Page N</p>; a match that crosses a page start is
// cut there (one mark on each side, counted once: see markedSlice).
// Without pages, markedParagraphs.
export function markedPages(text, spans, pageStarts, firstPage, counter) {
  const s = String(text || "");
  const starts = (pageStarts || []).filter((b) => Number.isInteger(b) && b >= 0);
  if (!(firstPage >= 1) || starts.length === 0) return markedParagraphs(s, spans, counter);
  const ranges = matchRanges(s, spans);
  const at = utf16Offsets(s, starts);
  const frag = document.createDocumentFragment();
  starts.forEach((b, k) => {
    const from = at.get(b);
    const to = k + 1 < starts.length ? at.get(starts[k + 1]) : s.length;
    const n = firstPage + k;
    const page = el("section", { class: "pdf-page", id: "p" + n, "data-page": String(n) },
      el("p", { class: "page-break", text: "Page " + n }));
    page.append(paragraphs(s, ranges, from, Math.max(from, to), counter));
    frag.append(page);
  });
  return frag;
}

// paragraphs returns s[from, to) as <p> (at blank lines; <br> at a line
// break), the parts inside ranges in <mark>.
function paragraphs(s, ranges, from0, to0, counter) {
  const frag = document.createDocumentFragment();
  const para = (from, to) => {
    if (!s.slice(from, to).trim()) return;
    const p = el("p");
    let start = from;
    for (;;) {
      const nl = s.indexOf("\n", start);
      const end = nl < 0 || nl >= to ? to : nl;
      if (start > from) p.append(el("br"));
      p.append(markedSlice(s, ranges, start, end, counter));
      if (end === to) break;
      start = end + 1;
    }
    frag.append(p);
  };
  let from = from0;
  const blank = /\n\s*\n/g;
  blank.lastIndex = from0;
  for (let m = blank.exec(s); m && m.index < to0; m = blank.exec(s)) {
    para(from, Math.min(m.index, to0));
    from = m.index + m[0].length;
  }
  if (from < to0) para(from, to0);
  return frag;
}
