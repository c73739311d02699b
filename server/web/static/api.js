// api: the calls to the JSON API beside the page (api/search,
// api/documents, api/stats).

const API = "api/";

// api fetches a JSON answer; it throws an Error with a French message for
// a network failure, and for an API error one carrying the status and the
// fields of the error's body: code, param (the parameter at fault), kind
// (what is wrong with it), position (in the query, from 1; 0 for none) and
// limit (the server's limit that param went past; 0 for none).
export async function api(path, signal) {
  let res;
  try {
    res = await fetch(API + path, { signal: signal, headers: { Accept: "application/json" } });
  } catch (e) {
    if (e.name === "AbortError") throw e;
    throw new Error("Le serveur ne répond pas. Vérifiez qu’il est toujours lancé, puis réessayez.");
  }
  let body = null;
  try { body = await res.json(); } catch (_) { body = null; }
  if (!res.ok) {
    const err = new Error(
      (body && body.error && body.error.message) ||
      ("Erreur du serveur (" + res.status + " " + res.statusText + ")."));
    const e = (body && body.error) || {};
    err.status = res.status;
    err.code = e.code;
    err.param = e.param || "";
    err.kind = e.kind || "";
    err.position = Number.isInteger(e.position) ? e.position : 0;
    err.limit = Number.isInteger(e.limit) ? e.limit : 0;
    throw err;
  }
  if (body === null) throw new Error("Réponse illisible du serveur.");
  return body;
}
