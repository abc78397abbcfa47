// The "Start a petition" page (templates/petition-new.mustache, GET /petitions/new; Protocol/PETITIONS.md §2).
// The form is a plain HTML form that posts to /petitions/new and works without JavaScript: the server validates it
// and answers the page again with an error summary, or the "check your email" page. This script only adds the live
// character counters of the action, background and additional details (js/character-counter.js), and takes the
// user to a server-rendered error summary.
//
// DOM hooks: #main[data-page="petition-new"], form#petition-new-form, #petition-{field} with
// #petition-{field}-count[data-max] and #petition-{field}-count-live for the counted fields, #error-summary.

import { wireCharacterCounter } from './character-counter.js';
import { wireErrorSummaryLinks } from './dom.js';
import { isPage } from './hearing-text.js';
import { pageTranslator } from './i18n.js';

/** The fields with a character limit (the names of the form and of the server's `limits`). */
export const COUNTED_FIELDS = Object.freeze(['action', 'background', 'additional_details']);

export function enhancePetitionNew({ doc = globalThis.document, win = globalThis.window } = {}) {
  const form = doc.getElementById('petition-new-form');
  if (!form) return null;
  const t = pageTranslator(doc);
  const counters = {};
  for (const field of COUNTED_FIELDS) {
    counters[field] = wireCharacterCounter({
      t,
      input: doc.getElementById(`petition-${field}`),
      counter: doc.getElementById(`petition-${field}-count`),
      live: doc.getElementById(`petition-${field}-count-live`),
      setTimeout: (fn, ms) => win.setTimeout(fn, ms),
      clearTimeout: (id) => win.clearTimeout(id),
    });
  }
  // A summary rendered by the server after a refused attempt: take the user to it; its links focus the fields.
  doc.getElementById('error-summary')?.focus();
  wireErrorSummaryLinks(doc);
  return { form, counters };
}

if (typeof document !== 'undefined' && typeof window !== 'undefined' && isPage(document, 'petition-new')) {
  enhancePetitionNew();
}
