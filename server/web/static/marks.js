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
  const offsets = [...new Set(want.flat())].sort((x, y) => x - y);
  const at = new Map();
  let byte = 0;
  let i = 0;
  for (let k = 0; k < offsets.length;) {
    if (offsets[k] <= byte || i >= text.length) { at.set(offsets[k], i); k++; continue; }
    const cp = text.codePointAt(i);
    byte += utf8Length(cp);
    i += cp > 0xffff ? 2 : 1;
  }
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
// (from matchRanges) in <mark>; counter.n, when given, counts the marks.
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
    frag.append(el("mark", {}, document.createTextNode(text.slice(s, e))));
    if (counter) counter.n++;
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
  const ranges = matchRanges(s, spans);
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
  let from = 0;
  for (const m of s.matchAll(/\n\s*\n/g)) {
    para(from, m.index);
    from = m.index + m[0].length;
  }
  para(from, s.length);
  return frag;
}
