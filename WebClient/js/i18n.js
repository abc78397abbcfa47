// Strings for the page's language. The server renders every page with `t` (the strings of WebClient/i18n/{lang}.json)
// and puts the same object in a JSON data block that scripts read (a data block is not executed, so the CSP allows
// it):
//
//   <script type="application/json" id="hc-strings">{"vote":"Vote","votes_one":"{n} vote",…}</script>
//
//   import { loadStrings, translator } from './i18n.js';
//   const t = translator(loadStrings(document));
//   t('vote');                          // "Vote"
//   t('claimed_by', { name: 'Ana' });   // "Claimed by {name}" -> "Claimed by Ana"
//   t.plural('votes', 3, { n: '3' });   // votes_one / votes_other ("{n} votes"), by Intl.PluralRules for the page language
//
// A missing key returns the key itself (and is reported once), so a stale strings file shows something readable
// rather than nothing.

export const STRINGS_ELEMENT_ID = 'hc-strings';

/** The strings object of the page (`{}` when the block is missing or broken). */
export function loadStrings(doc = globalThis.document) {
  const element = doc?.getElementById?.(STRINGS_ELEMENT_ID);
  if (!element) return {};
  try {
    const parsed = JSON.parse(element.textContent ?? '');
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
}

/** Replaces `{name}` placeholders with `values.name`; unknown placeholders are left as they are. */
export function format(template, values = {}) {
  return String(template).replace(/\{([a-z0-9_]+)\}/gi, (whole, name) => (
    Object.prototype.hasOwnProperty.call(values, name) && values[name] !== undefined && values[name] !== null
      ? String(values[name])
      : whole
  ));
}

/** The plural category of `n` in `lang` ('one', 'other', 'many', …); 'one' for 1 and 'other' otherwise without Intl. */
export function pluralCategory(n, lang = 'en') {
  try {
    return new Intl.PluralRules(lang).select(n);
  } catch {
    return n === 1 ? 'one' : 'other';
  }
}

/**
 * A lookup function over `strings`: `t(key, values)`, plus `t.plural(base, n, values)` which reads
 * `${base}_${category}` and falls back to `${base}_other`, and `t.has(key)`.
 * @param {Record<string,string>} strings
 * @param {{lang?: string, onMissing?: (key: string) => void}} [options]
 */
export function translator(strings, { lang = 'en', onMissing } = {}) {
  const reported = new Set();
  const missing = (key) => {
    if (reported.has(key)) return;
    reported.add(key);
    if (onMissing) onMissing(key);
    else if (typeof console !== 'undefined') console.warn(`hemicycle: missing string "${key}"`);
  };
  const has = (key) => typeof strings?.[key] === 'string';
  const t = (key, values) => {
    if (!has(key)) {
      missing(key);
      return values ? format(key, values) : key;
    }
    return values ? format(strings[key], values) : strings[key];
  };
  t.has = has;
  t.lang = lang;
  t.plural = (base, n, values = {}) => {
    const category = pluralCategory(n, lang);
    const key = has(`${base}_${category}`) ? `${base}_${category}` : `${base}_other`;
    return t(key, { n, ...values });
  };
  return t;
}

/** The translator of a page: its strings block and its `<html lang>`. */
export function pageTranslator(doc = globalThis.document) {
  const lang = doc?.documentElement?.lang || 'en';
  return translator(loadStrings(doc), { lang });
}
