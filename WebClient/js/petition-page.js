// Progressive enhancement of the server-rendered petition page (templates/petition.mustache).
// Without this script the page works: the count is the one rendered, the form posts normally.
// With it: the count follows the `petition:{id}` topic live (up as people sign, down when staff invalidate
// signatures), thresholds move, the connection state is shown, changes are announced (throttled) to screen readers,
// the form is sent with fetch as JSON, and a `state` event that takes the petition out of "open" (closed at its
// deadline, rejected) replaces the form with a notice. The signatures by region and constituency follow
// `petition:{id}:areas` (section#areas, hidden without JavaScript; not announced: the count already is).
//
// DOM hooks (Protocol/DESIGN-CONTRACT.md): #main[data-topic], data#signature-count, #live-status,
// #live-announcer, form#sign-form, #sign-result (after a successful send: data-outcome=counted|pending_confirmation|held),
// progress[data-threshold], #petition-state, #sign-heading, #sign-closed[data-state] (added when the petition stops
// accepting signatures), section#areas[data-areas-topic] (#areas-regions-body and #areas-constituencies-body
// > tr[data-code], #areas-regions-wrap, #areas-constituencies-wrap, #areas-constituencies-more, #areas-empty).

import { Announcer } from './announcer.js';
import {
  TOP_CONSTITUENCIES, applyAreasEvent, areaNames, areaRows, areasFromSnapshot, emptyAreas, mergeNames,
  moreAreasText, namesRefetchDelay, unknownCodes,
} from './area-counts.js';
import { ConnectionState, EventName, LIVE_PATH } from './constants.js';
import { h, reconcileList } from './dom.js';
import { pageTranslator } from './i18n.js';
import { LiveSocket } from './live-socket.js';
import {
  STATE_LABELS, STATUS_TEXT, countPhrase, countUnit, describeError, offlineFailure, say, signedMessage, stateNotice,
  statusText, thresholdStatus,
} from './petition-text.js';

// The texts live in petition-text.js (pure, in the page's language); these names stay exported from here.
export { STATE_LABELS, STATUS_TEXT, countPhrase, describeError, signedMessage, stateNotice };

export const SIGN_FIELDS = Object.freeze(['name', 'email', 'postcode', 'country']);
const OPTIONAL_FIELDS = new Set(['postcode', 'country']);

/** ws(s)://host/live for the page's own origin. */
export function liveUrl(location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${LIVE_PATH}`;
}

/** Progress towards a threshold, as the server computes `percent`: an integer 0…100. */
export function thresholdPercent(count, signatures) {
  if (!(signatures > 0) || !(count > 0)) return 0;
  return Math.min(100, Math.floor((count * 100) / signatures));
}

/**
 * The count to display from a source outside the live topic (the count after one's own signature, a threshold's
 * count): never lower than the one shown, as it may be older than what the topic already brought.
 */
export function nextCount(displayed, incoming) {
  return Number.isSafeInteger(incoming) && incoming > displayed ? incoming : displayed;
}

/**
 * The count to display from the live topic (its snapshot and `count` events, applied in order by LiveSocket): the
 * latest value, lower too, since invalidated signatures leave the count (PROTOCOL.md §6.1). Not a whole count:
 * the one shown.
 */
export function liveCount(displayed, incoming) {
  return Number.isSafeInteger(incoming) && incoming >= 0 ? incoming : displayed;
}

/** The JSON body for POST /api/v1/petitions/{id}/signatures from form entries; empty optional fields left out. */
export function signaturePayload(entries) {
  const payload = {};
  for (const [key, raw] of entries) {
    if (!SIGN_FIELDS.includes(key) || typeof raw !== 'string') continue;
    const value = raw.trim();
    if (value === '' && OPTIONAL_FIELDS.has(key)) continue;
    payload[key] = value;
  }
  return payload;
}

/**
 * What a successful answer to POST …/signatures means (Protocol/PETITIONS.md §3): `counted` (201, or any 2xx without a
 * state), `pending_confirmation` (202 with `--signature-confirmation email`: nothing counts until the emailed link is
 * confirmed) or `held` (202 over a rate limit: kept for checking, not counted).
 */
export function signOutcome(status, body) {
  const state = body && typeof body === 'object' ? body.state : undefined;
  if (status === 202 && (state === 'pending_confirmation' || state === 'held')) return state;
  return 'counted';
}

/**
 * Wires the page. Everything the browser provides can be injected.
 * @returns {{live: LiveSocket, announcer: Announcer|null} | null}
 */
export function enhancePetitionPage({
  doc = globalThis.document,
  win = globalThis.window,
  WebSocketImpl = globalThis.WebSocket,
  fetchImpl = typeof globalThis.fetch === 'function' ? globalThis.fetch.bind(globalThis) : undefined,
} = {}) {
  const main = doc.getElementById('main');
  const topic = main?.dataset.topic;
  if (!topic) return null;

  const t = pageTranslator(doc);
  const numberFormat = new Intl.NumberFormat(t.lang);
  const format = (n) => numberFormat.format(n);
  const countEl = doc.getElementById('signature-count');
  const unitEl = doc.getElementById('signature-count-unit');
  const statusEl = doc.getElementById('live-status');
  const announcerEl = doc.getElementById('live-announcer');
  const announcer = announcerEl ? new Announcer(announcerEl) : null;

  let displayed = Number.parseInt(countEl?.getAttribute('value') ?? '', 10);
  if (!Number.isSafeInteger(displayed)) displayed = 0;
  let synced = false; // the first snapshot only confirms what the page shows: do not announce it
  /** threshold name -> {signatures, reachedAt} from the snapshot */
  const thresholds = new Map();

  /** `live`: the value comes from the topic and may be lower (invalidations); otherwise the count only goes up. */
  function showCount(count, { announce, live = false }) {
    const next = live ? liveCount(displayed, count) : nextCount(displayed, count);
    if (next === displayed) return;
    displayed = next;
    if (countEl) {
      countEl.setAttribute('value', String(next));
      countEl.textContent = format(next);
    }
    if (unitEl) unitEl.textContent = countUnit(next, t);
    updateThresholds();
    if (announce && announcer) announcer.announce(countPhrase(next, format, t));
  }

  function updateThresholds() {
    for (const bar of doc.querySelectorAll('progress[data-threshold]')) {
      const name = bar.dataset.threshold;
      const info = thresholds.get(name);
      if (!info) continue;
      const reached = info.reachedAt !== null;
      const percent = reached ? 100 : thresholdPercent(displayed, info.signatures);
      bar.value = percent;
      bar.setAttribute('value', String(percent));
      bar.textContent = `${percent}%`;
      const item = bar.closest('[data-threshold-item]');
      if (item) item.classList.toggle('threshold--reached', reached);
      const status = doc.querySelector(`[data-threshold-status="${CSS.escape(name)}"]`);
      if (status) status.textContent = thresholdStatus(reached, percent, t);
    }
  }

  function setStatus(state) {
    if (!statusEl) return;
    statusEl.dataset.state = state;
    statusEl.textContent = statusText(state, t);
  }

  const live = new LiveSocket({
    url: () => liveUrl(win.location),
    WebSocketImpl,
    onStateChange: setStatus,
  });
  setStatus(ConnectionState.CONNECTING);

  live.subscribe(topic, {
    onSnapshot(data) {
      if (Array.isArray(data.thresholds)) {
        thresholds.clear();
        for (const t of data.thresholds) {
          if (t && typeof t.name === 'string' && Number.isFinite(t.signatures)) {
            thresholds.set(t.name, { signatures: t.signatures, reachedAt: t.reached_at ?? null });
          }
        }
      }
      showCount(data.signature_count, { announce: synced, live: true });
      updateThresholds();
      showState(data.state, null);
      synced = true;
    },
    onEvent(name, data) {
      if (name === EventName.COUNT) {
        showCount(data.signature_count, { announce: true, live: true });
      } else if (name === EventName.STATE) {
        showState(data.state, data.rejection ?? null);
      } else if (name === EventName.THRESHOLD) {
        const known = thresholds.get(data.name);
        thresholds.set(data.name, {
          signatures: Number.isFinite(data.signatures) ? data.signatures : known?.signatures ?? 0,
          reachedAt: data.reached_at ?? new Date().toISOString(),
        });
        updateThresholds();
        showCount(data.signature_count, { announce: true });
      }
    },
  });

  // The petition stopped (or, in principle, started again) accepting signatures: the form goes, a notice says why.
  function showState(state, rejection) {
    const form = doc.getElementById('sign-form');
    if (!form || typeof state !== 'string') return; // rendered closed: the server's notice is there already
    const notice = stateNotice(state, rejection, t);
    const tag = doc.getElementById('petition-state');
    const heading = doc.getElementById('sign-heading');
    let box = doc.getElementById('sign-closed');
    if (tag) {
      tag.className = `tag tag--${state}`;
      tag.textContent = notice ? notice.label : say(t, 'petition_state_open', STATE_LABELS.open);
    }
    if (!notice) {
      if (box) {
        box.remove();
        form.hidden = false;
        if (heading) heading.textContent = say(t, 'petition_sign_heading', 'Sign this petition');
      }
      return;
    }
    const hadFocus = form.contains(doc.activeElement);
    form.hidden = true;
    if (heading) heading.textContent = say(t, 'petition_signing_heading', 'Signing');
    if (!box) {
      box = h(doc, 'div', { className: 'notice notice--warning sign-closed', attrs: { id: 'sign-closed', role: 'status', tabindex: '-1' } });
      form.before(box);
    }
    box.dataset.state = state;
    box.replaceChildren(h(doc, 'p', {}, h(doc, 'strong', { text: `${notice.heading}.` }), ` ${notice.text}`));
    if (hadFocus) box.focus();
  }

  const areasSection = doc.getElementById('areas');
  if (areasSection?.dataset.areasTopic) {
    enhanceAreas({ doc, win, t, live, fetchImpl, section: areasSection, petitionId: main.dataset.petitionId, format });
  }

  // Mobile browsers freeze background tabs and networks come and go: check (or reconnect) at once.
  doc.addEventListener('visibilitychange', () => { if (doc.visibilityState === 'visible') live.wake(); });
  win.addEventListener('online', () => live.wake());
  win.addEventListener('offline', () => live.wake());
  // An open WebSocket keeps the page out of the back/forward cache: close it on the way out, reopen on return.
  win.addEventListener('pagehide', (event) => { if (event.persisted) live.close(); });
  win.addEventListener('pageshow', (event) => { if (event.persisted) live.connect(); });

  // A summary rendered by the server after a no-JS attempt: take the user to it, and make its links focus fields.
  doc.getElementById('error-summary')?.focus();
  doc.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('.error-summary a[href^="#"]') : null;
    const field = link ? doc.getElementById(decodeURIComponent(link.getAttribute('href').slice(1))) : null;
    if (!field || typeof field.focus !== 'function') return;
    event.preventDefault();
    const label = field.id ? doc.querySelector(`label[for="${CSS.escape(field.id)}"]`) : null;
    (label ?? field).scrollIntoView({ block: 'start' });
    field.focus({ preventScroll: true });
  });

  const form = doc.getElementById('sign-form');
  if (form && fetchImpl) enhanceForm({ doc, win, t, form, fetchImpl, onCount: (n) => showCount(n, { announce: true }) });

  return { live, announcer };
}

/**
 * The signatures by region and constituency: subscribes to `petition:{id}:areas` (on the same socket), fetches the
 * names once from /petitions/{id}.json (again, at most once a minute, when a code without a name shows up), and keeps
 * the two tables in step. The section stays hidden until the first snapshot. Nothing is announced: the tables are
 * not live regions (the count has its own throttled announcer).
 */
function enhanceAreas({ doc, win, t, live, fetchImpl, section, petitionId, format }) {
  const lang = doc.documentElement.lang || 'en';
  const el = {
    empty: doc.getElementById('areas-empty'),
    regionsWrap: doc.getElementById('areas-regions-wrap'),
    regions: doc.getElementById('areas-regions-body'),
    constituenciesWrap: doc.getElementById('areas-constituencies-wrap'),
    constituencies: doc.getElementById('areas-constituencies-body'),
    more: doc.getElementById('areas-constituencies-more'),
  };
  let areas = emptyAreas();
  // The names of the areas counted when the page was rendered come with it (#hc-area-names, the shape of
  // /petitions/{id}.json): a code is never shown while names load; only a code new since then is fetched.
  let names = mergeNames(mergeNames(), areaNames(readJsonBlock(doc, 'hc-area-names')));
  let received = false;
  let lastFetchAt = null;
  let inFlight = false;
  let timer = null;

  async function fetchNames() {
    if (!fetchImpl || !petitionId) return;
    inFlight = true;
    lastFetchAt = Date.now();
    try {
      const response = await fetchImpl(`/petitions/${encodeURIComponent(petitionId)}.json`, {
        headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
      if (response.ok) {
        names = mergeNames(names, areaNames(await response.json()));
        render();
      }
    } catch { /* the codes stay shown; the next new code tries again */ } finally {
      inFlight = false;
    }
    scheduleNames();
  }

  function scheduleNames() {
    if (timer !== null) return;
    const delay = namesRefetchDelay({ unknown: unknownCodes(areas, names).length, lastFetchAt, now: Date.now(), inFlight });
    if (delay === null) return;
    timer = win.setTimeout(() => { timer = null; fetchNames(); }, delay);
  }

  function createRow() {
    return h(doc, 'tr', {},
      h(doc, 'th', { attrs: { scope: 'row' } }, h(doc, 'span', { className: 'areas__name' }), h(doc, 'span', { className: 'areas__mp' })),
      h(doc, 'td', { className: 'table__num areas__count' }));
  }

  function updateRow(tr, row) {
    tr.dataset.code = row.code;
    tr.dataset.count = String(row.count);
    tr.querySelector('.areas__name').textContent = row.name;
    const mp = tr.querySelector('.areas__mp');
    mp.textContent = row.mp ?? '';
    mp.hidden = !row.mp;
    tr.querySelector('.areas__count').textContent = format(row.count);
  }

  function fill(body, wrap, table) {
    if (!body) return;
    reconcileList(body, table.rows, { key: (row) => row.code, elementKey: (tr) => tr.dataset.code, create: createRow, update: updateRow });
    if (wrap) wrap.hidden = table.rows.length === 0;
  }

  function render() {
    if (!received) return;
    const regions = areaRows(areas.regions, names.regions, { lang });
    const constituencies = areaRows(areas.constituencies, names.constituencies, { lang, limit: TOP_CONSTITUENCIES });
    fill(el.regions, el.regionsWrap, regions);
    fill(el.constituencies, el.constituenciesWrap, constituencies);
    if (el.more) {
      el.more.textContent = moreAreasText(constituencies.shown, constituencies.more, constituencies.moreSignatures, format, t);
      el.more.hidden = constituencies.more === 0;
    }
    if (el.empty) el.empty.hidden = regions.total + constituencies.total > 0;
    section.hidden = false;
  }

  live.subscribe(section.dataset.areasTopic, {
    onSnapshot(data) {
      areas = areasFromSnapshot(data);
      received = true;
      render();
      scheduleNames();
    },
    onEvent(name, data) {
      if (name !== EventName.AREAS) return;
      areas = applyAreasEvent(areas, data);
      render();
      scheduleNames();
    },
  });
  if (doc.getElementById('hc-area-names')) scheduleNames(); else fetchNames();
}

/** The JSON of a `<script type="application/json">` block, or null. */
export function readJsonBlock(doc, id) {
  try {
    return JSON.parse(doc.getElementById(id)?.textContent ?? 'null');
  } catch {
    return null;
  }
}

function enhanceForm({ doc, win, t, form, fetchImpl, onCount }) {
  const result = doc.getElementById('sign-result');
  const button = form.querySelector('[type="submit"]');
  let busy = false;

  const nativeSubmit = () => HTMLFormElement.prototype.submit.call(form);

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (busy) return;
    send();
  });

  async function send() {
    const action = form.getAttribute('action');
    const payload = signaturePayload(new FormData(form).entries());
    let request;
    try {
      request = fetchImpl(action, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(payload),
        credentials: 'same-origin',
      });
    } catch {
      nativeSubmit(); // fetch could not even start: let the browser post the form
      return;
    }
    setBusy(true);
    let response;
    try {
      response = await request;
    } catch {
      setBusy(false);
      if (win.navigator && win.navigator.onLine === false) {
        showMessage('error', say(t, 'sign_not_sent_heading', 'Your signature has not been sent'), offlineFailure(t));
      } else {
        nativeSubmit(); // no response at all (blocked, network hiccup): the normal post still works
      }
      return;
    }
    let body = null;
    try { body = await response.json(); } catch { /* not JSON */ }
    setBusy(false);
    if (response.status === 201 || response.ok) {
      succeed(payload, signOutcome(response.status, body));
    } else {
      fail(describeError(response.status, body, t));
    }
  }

  function setBusy(value) {
    busy = value;
    form.setAttribute('aria-busy', String(value));
    if (button) button.disabled = value;
  }

  function succeed(payload, outcome) {
    clearFieldErrors();
    // Not form.reset(): after a no-JS attempt the inputs' default values are what was typed then.
    for (const field of SIGN_FIELDS) {
      const input = form.elements.namedItem(field);
      if (input && 'value' in input) input.value = '';
    }
    const { heading, text } = signedMessage(outcome, payload, t);
    showMessage('success', heading, text);
    if (result) result.dataset.outcome = outcome;
    if (outcome === 'counted') refreshCount(); // a pending or held signature does not move the count
  }

  async function refreshCount() {
    // The live socket brings the new count; this covers a page that is offline from /live.
    const id = doc.getElementById('main')?.dataset.petitionId;
    if (!id) return;
    try {
      const response = await fetchImpl(`/petitions/${encodeURIComponent(id)}/count.json`, {
        headers: { Accept: 'application/json' }, credentials: 'same-origin',
      });
      if (!response.ok) return;
      const body = await response.json();
      if (Number.isSafeInteger(body?.signature_count)) onCount(body.signature_count);
    } catch { /* the live update will do */ }
  }

  function fail({ message, fields }) {
    clearFieldErrors();
    const entries = Object.entries(fields).filter(([field]) => form.elements.namedItem(field));
    for (const [field, text] of entries) setFieldError(field, text);
    if (entries.length > 0) {
      showSummary(entries);
    } else {
      showMessage('error', say(t, 'sign_not_added_heading', 'Your signature has not been added'), message);
    }
  }

  function clearFieldErrors() {
    doc.getElementById('error-summary')?.remove(); // the server-rendered one, from a no-JS attempt
    for (const field of SIGN_FIELDS) setFieldError(field, null);
  }

  function setFieldError(field, text) {
    const input = form.elements.namedItem(field);
    if (!input || typeof input.setAttribute !== 'function') return;
    const errorId = `${input.id || `sign-${field}`}-error`;
    let errorEl = doc.getElementById(errorId);
    const group = input.closest('.form-group');
    const describedBy = (input.getAttribute('aria-describedby') ?? '').split(/\s+/).filter((id) => id && id !== errorId);
    if (text === null) {
      errorEl?.remove();
      input.removeAttribute('aria-invalid');
      group?.classList.remove('form-group--error');
    } else {
      if (!errorEl) {
        errorEl = doc.createElement('p');
        errorEl.id = errorId;
        errorEl.className = 'error-message';
        input.before(errorEl);
      }
      errorEl.replaceChildren(visuallyHidden(say(t, 'error_prefix', 'Error: ')), text);
      input.setAttribute('aria-invalid', 'true');
      group?.classList.add('form-group--error');
      describedBy.push(errorId);
    }
    if (describedBy.length > 0) input.setAttribute('aria-describedby', describedBy.join(' '));
    else input.removeAttribute('aria-describedby');
  }

  function visuallyHidden(text) {
    const span = doc.createElement('span');
    span.className = 'visually-hidden';
    span.textContent = text;
    return span;
  }

  function showSummary(entries) {
    if (!result) return;
    const box = doc.createElement('div');
    box.className = 'error-summary';
    const title = doc.createElement('h2');
    title.className = 'error-summary__title';
    title.textContent = say(t, 'error_summary_title', 'There is a problem');
    const list = doc.createElement('ul');
    list.className = 'error-summary__list';
    for (const [field, text] of entries) {
      const input = form.elements.namedItem(field);
      const item = doc.createElement('li');
      const link = doc.createElement('a');
      link.href = `#${input.id || `sign-${field}`}`;
      link.textContent = text;
      item.append(link);
      list.append(item);
    }
    box.append(title, list);
    result.className = 'sign-result sign-result--error';
    delete result.dataset.outcome;
    result.replaceChildren(box);
    result.focus();
  }

  function showMessage(kind, heading, text) {
    if (!result) return;
    delete result.dataset.outcome;
    const title = doc.createElement('h2');
    title.className = 'sign-result__title';
    title.textContent = heading;
    const body = doc.createElement('p');
    body.textContent = text;
    result.className = `sign-result sign-result--${kind}`;
    result.replaceChildren(title, body);
    result.focus();
  }
}

if (typeof document !== 'undefined' && typeof window !== 'undefined') {
  enhancePetitionPage();
}
