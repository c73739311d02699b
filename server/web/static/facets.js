// facets: the filters of a search: the country facet, the countries typed
// by name, the active filters as chips, their folding on a narrow screen.

import { $, el } from "./dom.js";
import { allCountries, countryCode, countryName } from "./countries.js";
import { formatDate, isoDate } from "./dates.js";
import { state, refine, stateURL, withState } from "./state.js";

// refineURL returns the URL of the current state refined by next (as
// refine does).
function refineURL(next) {
  return stateURL(withState(Object.assign({ page: 1, doc: "" }, next)));
}

// renderCountries shows the country facet of a search: the ticked
// countries first, by count, then the others; a ticked country the facet
// lacks is listed without a count.
export function renderCountries(facet) {
  const s = state();
  const ul = $("countries");
  ul.replaceChildren();
  const ticked = s.countries.map((c) => facet.find((r) => r.code === c) ||
    { code: c, name: countryName(c), count: null });
  ticked.sort((a, b) => (b.count || 0) - (a.count || 0));
  const rows = ticked.concat(facet.filter((r) => !s.countries.includes(r.code)));
  if (rows.length === 0) {
    ul.append(el("li", { class: "hint", text: "Aucun pays cité." }));
    return;
  }
  for (const c of rows) {
    const id = "country-" + c.code;
    const checked = s.countries.includes(c.code);
    const box = el("input", { type: "checkbox", id: id, value: c.code, checked: checked });
    const label = el("label", { for: id },
      el("span", { class: "name", text: c.name || countryName(c.code) }),
      el("span", { class: "count", text: c.count === null ? "" : String(c.count) }));
    ul.append(el("li", { class: checked ? "checked" : "" }, box, label));
  }
}

// orgNames keeps the names of the organisations the facets listed, for the
// hits' lines and the chips.
const orgNames = new Map();

// orgLabel returns the acronym (or name) of an organisation's code.
export function orgLabel(code) {
  const o = orgNames.get(code);
  return o ? o.acronym || o.name : code;
}

// renderOrganizations shows the organisation facet, as the country facet:
// the ticked ones first, by count, then the others.
export function renderOrganizations(facet) {
  const s = state();
  for (const o of facet) orgNames.set(o.code, o);
  const ul = $("organizations");
  ul.replaceChildren();
  const ticked = s.orgs.map((c) => facet.find((r) => r.code === c) || { code: c, acronym: orgLabel(c), count: null });
  ticked.sort((a, b) => (b.count || 0) - (a.count || 0));
  const rows = ticked.concat(facet.filter((r) => !s.orgs.includes(r.code)));
  if (rows.length === 0) {
    ul.append(el("li", { class: "hint", text: "Aucune organisation citée." }));
    return;
  }
  for (const o of rows) {
    const id = "org-" + o.code;
    const checked = s.orgs.includes(o.code);
    const box = el("input", { type: "checkbox", id: id, value: o.code, checked: checked });
    const label = el("label", { for: id, title: o.name || "" },
      el("span", { class: "name", text: o.acronym || o.name || o.code }),
      el("span", { class: "count", text: o.count === null ? "" : String(o.count) }));
    ul.append(el("li", { class: checked ? "checked" : "" }, box, label));
  }
}

// On a narrow screen the filters fold away under a "Filtres" toggle,
// unfolded when a filter is active; the user's choice stands until the
// number of active filters changes (kept in the toggle's data-active).
const narrow = window.matchMedia("(max-width: 760px)");

function foldFilters(force) {
  const s = state();
  const n = s.countries.length + s.orgs.length + (s.from ? 1 : 0) + (s.to ? 1 : 0);
  const filters = $("filters");
  $("filters-summary").textContent = n ? "Filtres (" + n + (n > 1 ? " actifs)" : " actif)") : "Filtres";
  if (String(n) !== filters.dataset.active || force === true) filters.open = !narrow.matches || n > 0;
  filters.dataset.active = String(n);
}

// renderChips shows the active filters, each a button that removes it,
// and the line that says on paper what was searched.
export function renderChips() {
  const s = state();
  foldFilters();
  const ul = $("chips");
  ul.replaceChildren();
  const chips = [];
  for (const c of s.countries) chips.push([countryName(c), { countries: s.countries.filter((x) => x !== c) }]);
  for (const c of s.orgs) chips.push([orgLabel(c), { orgs: s.orgs.filter((x) => x !== c) }]);
  if (s.from && s.to && s.from === s.to) {
    chips.push([formatDate(s.from), { from: "", to: "" }]);
  } else {
    if (s.from) chips.push(["depuis " + formatDate(s.from), { from: "" }]);
    if (s.to) chips.push(["jusqu’à " + formatDate(s.to), { to: "" }]);
  }
  $("chips-box").hidden = chips.length === 0;
  // On paper, with the filters column left out, a line says what was
  // searched.
  $("print-query").textContent = "Recherche « " + s.q + " »" +
    (chips.length ? ", " + chips.map(([label]) => label).join(", ") : "") +
    (s.sort === "-date" ? ", récents d’abord" : s.sort === "date" ? ", anciens d’abord" : "") + ".";
  chips.forEach(([label, next], i) => {
    ul.append(el("li", {}, el("button", {
      type: "button", class: "chip", id: "chip-" + i, "aria-label": "Retirer le filtre " + label,
      "data-action": "go", "data-href": refineURL(next),
    }, el("span", { text: label }), el("span", { class: "x", "aria-hidden": "true", text: "×" }))));
  });
  if (chips.length > 1) {
    ul.append(el("li", {}, el("button", {
      type: "button", class: "chip clear", id: "chip-clear", text: "Tout effacer",
      "data-action": "go", "data-href": refineURL({ countries: [], orgs: [], from: "", to: "" }),
    })));
  }
}

// installFacets sets up the events of the filters, once.
export function installFacets() {
  narrow.addEventListener("change", () => foldFilters(true));
  $("filters").addEventListener("toggle", () => {
    if (!narrow.matches && !$("filters").open) $("filters").open = true;
  });
  // The dates typed, in French or ISO.
  $("dates").addEventListener("submit", (ev) => {
    ev.preventDefault();
    refine({ from: isoDate($("from").value), to: isoDate($("to").value) });
  });
  // A country ticked or unticked in the facet.
  $("countries").addEventListener("change", (ev) => {
    const box = ev.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    const set = state().countries.filter((x) => x !== box.value);
    if (box.checked) set.push(box.value);
    refine({ countries: set });
  });
  // An organisation ticked or unticked in the facet.
  $("organizations").addEventListener("change", (ev) => {
    const box = ev.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    const set = state().orgs.filter((x) => x !== box.value);
    if (box.checked) set.push(box.value);
    refine({ orgs: set });
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
    if (!state().countries.includes(code)) refine({ countries: state().countries.concat(code) });
  });
}
