// errors: what went wrong, said in French, in the error box.

import { $, el } from "./dom.js";
import { MAX_WINDOW } from "./api.js";
import { state, stateURL, withState } from "./state.js";

// explain turns an error of api into a French sentence and the server's
// own words (or ""), and marks the date input at fault.
export function explain(e) {
  const s = state();
  const detail = e.status ? e.message : "";
  const param = /^(\w+):/.exec(detail || "");
  if (param && (param[1] === "from" || param[1] === "to")) {
    const input = $(param[1]);
    input.setAttribute("aria-invalid", "true");
    if (/after to/.test(detail)) {
      $("to").setAttribute("aria-invalid", "true");
      return ["La date de début (« " + s.from + " ») est après la date de fin (« " + s.to + " »).", detail];
    }
    const v = param[1] === "from" ? s.from : s.to;
    return [(param[1] === "from" ? "Date de début" : "Date de fin") + " invalide (« " + v +
      " ») : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ, par exemple 2024-06.", detail];
  }
  if (param && param[1] === "page") {
    return ["Page " + s.page + " trop loin : seuls les " + MAX_WINDOW.toLocaleString("fr-FR") +
      " premiers résultats sont paginés. Précisez la recherche, ajoutez un filtre ou changez le tri.", detail];
  }
  const bad = queryProblem(s.q, detail);
  if (bad) {
    $("q").setAttribute("aria-invalid", "true");
    return [bad.message, detail, bad.fixed];
  }
  switch (e.code) {
    case "not_found":
      return [s.doc ? "Ce rapport n’est pas (ou plus) dans l’index." : "Introuvable.", detail];
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
export function queryProblem(q, detail) {
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
// corrected query offered as a link. No msg hides the box.
export function showError(msg, detail, fixed) {
  const box = $("error");
  box.replaceChildren();
  if (!msg) { box.hidden = true; return; }
  box.append(el("strong", { text: "Erreur : " }), document.createTextNode(msg));
  if (fixed) {
    const a = el("a", { id: "error-fix", "data-action": "go", href: stateURL(withState({ q: fixed, page: 1, doc: "" })) },
      el("code", { text: fixed }));
    box.append(el("span", { class: "fix" }, document.createTextNode(" Rechercher plutôt "), a, document.createTextNode(" ?")));
  }
  if (detail && detail !== msg) box.append(el("small", { class: "detail", text: "Détail : " + detail }));
  box.hidden = false;
}
