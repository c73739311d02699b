// errors: what went wrong, said in French, in the error box. The page
// reads the API's error by its fields (code, param, kind, position), never
// by the words of its English message.

import { $, el } from "./dom.js";
import { state, stateURL, withState } from "./state.js";

// tokenAt returns the operator, field or word of query q that starts at
// character position pos (from 1): the run of characters up to a space, a
// parenthesis or a quote.
function tokenAt(q, pos) {
  const rest = Array.from(q).slice(Math.max(0, pos - 1)).join("");
  return (/^[^\s()"]*/.exec(rest) || [""])[0];
}

// QUERY_KINDS says in French what is wrong with a query, by the kind of
// the API's error (index.QueryError.Kind): say(token) is the reason,
// token being the query's text at the error's position; fix, when the
// correction is certain, returns the query corrected; cost marks a query
// that parses but would cost the server too much.
const QUERY_KINDS = {
  empty: { say: () => "aucun mot à chercher" },
  invalid_utf8: { say: () => "texte illisible (caractères invalides)" },
  unclosed_quote: { say: () => "guillemet (\") ouvert mais pas fermé", fix: (q) => q + "\"" },
  unclosed_paren: { say: () => "parenthèse ouverte mais pas fermée", fix: (q) => q + ")" },
  unexpected_paren: { say: () => "parenthèse fermante sans parenthèse ouverte" },
  or_without_left: { say: () => "OR sans mot avant lui" },
  or_without_right: { say: () => "OR sans mot après lui" },
  or_next_to_excluded: { say: () => "OR à côté d’un mot exclu (-mot) : groupez avec des parenthèses" },
  no_term: { say: (t) => "« " + t + " » sans mot après" },
  bad_field: { say: (t) => "« " + t + " » ne s’applique pas ici (title: et exact: précèdent un mot ou une expression)" },
  prefix_after_phrase: { say: () => "* après une expression : un préfixe est un seul mot (milit*)" },
  star_inside_word: { say: () => "* au milieu d’un mot : seul le préfixe est possible (milit*)" },
  prefix_too_short: { say: (t) => "préfixe « " + t + " » trop court : écrivez plus de lettres avant *" },
  prefix_not_word: { say: (t) => "préfixe « " + t + " » de plusieurs mots : un préfixe est un seul mot (milit*)" },
  bad_proximity: { say: (t) => "« " + t + " » après une expression attend un nombre de positions, par exemple \"défense aérienne\"~5" },
  proximity_too_far: { cost: true, say: (t) => "proximité « " + t + " » trop large : réduisez le nombre de positions" },
  prefix_too_many: { cost: true, say: (t) => "préfixe « " + t + " » trop court : trop de mots commencent ainsi, allongez-le" },
  prefixes_too_many: { cost: true, say: (t) => "trop de préfixes : ensemble, jusqu’à « " + t + " », ils couvrent trop de mots ; utilisez-en moins ou allongez-les" },
  too_many_clauses: { cost: true, say: () => "trop de mots, d’expressions et de préfixes : raccourcissez la requête" },
  too_deep: { cost: true, say: () => "parenthèses imbriquées trop profondément" },
};

// queryProblem says in French what is wrong with query q, from the kind
// and the position of the API's error: {message, fixed} (fixed is the
// corrected query when the correction is certain, else ""); null when
// kind is "" (the error is not about the query's text).
export function queryProblem(q, kind, position) {
  if (!kind) return null;
  const k = Object.hasOwn(QUERY_KINDS, kind) ? QUERY_KINDS[kind] : null;
  const where = position > 0 ? ", caractère " + position : "";
  if (!k) return { message: "Requête mal formée" + where + " (voir « Syntaxe »).", fixed: "" };
  const head = k.cost ? "Recherche trop coûteuse" : "Requête mal formée";
  return { message: head + where + " : " + k.say(tokenAt(q, position)) + ".", fixed: k.fix ? k.fix(q) : "" };
}

// after says whether date from is after date to, both ISO (AAAA, AAAA-MM
// or AAAA-MM-JJ), compared at the precision of the coarser.
function after(from, to) {
  const iso = /^\d{4}(-\d{2}(-\d{2})?)?$/;
  if (!iso.test(from) || !iso.test(to)) return false;
  const n = Math.min(from.length, to.length);
  return from.slice(0, n) > to.slice(0, n);
}

// PARAMS names the request's parameters in French, for their errors.
const PARAMS = { country: "Pays", sort: "Tri", size: "Taille de page", interval: "Intervalle", q: "Requête" };

// explain turns an error of api into a French sentence and a corrected
// query (or ""), and marks the input at fault.
export function explain(e) {
  const s = state();
  if (!e.status) return [e.message, ""]; // the network's, already French
  if (e.param === "from" || e.param === "to") {
    $(e.param).setAttribute("aria-invalid", "true");
    if (s.from && s.to && after(s.from, s.to)) {
      $("from").setAttribute("aria-invalid", "true");
      $("to").setAttribute("aria-invalid", "true");
      return ["La date de début (« " + s.from + " ») est après la date de fin (« " + s.to + " »).", ""];
    }
    const v = e.param === "from" ? s.from : s.to;
    return [(e.param === "from" ? "Date de début" : "Date de fin") + " invalide (« " + v +
      " ») : écrivez AAAA, AAAA-MM ou AAAA-MM-JJ, par exemple 2024-06.", ""];
  }
  if (e.param === "page" && e.limit) {
    // The limit is the server's (the error's), not a copy of it.
    return ["Page " + s.page + " trop loin : seuls les " + e.limit.toLocaleString("fr-FR") +
      " premiers résultats sont paginés. Précisez la recherche, ajoutez un filtre ou changez le tri.", ""];
  }
  const bad = queryProblem(s.q, e.kind, e.position);
  if (bad) {
    $("q").setAttribute("aria-invalid", "true");
    return [bad.message, bad.fixed];
  }
  switch (e.code) {
    case "not_found":
      return [s.doc ? "Ce rapport n’est pas (ou plus) dans l’index." : "Introuvable.", ""];
    case "too_expensive":
      return ["Recherche trop coûteuse : un préfixe trop court ou trop de termes. Précisez la requête.", ""];
    case "too_large":
      return ["Requête trop longue" + (e.limit ? " : " + e.limit.toLocaleString("fr-FR") + " caractères au plus." : "."), ""];
    case "timeout":
      return ["La recherche a pris trop de temps. Précisez la requête ou réessayez.", ""];
    case "unavailable":
    case "canceled":
      return ["Le serveur n’est pas disponible pour le moment. Réessayez.", ""];
    case "bad_request":
      if (Object.hasOwn(PARAMS, e.param)) {
        return [PARAMS[e.param] + " invalide : vérifiez la requête et les filtres (voir « Syntaxe »).", ""];
      }
      return ["Recherche invalide : vérifiez la requête et les filtres (voir « Syntaxe »).", ""];
  }
  if (e.status >= 500) return ["Erreur interne du serveur (" + e.status + "). Réessayez plus tard.", ""];
  return ["Erreur du serveur (" + e.status + ").", ""];
}

// showError shows msg, in French; fixed is a corrected query offered as a
// link. No msg hides the box.
export function showError(msg, fixed) {
  const box = $("error");
  box.replaceChildren();
  if (!msg) { box.hidden = true; return; }
  box.append(el("strong", { text: "Erreur : " }), document.createTextNode(msg));
  if (fixed) {
    const a = el("a", { id: "error-fix", "data-action": "go", href: stateURL(withState({ q: fixed, page: 1, doc: "" })) },
      el("code", { text: fixed }));
    box.append(el("span", { class: "fix" }, document.createTextNode(" Rechercher plutôt "), a, document.createTextNode(" ?")));
  }
  box.hidden = false;
}
