// A throttled announcer for an aria-live region: a count that changes many times a second must not make a
// screen reader talk non-stop. At most one announcement per `intervalMs` (default 10 s); the value announced is
// always the latest one asked for (a trailing announcement at the end of the quiet window, so the last value is
// never lost). With `leading: true` (the default) the first change after a quiet window is announced at once.
//
//   const announcer = new Announcer(document.getElementById('live-announcer'));
//   announcer.announce('1,235 signatures');

import { Defaults } from './constants.js';

export class Announcer {
  #element;
  #intervalMs;
  #leading;
  #setTimeout;
  #clearTimeout;
  #now;
  #lastAt = -Infinity;
  #lastText;
  #pending = null;
  #timer = null;

  /**
   * @param {{textContent: string}} element  the live region (`aria-live="polite" aria-atomic="true"`)
   * @param {object} [options]
   * @param {number} [options.intervalMs]
   * @param {boolean} [options.leading]  announce the first change of a quiet period immediately
   */
  constructor(element, {
    intervalMs = Defaults.ANNOUNCE_INTERVAL_MS,
    leading = true,
    setTimeout = (fn, ms) => globalThis.setTimeout(fn, ms),
    clearTimeout = (id) => globalThis.clearTimeout(id),
    now = () => Date.now(),
  } = {}) {
    if (!element) throw new TypeError('Announcer needs an element');
    this.#element = element;
    this.#intervalMs = intervalMs;
    this.#leading = leading;
    this.#setTimeout = setTimeout;
    this.#clearTimeout = clearTimeout;
    this.#now = now;
    this.#lastText = element.textContent ?? '';
  }

  /** The text waiting for the end of the current window, or null. */
  get pending() { return this.#pending; }

  /** Asks for `text` to be announced; it replaces any text still waiting. */
  announce(text) {
    const value = String(text);
    if (this.#timer !== null) {
      this.#pending = value;
      return;
    }
    const elapsed = this.#now() - this.#lastAt;
    if (this.#leading && elapsed >= this.#intervalMs) {
      this.#speak(value);
      return;
    }
    this.#pending = value;
    const delay = this.#leading ? Math.max(0, this.#intervalMs - elapsed) : this.#intervalMs;
    this.#timer = this.#setTimeout(() => this.flush(), delay);
  }

  /** Announces the waiting text now (if any). */
  flush() {
    if (this.#timer !== null) this.#clearTimeout(this.#timer);
    this.#timer = null;
    const value = this.#pending;
    this.#pending = null;
    if (value !== null) this.#speak(value);
  }

  /** Drops the waiting text. */
  cancel() {
    if (this.#timer !== null) this.#clearTimeout(this.#timer);
    this.#timer = null;
    this.#pending = null;
  }

  #speak(value) {
    // A live region does not re-announce unchanged text; do not spend the window on it.
    if (value === this.#lastText) return;
    this.#element.textContent = value;
    this.#lastText = value;
    this.#lastAt = this.#now();
  }
}
