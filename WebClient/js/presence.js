// Staff presence for the console pages: POST /api/v1/sittings/{id}/presence {} on load, every 20 s, and when
// the tab becomes visible again (Protocol/HEARINGS.md §3). The answer lists the staff who have a page of the
// sitting open.

import { ApiError } from './api.js';

export const PRESENCE_INTERVAL_MS = 20_000;

/** A staff member as the presence list shows them: the name and the role in the page's words (`role_*` strings). */
export function presenceText(t, { name, role } = {}) {
  if (!role) return String(name ?? '');
  const key = `role_${String(role).replace(/-/g, '_')}`;
  return `${name} (${t?.has?.(key) ? t(key) : role})`;
}

/**
 * @param {{api: Function, sittingId: string|number, onStaff: (staff: object[]) => void,
 *          onUnauthorized?: (error: ApiError) => void, doc?: Document, win?: Window, intervalMs?: number}} options
 * @returns {{beat: () => Promise<void>, stop: () => void}}
 */
export function startPresence({
  api, sittingId, onStaff, onUnauthorized = () => {}, doc = globalThis.document, win = globalThis.window,
  intervalMs = PRESENCE_INTERVAL_MS,
}) {
  const path = `/api/v1/sittings/${encodeURIComponent(sittingId)}/presence`;
  async function beat() {
    try {
      const answer = await api(path, { method: 'POST', body: {} });
      if (answer && Array.isArray(answer.staff)) onStaff(answer.staff);
    } catch (error) {
      if (error instanceof ApiError && (error.status === 401 || error.status === 403)) onUnauthorized(error);
    }
  }
  const onVisible = () => { if (doc.visibilityState === 'visible') beat(); };
  beat();
  const timer = win.setInterval(beat, intervalMs);
  doc.addEventListener('visibilitychange', onVisible);
  return {
    beat,
    stop() { win.clearInterval(timer); doc.removeEventListener('visibilitychange', onVisible); },
  };
}
