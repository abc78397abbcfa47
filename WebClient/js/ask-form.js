// The viewer page's ask form sent with fetch (sitting-page.js wires it): the live character counter (spoken once
// typing pauses), the post as JSON, the field errors and their summary, the thanks, and the fallbacks: offline says
// so, no answer at all posts the form normally (the no-JavaScript path still works).
//
// Refusals are said in the page's words for the codes it knows (SITTING_ERROR_KEYS), else in the server's.
//
// DOM hooks: form#ask-form (#ask-text, #ask-name, #ask-region, #ask-submit), #ask-text-count[data-max],
// #ask-text-count-live, #ask-result, #error-summary (a no-JS attempt's, removed on the next send).

import { ApiError, apiErrorText } from './api.js';
import { clearMessage, setFieldError, showErrorSummary, showMessage } from './dom.js';
import { characterCount, isPublished, questionPayload } from './hearing-state.js';
import { counterText } from './hearing-text.js';
import { askedQuestion } from './sitting-mine.js';

export const ASK_FIELDS = Object.freeze(['text', 'name', 'region']);

/** The refusals the viewer page says in its own words (api.js apiErrorText): code -> page string key. */
export const SITTING_ERROR_KEYS = Object.freeze({
  csrf_failed: 'error_csrf_failed',
  sitting_not_live: 'ask_error_ended',
  rate_limited: 'error_rate_limited',
});

/**
 * What the form shows for a refused question (pure): the field errors it knows (`[[field, message]]`, for the
 * fields and the summary), else one message (`ask_failed_title` over it). `error`: an ApiError or anything thrown.
 */
export function askRefusal(t, error) {
  const fields = error instanceof ApiError ? Object.entries(error.fields ?? {}).filter(([field]) => ASK_FIELDS.includes(field)) : [];
  return { fields, message: apiErrorText(t, error instanceof ApiError ? error : {}, 'ask_failed', { codes: SITTING_ERROR_KEYS }) };
}

/** The thanks after a sent question (pure): its title and text, and whether it waits for the moderators. */
export function askThanks(t, question) {
  const published = isPublished(question);
  return { title: t('ask_sent_title'), text: published ? t('ask_sent_published') : t('ask_sent_moderated'), waiting: !published };
}

/**
 * Wires the form. `api`: api.js's client; `onSent(question, {waiting})`: a question was taken (the page lists it as
 * mine); `onTyping()`: a new question is being written (the page folds the last thanks); `formEntries(form)`: the
 * form's [name, value] pairs (FormData in the browser). Null without the form.
 */
export function wireAskForm({
  doc, win, t, sittingId, maxLength, api, onSent = () => {}, onTyping = () => {}, formEntries = (form) => new FormData(form).entries(),
}) {
  const form = doc.getElementById('ask-form');
  if (!form) return null;
  const textarea = doc.getElementById('ask-text');
  const counter = doc.getElementById('ask-text-count');
  const counterLive = doc.getElementById('ask-text-count-live');
  const submit = doc.getElementById('ask-submit');
  const result = doc.getElementById('ask-result');
  const max = Number.parseInt(maxLength ?? counter?.dataset.max ?? '', 10);
  let liveTimer = null;
  let busy = false;

  function updateCounter({ announceIt }) {
    if (!counter || !textarea) return;
    const { text, over } = counterText(t, characterCount(textarea.value), max);
    counter.hidden = text === '';
    counter.textContent = text;
    counter.classList.toggle('character-count--over', over);
    if (!announceIt || !counterLive) return;
    // Screen readers hear the count once typing pauses, not at every key.
    if (liveTimer !== null) win.clearTimeout(liveTimer);
    liveTimer = win.setTimeout(() => { counterLive.textContent = text; liveTimer = null; }, 1000);
  }
  textarea?.addEventListener('input', () => {
    updateCounter({ announceIt: true });
    // A new question is being written: the thanks for the last one has been read (and announced); fold it away.
    // Focus stays where it is (in the field).
    onTyping();
  });
  updateCounter({ announceIt: false });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!busy) send();
  });

  async function send() {
    const payload = questionPayload(formEntries(form));
    setBusy(true);
    try {
      const body = await api(`/api/v1/sittings/${encodeURIComponent(sittingId)}/questions`, { method: 'POST', body: payload });
      succeed(body, payload);
    } catch (error) {
      if (error instanceof ApiError && error.status === 0) {
        if (win.navigator && win.navigator.onLine === false) {
          fail({ fields: [], message: t('offline_not_sent') });
        } else {
          (win.HTMLFormElement ?? globalThis.HTMLFormElement).prototype.submit.call(form); // no answer at all: the normal post still works
        }
      } else {
        fail(askRefusal(t, error));
      }
    } finally {
      setBusy(false);
    }
  }

  function setBusy(value) {
    busy = value;
    form.setAttribute('aria-busy', String(value));
    if (submit) submit.disabled = value;
  }

  function clearErrors() {
    doc.getElementById('error-summary')?.remove();
    for (const field of ASK_FIELDS) setFieldError(doc, doc.getElementById(`ask-${field}`), null, { prefix: t('error_prefix') });
  }

  function succeed(body, payload) {
    clearErrors();
    if (textarea) textarea.value = '';
    updateCounter({ announceIt: false });
    const question = askedQuestion(body, payload);
    const thanks = askThanks(t, question);
    showMessage(doc, result, 'success', thanks.title, thanks.text);
    onSent(question, { waiting: thanks.waiting });
  }

  function fail({ fields, message }) {
    clearErrors();
    for (const [field, text] of fields) setFieldError(doc, doc.getElementById(`ask-${field}`), text, { prefix: t('error_prefix') });
    if (fields.length > 0) {
      showErrorSummary(doc, result, { title: t('error_summary_title'), links: fields.map(([field, text]) => [`ask-${field}`, text]) });
    } else {
      showMessage(doc, result, 'error', t('ask_failed_title'), message);
    }
  }

  return { form, send };
}
