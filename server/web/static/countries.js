// countries: country names in French, from the server's answers and the
// browser's.

import { fold } from "./dom.js";

// names are the names the server gave, by code.
const names = new Map();

const displayNames = (() => {
  try { return new Intl.DisplayNames(["fr"], { type: "region" }); } catch (_) { return null; } // old browser
})();

// learnCountries keeps the names of a list of {code, name}.
export function learnCountries(list) {
  for (const c of list || []) if (c && c.code && c.name) names.set(c.code, c.name);
}

// countryName names a country code: the server's name, else the
// browser's, else the code.
export function countryName(code) {
  if (names.has(code)) return names.get(code);
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
export function allCountries() {
  const out = new Map(names);
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
export function countryCode(text) {
  const key = (s) => fold(s).replace(/[^a-z]/g, "");
  const k = key(text || "");
  if (!k) return "";
  for (const [code, name] of allCountries()) {
    if (k === code.toLowerCase() && /^\s*[a-z]{2}\s*$/i.test(text)) return code;
    if (key(name) === k) return code;
  }
  return "";
}
