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
    csrf_token: 'csrf-sign123',
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

/** The page a sign form without a valid CSRF token gets back (403): the code on the summary, the entries kept. */
export function petitionCSRFFailedContext() {
  return petitionContext({
    form: {
      errors: [{ field: 'form', message: 'This form has expired or did not come from this site. Reload the page and try again.' }],
      field_errors: { form: 'This form has expired or did not come from this site. Reload the page and try again.' },
      has_errors: true,
      code: 'csrf_failed',
      values: { name: 'Ada Lovelace', email: 'ada@example.org', postcode: '', country: '' },
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
      { id: 1, action: 'Fund free school meals for every primary pupil', signature_count: '1234', signature_count_text: '1,234', unit: 'signatures', state_text: '', has_state: false },
      { id: 2, action: 'Publish committee evidence in plain language', signature_count: '87', signature_count_text: '87', unit: 'signatures', state_text: 'Closed', has_state: true },
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
    can_take_part: true,
    participant_refused: false,
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

/** The viewer page when the server could not give the visitor a participant (too many new ones from their network). */
export function participantRefusedSittingPageContext() {
  return sittingPageContext({ csrf_token: '', can_take_part: false, participant_refused: true });
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
    join_url: 'https://hemicycle.example/sittings/1', join_text: 'hemicycle.example/sittings/1', qr_url: '/sittings/1/qr.svg',
    qr_alt: 'QR code of the address hemicycle.example/sittings/1', badge_text: 'Live',
    ended_text: 'Thank you for your questions. The record of the sitting, with the questions answered, is at hemicycle.example/sittings/1.',
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
      { at: '2026-11-29T14:05:10.000Z', at_text: '14:05', question_id: 12, action: 'approve', action_text: 'Approved', state: 'approved', reason_code: '', reason_text: '', has_reason: false },
      { at: '2026-11-29T14:06:00.000Z', at_text: '14:06', question_id: 14, action: 'reject', action_text: 'Rejected', state: 'rejected', reason_code: 'off_topic', reason_text: 'Not about the subject of the sitting', has_reason: true },
    ],
    counts: [{ label: 'Approved', count: 10 }, { label: 'Rejected', count: 2 }, { label: 'Rejected: off topic', count: 1 }],
  };
}

// ---------- the petition lifecycle (Protocol/PETITIONS.md; the contexts listed in WebClient/README.md) ----------
// Ids are strings, as the server renders them ("\(petition.id)").

const samplePetitionText = {
  action: 'Make bus travel free for under-19s',
  background: 'Young people depend on buses to get to school, college and work.\nFares have doubled in ten years.',
  additional_details: 'Several cities already do this; the costs are in their annual reports.',
};

export function petitionNewContext(overrides = {}) {
  const { form = {}, ...rest } = overrides;
  return {
    title: 'Start a petition',
    ...i18nContext('en', '/petitions/new'),
    csrf_token: 'csrf-abc123',
    form: {
      values: { action: '', background: '', additional_details: '', name: '', email: '', postcode: '', country: '' },
      errors: {},
      has_errors: false,
      ...form,
    },
    limits: { action: 80, background: 300, additional_details: 800 },
    supporters_required: 5,
    ...rest,
  };
}

export function petitionNewWithErrorsContext() {
  return petitionNewContext({
    form: {
      values: {
        action: 'Ban <script> tags & "quotes" from petitions', background: 'Because <b>markup</b> is not allowed.',
        additional_details: '', name: 'Ada', email: 'ada@', postcode: 'SW1A 0AA', country: 'United Kingdom',
      },
      errors: {
        action: 'Markup is not allowed: remove < and >.',
        background: 'Markup is not allowed: remove < and >.',
        email: 'Enter an email address in the correct format, like name@example.com.',
        country: 'Enter a two-letter country code, like GB.',
      },
      has_errors: true,
    },
  });
}

export function petitionNewFormErrorContext() {
  return petitionNewContext({
    form: {
      values: { ...samplePetitionText, name: 'Ada', email: 'ada@example.org', postcode: '', country: '' },
      errors: { form: 'Too many petitions from this address today. Try again tomorrow.' },
      has_errors: true,
    },
  });
}

export function petitionCreatedContext() {
  return {
    title: 'Check your email',
    ...i18nContext('en', '/petitions/new'),
    petition: { id: '7', action: samplePetitionText.action },
    email: 'ada+petitions@example.org',
  };
}

export function confirmContext() {
  return { title: 'Confirm your email address', ...i18nContext('en', '/confirm/tok_AbC-123'), token: 'tok_AbC-123', csrf_token: 'csrf-confirm' };
}

export function confirmedCreatorContext(overrides = {}) {
  return {
    title: 'Confirmed',
    ...i18nContext('en', '/confirm/tok_AbC-123'),
    petition: { id: '7', action: samplePetitionText.action, state: 'validated' },
    support_url: 'https://hemicycle.example/petitions/7/support/s3cr3tS0nsor',
    supporters_required: 5,
    sponsored: false,
    ...overrides,
  };
}

export function confirmedSupporterContext(overrides = {}) {
  return {
    title: 'Confirmed',
    ...i18nContext('en', '/confirm/tok_DeF-456'),
    petition: { id: '7', action: samplePetitionText.action, state: 'validated' },
    support_url: '',
    supporters_required: 5,
    sponsored: false,
    ...overrides,
  };
}

export function supportContext(overrides = {}) {
  const { petition = {}, form = {}, ...rest } = overrides;
  return {
    title: samplePetitionText.action,
    ...i18nContext('en', '/petitions/7/support/s3cr3tS0nsor'),
    petition: { id: '7', ...samplePetitionText, creator_name: 'Ada Lovelace', ...petition },
    token: 's3cr3tS0nsor',
    csrf_token: 'csrf-abc123',
    form: { values: { name: '', email: '', postcode: '', country: '' }, errors: {}, has_errors: false, ...form },
    ...rest,
  };
}

export function supportWithErrorsContext() {
  return supportContext({
    form: {
      values: { name: 'Bo <Brummell>', email: 'bo@example', postcode: '', country: '' },
      errors: { email: 'Enter an email address in the correct format, like name@example.com.', form: 'Some fields are not valid.' },
      has_errors: true,
    },
  });
}

export function supportedContext() {
  return {
    title: samplePetitionText.action,
    ...i18nContext('en', '/petitions/7/support/s3cr3tS0nsor'),
    petition: { id: '7', action: samplePetitionText.action },
    email: 'bo@example.org',
  };
}

export function staffPetitionsContext() {
  return {
    title: 'Petitions to moderate',
    ...i18nContext('en', '/staff/petitions'),
    staff: { id: '4', name: 'Pat Moderator', role: 'petitions-moderator' },
    csrf_token: 'csrf-abc123',
    reasons: [
      { code: 'duplicate', text: 'There’s already a petition about this issue.' },
      { code: 'irrelevant', text: 'It’s about something the Government or Parliament is not directly responsible for.' },
      { code: 'offensive', text: 'It’s offensive, nonsense, a joke, or an advert.' },
    ],
  };
}

/** GET /staff/signatures (SignatureIntegrityController.page): held counts by petition, ids as strings. */
export function staffSignaturesContext(overrides = {}) {
  return {
    title: 'Held and invalidated signatures',
    ...i18nContext('en', '/staff/signatures'),
    staff: { id: '4', name: 'Pat Moderator', role: 'petitions-moderator' },
    csrf_token: 'csrf-abc123',
    held: [{ petition_id: '1', held: 3 }, { petition_id: '7', held: 1 }],
    has_held: true,
    confirmation: 'none',
    ...overrides,
  };
}

/** The public page of a rejected petition (no `t`, as the server renders the petition page). */
export function rejectedPetitionContext() {
  return petitionContext({
    petition: { state: 'rejected', state_label: 'Rejected', is_open: false },
    rejection: { code: 'duplicate', text: 'There’s already a petition about this issue.', details: 'Sign petition 12 instead: it asks for the same thing.' },
  });
}

/** The public page of a petition with a government response and a debate. */
export function respondedPetitionContext(overrides = {}) {
  return petitionContext({
    government_response: {
      responded_on: '2026-12-01',
      summary: 'The Government has no plans to make bus travel free for under-19s.',
      details: 'Local authorities already fund concessions.\nWe keep this under review.',
    },
    debate: {
      debated_on: '2027-01-15',
      transcript_url: 'https://hansard.example.org/debates/2027-01-15/buses',
      video_url: 'https://parliamentlive.example.org/event/123',
      overview: 'MPs debated free bus travel for young people.',
    },
    ...overrides,
  });
}
