// api: the calls to the JSON API beside the page (api/search,
// api/documents, api/stats).

const API = "api/";

// MAX_WINDOW is the number of results the server pages, at most.
export const MAX_WINDOW = 10000;

// api fetches a JSON answer; it throws an Error with a French message for
// a network failure, and for an API error one carrying the status and the
// error's code.
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
    err.status = res.status;
    err.code = body && body.error && body.error.code;
    throw err;
  }
  if (body === null) throw new Error("Réponse illisible du serveur.");
  return body;
}
