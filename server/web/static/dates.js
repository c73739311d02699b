// dates: dates read and written the French way.

import { fold } from "./dom.js";

const MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet",
  "août", "septembre", "octobre", "novembre", "décembre"];
const MONTHS_SHORT = ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.",
  "août", "sept.", "oct.", "nov.", "déc."];

// formatDate turns "2024", "2024-06" or "2024-06-15" into French.
export function formatDate(d) {
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

// periodLabel names a month "2024-06" ("juin 2024", short "juin 24");
// any other period as is.
export function periodLabel(p, short) {
  const m = /^(\d{4})-(\d{2})$/.exec(p);
  if (!m) return p;
  const i = parseInt(m[2], 10) - 1;
  return short ? MONTHS_SHORT[i] + " " + m[1].slice(2) : MONTHS[i] + " " + m[1];
}

// isoDate reads a date typed in the from/to inputs: ISO ("2024",
// "2024-06", "2024-06-15"), French numeric ("15/06/2024", "06/2024") or
// French words ("juin 2024", "1er juin 2024"). Anything else is returned
// as typed, for the server to refuse with its reason.
export function isoDate(s) {
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

// dateInterval returns the histogram's interval for a date filter:
// "month" when both ends are set at most three years apart (a year
// chosen on the histogram opens on its months), else "" for the
// server's choice from the span of the whole index.
export function dateInterval(from, to) {
  const month = (d, end) => {
    const m = /^(\d{4})(?:-(\d{2}))?/.exec(d);
    if (!m) return NaN;
    return parseInt(m[1], 10) * 12 + (m[2] ? parseInt(m[2], 10) - 1 : (end ? 11 : 0));
  };
  const n = month(to, true) - month(from, false) + 1;
  return n > 0 && n <= 36 ? "month" : "";
}
