// histogram: the reports by period, as bars to click (one period) or drag
// over (a range), and to go along with the arrow keys.

import { $, el } from "./dom.js";
import { onAction } from "./actions.js";
import { periodLabel } from "./dates.js";
import { state, refine } from "./state.js";

const HIST_HINT = "Cliquez une barre ou faites glisser sur plusieurs.";

// fillPeriods returns the periods from the first to the last of list, with
// the missing ones counted 0, so the histogram shows time to scale.
export function fillPeriods(list) {
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
export function inRange(p, from, to) {
  if (!from && !to) return false;
  const cut = (a, b) => [a.slice(0, Math.min(a.length, b.length)), b.slice(0, Math.min(a.length, b.length))];
  if (from) { const [x, y] = cut(p, from); if (x < y) return false; }
  if (to) { const [x, y] = cut(p, to); if (x > y) return false; }
  return true;
}

// axisLabels returns the label under each bar of the histogram ("" for
// none): the years when months are many, else every few bars, few enough
// that they do not run into each other in the narrow filter column (a
// month's label, "janv. 24", is as wide as three bars of twelve).
export function axisLabels(periods) {
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

// renderHistogram shows the date facet of a search.
export function renderHistogram(facet) {
  const s = state();
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
    const chosen = inRange(b.period, s.from, s.to);
    const label = (monthly ? periodLabel(b.period, false) : b.period) + " : " +
      b.count + (b.count > 1 ? " rapports" : " rapport") + (chosen ? " (période choisie)" : "");
    const btn = el("button", {
      type: "button", id: "bar-" + b.period, class: "bar" + (chosen ? " selected" : ""), "data-action": "period",
      "data-period": b.period, "data-index": String(i), "data-count": String(b.count), "aria-label": label, title: label,
    }, el("span", { class: "fill" }));
    btn.firstChild.style.height = Math.max(b.count ? 4 : 1, Math.round(100 * b.count / max)) + "%";
    row.append(btn);
  });
  // One Tab stop for all the bars (the last focused, else the first
  // chosen, else the first); the arrows, Home and End move along them.
  const buttons = [...row.children];
  let stop = bars.findIndex((b) => b.period === box.dataset.focus);
  if (stop < 0) stop = Math.max(0, buttons.findIndex((x) => x.classList.contains("selected")));
  buttons.forEach((x, i) => { x.tabIndex = i === stop ? 0 : -1; });
  const axis = el("div", { class: "axis", "aria-hidden": "true" });
  for (const text of axisLabels(bars.map((b) => b.period))) axis.append(el("span", { text: text }));
  box.append(row, axis);
}

// histInfo shows what the pointer or the focus is on, or the hint.
function histInfo(text) {
  $("hist-info").textContent = text || HIST_HINT;
}

// gesture is the drag in progress over the bars ({start, end}, indexes of
// bars), and whether the click that ends a drag is to be ignored.
const gesture = { drag: null, suppressClick: false };

function barsShown() {
  return [...$("histogram").querySelectorAll(".bar")];
}

function paintDrag() {
  const d = gesture.drag;
  if (!d) return;
  const lo = Math.min(d.start, d.end);
  const hi = Math.max(d.start, d.end);
  const all = barsShown();
  if (lo !== hi) {
    const n = all.slice(lo, hi + 1).reduce((a, b) => a + parseInt(b.dataset.count, 10), 0);
    histInfo(periodLabel(all[lo].dataset.period, false) + " – " + periodLabel(all[hi].dataset.period, false) +
      " : " + n + (n > 1 ? " rapports" : " rapport"));
  }
  for (const b of all) {
    const i = parseInt(b.dataset.index, 10);
    b.classList.toggle("dragging", i >= lo && i <= hi);
  }
}

// installHistogram sets up the histogram's events, once: they are
// delegated to its box, whose bars each search replaces.
export function installHistogram() {
  const box = $("histogram");
  const barOf = (node) => (node instanceof Element ? node.closest("#histogram .bar") : null);
  onAction("period", (bar) => {
    if (gesture.suppressClick) { gesture.suppressClick = false; return; }
    refine({ from: bar.dataset.period, to: bar.dataset.period });
  });
  box.addEventListener("pointerdown", (ev) => {
    const bar = barOf(ev.target);
    if (!bar || ev.button !== 0) return;
    // A touch captures the pointer: release it, so that the bars under
    // the finger get their pointerover.
    if (ev.target.hasPointerCapture(ev.pointerId)) ev.target.releasePointerCapture(ev.pointerId);
    const i = parseInt(bar.dataset.index, 10);
    gesture.drag = { start: i, end: i };
    paintDrag();
  });
  box.addEventListener("pointerover", (ev) => {
    const bar = barOf(ev.target);
    if (!bar || bar.contains(ev.relatedTarget)) return; // moving inside the bar
    if (!gesture.drag) { histInfo(bar.getAttribute("aria-label")); return; }
    gesture.drag.end = parseInt(bar.dataset.index, 10);
    paintDrag();
  });
  box.addEventListener("pointerout", (ev) => {
    const bar = barOf(ev.target);
    if (bar && !bar.contains(ev.relatedTarget) && !gesture.drag) histInfo("");
  });
  box.addEventListener("focusin", (ev) => {
    const bar = barOf(ev.target);
    if (!bar) return;
    box.dataset.focus = bar.dataset.period;
    histInfo(bar.getAttribute("aria-label"));
  });
  box.addEventListener("focusout", (ev) => { if (barOf(ev.target)) histInfo(""); });
  box.addEventListener("keydown", (ev) => {
    const buttons = barsShown();
    const i = buttons.indexOf(document.activeElement);
    if (i < 0 || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    const to = { ArrowLeft: i - 1, ArrowRight: i + 1, Home: 0, End: buttons.length - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    const next = buttons[Math.max(0, Math.min(buttons.length - 1, to))];
    for (const x of buttons) x.tabIndex = x === next ? 0 : -1;
    next.focus();
  });
  window.addEventListener("pointerup", () => {
    const d = gesture.drag;
    if (!d) return;
    gesture.drag = null;
    if (d.start === d.end) {
      for (const b of box.querySelectorAll(".dragging")) b.classList.remove("dragging");
      return; // a plain click: the click action filters on the bar
    }
    gesture.suppressClick = true;
    setTimeout(() => { gesture.suppressClick = false; }, 0);
    const all = barsShown();
    const lo = Math.min(d.start, d.end);
    const hi = Math.max(d.start, d.end);
    refine({ from: all[lo].dataset.period, to: all[hi].dataset.period });
  });
}
