// Small DOM helpers shared by the hearing pages: an element builder, a keyed list reconciler that keeps focus,
// the live-status line, the socket's page-lifecycle wiring and form error display (as on the petition page).
// Nothing here runs on import.

import { ConnectionState, LIVE_PATH } from './constants.js';

/** ws(s)://host/live for the page's own origin. */
export function liveUrl(location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${LIVE_PATH}`;
}

/**
 * Creates an element. `props`: className, text, hidden, attrs {name: value|null|false}, dataset {}, and anything
 * else set as a property. Children: nodes or strings (null/false skipped).
 */
export function h(doc, tag, props = {}, ...children) {
  const element = doc.createElement(tag);
  const { className, text, attrs, dataset, ...rest } = props ?? {};
  if (className) element.className = className;
  if (attrs) {
    for (const [name, value] of Object.entries(attrs)) {
      if (value === null || value === undefined || value === false) continue;
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  if (dataset) for (const [name, value] of Object.entries(dataset)) element.dataset[name] = String(value);
  for (const [name, value] of Object.entries(rest)) element[name] = value;
  if (text !== undefined && text !== null) element.textContent = String(text);
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child);
  }
  return element;
}

/**
 * Makes `list`'s children match `items`, in order, by key: existing elements (server-rendered ones too, found by
 * `data-key` or the `keyOf(element)` fallback) are updated in place, new ones created, the others removed. Elements
 * are only moved when out of place, and focus inside the list is put back if a move took it away.
 * @returns {Map<string, Element>} key -> element
 */
export function reconcileList(list, items, { key, create, update, elementKey = (el) => el.dataset.key }) {
  const doc = list.ownerDocument;
  const active = doc.activeElement && list.contains(doc.activeElement) ? doc.activeElement : null;
  const existing = new Map();
  for (const child of [...list.children]) {
    const k = elementKey(child);
    if (k !== undefined && k !== null && !existing.has(String(k))) existing.set(String(k), child);
    else child.remove();
  }
  const wanted = new Map();
  let cursor = list.firstElementChild;
  for (const item of items) {
    const k = String(key(item));
    let element = existing.get(k);
    if (element) existing.delete(k);
    else element = create(item);
    element.dataset.key = k;
    update(element, item);
    wanted.set(k, element);
    if (element === cursor) {
      cursor = cursor.nextElementSibling;
    } else {
      list.insertBefore(element, cursor);
    }
  }
  for (const leftover of existing.values()) leftover.remove();
  if (active && active.isConnected && doc.activeElement !== active) active.focus({ preventScroll: true });
  return wanted;
}

/** Sets `#live-status`-like elements: data-state for the CSS, text from `texts[state]`. */
export function showConnection(element, state, texts) {
  if (!element) return;
  element.dataset.state = state;
  element.textContent = texts[state] ?? '';
}

/** The connection texts of a page from its translator. */
export function connectionTexts(t) {
  return {
    [ConnectionState.CONNECTING]: t('status_connecting'),
    [ConnectionState.LIVE]: t('status_live'),
    [ConnectionState.RECONNECTING]: t('status_reconnecting'),
    [ConnectionState.OFFLINE]: t('status_offline'),
  };
}

/** Wakes the socket when the tab comes back or the network changes; frees the bfcache (as the petition page). */
export function wireLifecycle(live, { doc = globalThis.document, win = globalThis.window } = {}) {
  doc.addEventListener('visibilitychange', () => { if (doc.visibilityState === 'visible') live.wake(); });
  win.addEventListener('online', () => live.wake());
  win.addEventListener('offline', () => live.wake());
  win.addEventListener('pagehide', (event) => { if (event.persisted) live.close(); });
  win.addEventListener('pageshow', (event) => { if (event.persisted) live.connect(); });
}

/** An element whose text is a visually hidden prefix plus `text`. */
function withHiddenPrefix(doc, prefix, text) {
  return [h(doc, 'span', { className: 'visually-hidden', text: prefix }), text];
}

/**
 * Shows (text) or clears (null) the error of a form field: a `.error-message` before the input with id
 * `${input.id}-error`, aria-invalid, aria-describedby, and the group's error class.
 */
export function setFieldError(doc, input, text, { prefix = 'Error: ' } = {}) {
  if (!input || typeof input.setAttribute !== 'function') return;
  const errorId = `${input.id}-error`;
  let errorEl = doc.getElementById(errorId);
  const group = input.closest('.form-group');
  const describedBy = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && id !== errorId);
  if (text === null || text === undefined || text === '') {
    errorEl?.remove();
    input.removeAttribute('aria-invalid');
    group?.classList.remove('form-group--error');
  } else {
    if (!errorEl) {
      errorEl = h(doc, 'p', { className: 'error-message', attrs: { id: errorId } });
      const label = group?.querySelector(`label[for="${input.id}"]`);
      const hint = group?.querySelector('.hint');
      (hint ?? label ?? input).after(errorEl);
      if (!hint && !label) { errorEl.remove(); input.before(errorEl); }
    }
    errorEl.replaceChildren(...withHiddenPrefix(doc, prefix, text));
    input.setAttribute('aria-invalid', 'true');
    group?.classList.add('form-group--error');
    describedBy.push(errorId);
  }
  if (describedBy.length > 0) input.setAttribute('aria-describedby', describedBy.join(' '));
  else input.removeAttribute('aria-describedby');
}

/**
 * Fills `container` (a role=alert element) with an error summary: a heading and one link per field error
 * ([[inputId, message]]), plus plain messages; then focuses it.
 */
export function showErrorSummary(doc, container, { title, links = [], messages = [] }) {
  if (!container) return;
  const list = h(doc, 'ul', { className: 'error-summary__list' },
    links.map(([id, message]) => h(doc, 'li', {}, h(doc, 'a', { attrs: { href: `#${id}` }, text: message }))),
    messages.map((message) => h(doc, 'li', { text: message })));
  const box = h(doc, 'div', { className: 'error-summary' }, h(doc, 'h2', { className: 'error-summary__title', text: title }), list);
  container.className = 'form-result form-result--error';
  container.replaceChildren(box);
  container.focus();
}

/** Fills `container` with a titled message (kind: 'success' | 'error' | 'info') and focuses it. */
export function showMessage(doc, container, kind, heading, text, { focus = true } = {}) {
  if (!container) return;
  const children = [];
  if (heading) children.push(h(doc, 'h2', { className: 'form-result__title', text: heading }));
  if (text) children.push(h(doc, 'p', { text }));
  container.className = `form-result form-result--${kind}`;
  container.replaceChildren(...children);
  if (focus) container.focus();
}

export function clearMessage(container) {
  if (!container) return;
  container.className = 'form-result';
  container.replaceChildren();
}

/** Error-summary links move focus to their field (and scroll its label into view). */
export function wireErrorSummaryLinks(doc) {
  doc.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('.error-summary a[href^="#"]') : null;
    const field = link ? doc.getElementById(decodeURIComponent(link.getAttribute('href').slice(1))) : null;
    if (!field || typeof field.focus !== 'function') return;
    event.preventDefault();
    const label = field.id ? doc.querySelector(`label[for="${CSS.escape(field.id)}"]`) : null;
    (label ?? field).scrollIntoView({ block: 'start' });
    field.focus({ preventScroll: true });
  });
}

/** `true` when the key event comes from somewhere the user types (inputs, textareas, selects, editable content). */
export function isTypingTarget(target) {
  if (!target || typeof target !== 'object') return false;
  if (target.isContentEditable) return true;
  const tag = (target.tagName ?? '').toLowerCase();
  if (tag === 'textarea' || tag === 'select') return true;
  if (tag !== 'input') return false;
  const type = (target.type ?? 'text').toLowerCase();
  return !['button', 'submit', 'reset', 'checkbox', 'radio', 'range', 'color', 'file', 'image'].includes(type);
}
