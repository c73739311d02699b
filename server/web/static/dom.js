// dom: the page's small DOM helpers. Text from documents is only ever
// inserted as text nodes (el's "text" attribute, append of strings).

// $ returns the element of the page with this id.
export const $ = (id) => document.getElementById(id);

// el builds an element: attrs sets its attributes ("class", "text" for
// its text, true for an empty attribute; undefined, null and false are
// left out), kids are appended (strings as text).
export function el(tag, attrs, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") e.className = v;
    else if (k === "text") e.textContent = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids) {
    if (kid === null || kid === undefined) continue;
    e.append(kid);
  }
  return e;
}

// isPlainClick says whether a click is the page's to handle: the main
// button without a modifier. Any other (a new tab, a new window, a
// download) is left to the browser.
export function isPlainClick(ev) {
  return ev.button === 0 && !ev.metaKey && !ev.ctrlKey && !ev.shiftKey && !ev.altKey;
}

// fold lowercases s and takes its accents off, to compare the names the
// user types with those the page lists (countries, months): "Œuvre" →
// "oeuvre". Query words are the server's business, never folded here.
export function fold(s) {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
    .replace(/œ/g, "oe").replace(/æ/g, "ae");
}
