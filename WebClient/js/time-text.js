// Times as the pages show them, in the parliament's time zone (`<html data-time-zone>`, from `--time-zone`) and the
// page's language: the same skeletons as the server's TimeText (Sources/HemicycleApp/Pages/TimeText.swift), so a
// time a script writes reads like one the server rendered.

/** The parliament's IANA time zone from the page, or undefined (the browser's own) when absent or unknown. */
export function pageTimeZone(doc = globalThis.document) {
  const zone = doc?.documentElement?.dataset?.timeZone;
  if (!zone) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return zone;
  } catch {
    return undefined;
  }
}

const SKELETONS = Object.freeze({
  time: { hour: 'numeric', minute: '2-digit' },
  clock: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  date: { day: 'numeric', month: 'long', year: 'numeric' },
  shortDate: { day: 'numeric', month: 'short' },
});

/** An Intl.DateTimeFormat of `kind` (time, clock, date, shortDate) in `lang` and `timeZone`. */
export function timeFormat(lang, timeZone, kind = 'time') {
  return new Intl.DateTimeFormat(lang, { ...(SKELETONS[kind] ?? SKELETONS.time), ...(timeZone ? { timeZone } : {}) });
}

/** `formatter.format(date)` with ICU's narrow no-break spaces as plain spaces (as the server writes them). */
export function formatTime(formatter, date) {
  return formatter.format(date).replace(/[\u202F\u00A0]/g, ' ');
}
