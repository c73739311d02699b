// actions: the page's one click handler. An element with
// data-action="name" runs the action registered under that name; links
// (<a href>) do so only on a plain click, so that a click with a modifier
// or the middle button opens their href, a real URL of the page, as the
// browser does.

import { isPlainClick } from "./dom.js";

const actions = new Map();

// onAction registers what a click on an element with data-action=name
// does: fn(element, event). The default action of the click (following
// the link, submitting) is prevented.
export function onAction(name, fn) {
  if (actions.has(name)) throw new Error("action " + name + " registered twice");
  actions.set(name, fn);
}

// installClicks installs the delegated click handler on the document.
export function installClicks() {
  document.addEventListener("click", (ev) => {
    const target = ev.target instanceof Element ? ev.target.closest("[data-action]") : null;
    if (!target) return;
    const fn = actions.get(target.dataset.action);
    if (!fn) return;
    if (target.matches("a[href]") && !isPlainClick(ev)) return;
    ev.preventDefault();
    fn(target, ev);
  });
}
