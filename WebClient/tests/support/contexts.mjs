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
