// home: the home page: what the index holds, and example searches.

import { $, el } from "./dom.js";
import { onAction } from "./actions.js";
import { api } from "./api.js";
import { countryName, learnCountries } from "./countries.js";
import { formatDate } from "./dates.js";
import { navigate, refine } from "./state.js";

// renderHome shows the stats of the index.
export async function renderHome(signal) {
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

// installHome sets up the links to the home page and its examples, once.
export function installHome() {
  // An example searches its query, with the filters already chosen.
  onAction("example", (a) => refine({ q: new URLSearchParams(a.search).get("q") || "" }));
  onAction("home", () => {
    navigate({ q: "", countries: [], orgs: [], from: "", to: "", sort: "relevance", page: 1, doc: "" });
    $("q").focus();
  });
}
