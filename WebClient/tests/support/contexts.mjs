// Sample template contexts, shaped as Protocol/DESIGN-CONTRACT.md describes them ("Templates").
// `form.field_errors` is the one addition the templates use: a map field -> message (see README.md).

export function petitionContext(overrides = {}) {
  const { petition = {}, form = {}, ...rest } = overrides;
  return {
    title: 'Fund free school meals for every primary pupil',
    petition: {
      id: 1,
      topic: 'petition:1',
      action: 'Fund free school meals for every primary pupil',
      background: 'Hungry children cannot learn.\nA free meal every school day for every primary pupil would end the stigma of means testing.',
      additional_details: 'Costs and sources are listed in the annex.\nWe ask Parliament to debate the proposal.',
      state: 'open',
      state_label: 'Open',
      is_open: true,
      signature_count: 1234,
      signature_count_text: '1,234',
      thresholds: [
        { name: 'response', label: 'Government response', signatures_text: '10,000', reached: false, reached_at: null, percent: 12 },
        { name: 'debate', label: 'Debate in Parliament', signatures_text: '100,000', reached: false, reached_at: null, percent: 1 },
      ],
      ...petition,
    },
    form: {
      errors: [],
      has_errors: false,
      values: { name: '', email: '', postcode: '', country: '' },
      ...form,
    },
    ...rest,
  };
}

export function petitionWithErrorsContext() {
  return petitionContext({
    form: {
      errors: [
        { field: 'email', message: 'Enter an email address in the correct format, like name@example.com' },
      ],
      field_errors: { email: 'Enter an email address in the correct format, like name@example.com' },
      has_errors: true,
      values: { name: 'Ada <Lovelace> & "friends"', email: 'not-an-email', postcode: 'SW1A 0AA', country: '' },
    },
  });
}

export function closedPetitionContext() {
  return petitionContext({
    petition: {
      state: 'closed',
      state_label: 'Closed',
      is_open: false,
      additional_details: null,
      signature_count: 123456,
      signature_count_text: '123,456',
      thresholds: [
        { name: 'response', label: 'Government response', signatures_text: '10,000', reached: true, reached_at: '2026-01-02T03:04:05Z', percent: 100 },
        { name: 'debate', label: 'Debate in Parliament', signatures_text: '100,000', reached: true, reached_at: '2026-02-03T04:05:06Z', percent: 100 },
      ],
    },
  });
}

export function signedContext() {
  return {
    title: 'Thank you for signing',
    petition: { id: 1, action: 'Fund free school meals for every primary pupil', signature_count: 1235, signature_count_text: '1,235' },
    flash: 'Your signature has been added.',
  };
}

export function homeContext() {
  return {
    title: 'Hemicycle',
    petitions: [
      { id: 1, action: 'Fund free school meals for every primary pupil', signature_count_text: '1,234' },
      { id: 2, action: 'Publish committee evidence in plain language', signature_count_text: '87' },
    ],
    sittings: [{ id: 1, title: 'Education Committee: school meals', state: 'scheduled' }],
  };
}

export function emptyHomeContext() {
  return { title: 'Hemicycle', petitions: [], sittings: [] };
}

export function errorContext() {
  return { title: 'Page not found', status: 404, message: 'There is no petition with this number.' };
}

// ---------- live hearings (Protocol/HEARINGS.md §4; the contexts listed in WebClient/README.md) ----------

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const I18N_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'i18n');

/** The strings of a language, as the server passes them (`t`). */
export function strings(lang = 'en') {
  return JSON.parse(readFileSync(join(I18N_DIR, `${lang}.json`), 'utf8'));
}

/** `strings_json` as the server renders it: JSON with `<` escaped, safe inside a script element. */
export function stringsJson(t) {
  return JSON.stringify(t).replace(/</g, '\\u003c');
}

/** The keys every i18n page gets: title, lang, t, strings_json, languages. */
export function i18nContext(lang = 'en', path = '/sittings/1') {
  const t = strings(lang);
  return {
    lang,
    t,
    strings_json: stringsJson(t),
    languages: [
      { code: 'en', name: 'English', url: `${path}?lang=en`, current: lang === 'en' },
      { code: 'fr', name: 'Français', url: `${path}?lang=fr`, current: lang === 'fr' },
    ],
  };
}

export function sampleSitting(overrides = {}) {
  return {
    id: 1,
    title: 'Oral evidence: Rail fares and ticketing reform',
    committee: 'Transport Committee',
    state: 'live',
    state_text: 'Live',
    scheduled_start: '2026-11-29T14:00:00.000Z',
    scheduled_start_text: '29 November 2026, 14:00',
    stream_url: 'https://www.youtube-nocookie.com/embed/abc',
    agenda: ['Fares', 'Ticketing'],
    witnesses: ['Rail Minister', 'Network Rail'],
    allow_anonymous: true,
    max_question_length: 280,
    is_ended: false,
    is_live: true,
    ...overrides,
  };
}

export function sampleQuestion(overrides = {}) {
  return {
    id: 12,
    text: 'Will off-peak fares return on weekends?',
    name_text: 'Ana',
    region: 'Wales',
    votes: 4,
    votes_text: '4 votes',
    edited: false,
    state: 'approved',
    state_text: 'Published',
    tag: 'Fares',
    is_open: (overrides.state ?? 'approved') !== 'answered',
    voted: false,
    ...overrides,
  };
}

const sampleStaff = { id: 7, name: 'Mo Derator', role: 'moderator' };

export function sittingPageContext(overrides = {}) {
  const { sitting = {}, form = {}, ...rest } = overrides;
  return {
    title: 'Oral evidence: Rail fares and ticketing reform',
    ...i18nContext('en', '/sittings/1'),
    sitting: sampleSitting(sitting),
    on_screen: sampleQuestion({ id: 9, text: 'Why do split tickets cost less than one ticket?', name_text: 'Anonymous', region: '', votes: 31, votes_text: '31 votes', state: 'on_screen', state_text: 'On screen now', tag: '' }),
    questions: [
      sampleQuestion({ id: 9, text: 'Why do split tickets cost less than one ticket?', name_text: 'Anonymous', region: '', votes: 31, votes_text: '31 votes', state: 'on_screen', state_text: 'On screen now', tag: '' }),
      sampleQuestion(),
      sampleQuestion({ id: 13, text: 'Will season tickets be <cheaper> & "fairer"?', name_text: 'Bo', region: '', votes: 1, votes_text: '1 vote', edited: true, tag: '' }),
      sampleQuestion({ id: 5, text: 'When will the review report?', votes: 10, votes_text: '10 votes', state: 'answered', state_text: 'Answered' }),
    ],
    csrf_token: 'csrf-abc123',
    form: { values: { text: '', name: '', region: '' }, errors: {}, has_errors: false, ...form },
    og: { title: 'Oral evidence: Rail fares and ticketing reform', description: 'Ask your questions live.', url: 'https://hemicycle.example/sittings/1' },
    ...rest,
  };
}

export function sittingPageWithErrorsContext() {
  return sittingPageContext({
    form: {
      values: { text: 'Is <this> too long?', name: 'Ana', region: 'Wales' },
      errors: { text: 'Your question must not contain < or >', region: 'Enter at most 80 characters', form: 'Check what you entered.' },
      has_errors: true,
    },
  });
}

export function endedSittingPageContext() {
  return sittingPageContext({
    sitting: { state: 'ended', state_text: 'Ended', is_ended: true, is_live: false, stream_url: null },
    on_screen: null,
    questions: [],
    flash: 'Your question has been sent.',
  });
}

export function sittingsContext() {
  return {
    title: 'Committee sittings',
    ...i18nContext('en', '/sittings'),
    live: [sampleSitting()],
    upcoming: [sampleSitting({ id: 2, title: 'Energy prices', state: 'scheduled', state_text: 'Scheduled', is_live: false })],
    past: [],
  };
}

export function screenContext() {
  return {
    title: 'Oral evidence: Rail fares and ticketing reform',
    ...i18nContext('en', '/sittings/1/screen'),
    sitting: sampleSitting(),
    on_screen: sampleQuestion({ id: 9, state: 'on_screen', state_text: 'On screen now' }),
    top: [sampleQuestion(), sampleQuestion({ id: 13, text: 'Second', votes: 2, votes_text: '2 votes' })],
  };
}

export function moderateContext() {
  return {
    title: 'Moderation',
    ...i18nContext('en', '/sittings/1/moderate'),
    sitting: sampleSitting(),
    staff: sampleStaff,
    csrf_token: 'csrf-abc123',
    reasons: [
      { code: 'off_topic', text: 'Not about the subject of the sitting' },
      { code: 'abusive', text: 'Abusive or offensive' },
      { code: 'duplicate', text: 'Already asked' },
    ],
  };
}

export function chairContext() {
  return {
    title: 'Chair',
    ...i18nContext('en', '/sittings/1/chair'),
    sitting: sampleSitting(),
    staff: { id: 3, name: 'Chris Chair', role: 'chair' },
    csrf_token: 'csrf-abc123',
  };
}

export function dashboardContext() {
  return {
    title: 'Live dashboard',
    ...i18nContext('en', '/dashboard'),
    sittings: [{ ...sampleSitting(), viewers: 212 }],
    petitions: [{ id: 1, action: 'Fund free school meals for every primary pupil', signature_count_text: '10,412' }],
  };
}

export function loginContext(overrides = {}) {
  return {
    title: 'Staff sign in',
    ...i18nContext('en', '/staff/login'),
    csrf_token: 'csrf-abc123',
    next: '/sittings/1/moderate',
    form: { values: { email: '' }, errors: {}, has_errors: false },
    ...overrides,
  };
}

export function loginWithErrorsContext() {
  return loginContext({
    form: { values: { email: 'mo@example.org' }, errors: { form: 'The email address or the password is not right.' }, has_errors: true },
  });
}

export function staffHomeContext(overrides = {}) {
  return {
    title: 'Staff',
    ...i18nContext('en', '/staff'),
    staff: { id: 1, name: 'Ada Admin', role: 'admin' },
    csrf_token: 'csrf-abc123',
    sittings: [
      { ...sampleSitting(), can_moderate: true, can_chair: true },
      { ...sampleSitting({ id: 2, title: 'Energy prices', state: 'scheduled', state_text: 'Scheduled' }), can_moderate: true, can_chair: false },
    ],
    can_create: true,
    password_change_required: true,
    ...overrides,
  };
}

export function passwordContext(overrides = {}) {
  return {
    title: 'Change your password',
    ...i18nContext('en', '/staff/password'),
    staff: { id: 1, name: 'Ada Admin', role: 'admin' },
    csrf_token: 'csrf-abc123',
    form: { errors: {}, has_errors: false },
    ...overrides,
  };
}

export function passwordWithErrorsContext() {
  return passwordContext({
    form: { errors: { current: 'Your current password is not right.', new: 'Use at least 12 characters.' }, has_errors: true },
  });
}

export function moderationLogContext() {
  return {
    title: 'Moderation log',
    ...i18nContext('en', '/sittings/1/moderation-log'),
    sitting: sampleSitting({ state: 'ended', state_text: 'Ended', is_ended: true, is_live: false }),
    entries: [
      { at: '2026-11-29T14:05:10.000Z', at_text: '14:05', question_id: 12, action: 'approve', action_text: 'Approved', state: 'approved', reason_code: null, reason_text: null },
      { at: '2026-11-29T14:06:00.000Z', at_text: '14:06', question_id: 14, action: 'reject', action_text: 'Rejected', state: 'rejected', reason_code: 'off_topic', reason_text: 'Not about the subject of the sitting' },
    ],
    counts: [{ label: 'Approved', count: 10 }, { label: 'Rejected', count: 2 }, { label: 'Rejected: off topic', count: 1 }],
  };
}
