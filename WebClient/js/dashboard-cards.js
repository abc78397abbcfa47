// The dashboard's cards (dashboard-page.js keeps them in its two lists with reconcileList): one per sitting (title,
// state, viewers, peak, questions by state, the audience and questions charts) and one per petition (action, a
// closed petition's state, count, per minute, a bar per threshold, the signatures-per-minute chart). `create*` makes
// an empty card, `update*` fills it in place from the tally (numbers written only when they change). The charts'
// models come from the page (`sittingModels(s)`, `petitionModel(p)`: dashboard-models.js with the page's series).
// No socket, no fetch.
//
// DOM: li.dash-card.dash-card--sitting[data-sitting-id][data-state] > h3 a, .dash-card__state .tag, dl.stats
// [data-stat], figure#chart-sitting-{id}-audience-figure, figure#chart-sitting-{id}-questions-figure;
// li.dash-card.dash-card--petition[data-petition-id] > h3 a, p.dash-card__state, dl.stats [data-stat],
// ul.dash-thresholds > li.threshold (label, progress[data-threshold], p.threshold__status),
// figure#chart-petition-{id}-figure.

import { thresholdProgress } from './dashboard-state.js';
import { chartFigure, fillFigure } from './dashboard-figure.js';
import { h, reconcileList } from './dom.js';
import { sittingStateText } from './hearing-text.js';

/**
 * The card makers. `fmt`: dashboard-models.js's formatters; `sittingModels(s)` -> {audience, questions};
 * `petitionModel(p)` -> the petition chart's model.
 */
export function dashboardCards({ doc, t, fmt, sittingModels, petitionModel }) {
  const stat = (label, key) => h(doc, 'div', { className: 'stats__item' },
    h(doc, 'dt', { className: 'stats__label', text: label }),
    h(doc, 'dd', { className: 'stats__value', dataset: { stat: key } }));
  const setStat = (card, key, value) => {
    const dd = card.querySelector(`[data-stat="${key}"]`);
    const text = fmt.number(Number.isFinite(value) ? value : 0);
    if (dd && dd.textContent !== text) dd.textContent = text;
  };

  function createSitting(s) {
    return h(doc, 'li', { className: 'dash-card dash-card--sitting', dataset: { sittingId: s.id } },
      h(doc, 'h3', { className: 'dash-card__title' }, h(doc, 'a', { className: 'link', attrs: { href: `/sittings/${s.id}` } })),
      h(doc, 'p', { className: 'dash-card__state' }, h(doc, 'span', { className: 'tag' })),
      h(doc, 'dl', { className: 'stats' },
        stat(t('stat_viewers'), 'viewers'),
        stat(t('stat_peak'), 'peak_viewers'),
        stat(t('stat_submitted'), 'submitted'),
        stat(t('stat_approved'), 'approved'),
        stat(t('stat_answered'), 'answered')),
      h(doc, 'div', { className: 'dash-card__charts' },
        chartFigure(doc, { id: `chart-sitting-${s.id}-audience`, caption: t('chart_audience_title') }),
        chartFigure(doc, { id: `chart-sitting-${s.id}-questions`, caption: t('chart_questions_title'), legend: true })));
  }

  function updateSitting(card, s) {
    card.dataset.state = s.state ?? '';
    card.querySelector('.dash-card__title a').textContent = s.title ?? '';
    const tag = card.querySelector('.dash-card__state .tag');
    tag.className = `tag tag--${s.state}`;
    tag.textContent = sittingStateText(t, s.state);
    setStat(card, 'viewers', s.viewers);
    setStat(card, 'peak_viewers', s.peak_viewers);
    setStat(card, 'submitted', s.questions?.submitted);
    setStat(card, 'approved', s.questions?.approved);
    setStat(card, 'answered', s.questions?.answered);
    const models = sittingModels(s);
    fillFigure(doc, card.querySelector(`#chart-sitting-${s.id}-audience-figure`), models.audience, { t, fmt });
    fillFigure(doc, card.querySelector(`#chart-sitting-${s.id}-questions-figure`), models.questions, { t, fmt });
  }

  function createPetition(p) {
    const id = p.id;
    return h(doc, 'li', { className: 'dash-card dash-card--petition', dataset: { petitionId: id } },
      h(doc, 'h3', { className: 'dash-card__title' }, h(doc, 'a', { className: 'link', attrs: { href: `/petitions/${id}` } })),
      h(doc, 'p', { className: 'tag dash-card__state', attrs: { hidden: '' } }),
      h(doc, 'dl', { className: 'stats' },
        stat(t('stat_signatures'), 'signature_count'),
        stat(t('stat_per_minute'), 'per_minute')),
      h(doc, 'ul', { className: 'dash-thresholds' }),
      chartFigure(doc, { id: `chart-petition-${id}`, caption: t('chart_signatures_title') }));
  }

  function updatePetition(card, p) {
    card.querySelector('.dash-card__title a').textContent = p.action ?? '';
    // Not `state`: issue 12's dashboard broke when a local `state` here hid the page's own.
    const stateTag = card.querySelector('.dash-card__state');
    const closed = typeof p.state === 'string' && p.state !== 'open';
    stateTag.hidden = !closed;
    stateTag.textContent = closed ? (t.has(`petition_state_${p.state}`) ? t(`petition_state_${p.state}`) : p.state) : '';
    setStat(card, 'signature_count', p.signature_count);
    setStat(card, 'per_minute', p.per_minute);
    const thresholds = Array.isArray(p.thresholds) ? p.thresholds : [];
    reconcileList(card.querySelector('.dash-thresholds'), thresholds, {
      key: (th) => th.name,
      create: (th) => {
        const barId = `dash-${p.id}-threshold-${th.name}`;
        return h(doc, 'li', { className: 'threshold' },
          h(doc, 'label', { className: 'threshold__label', attrs: { for: barId } }),
          h(doc, 'progress', { className: 'threshold__bar', attrs: { id: barId, max: 100, value: 0 }, dataset: { threshold: th.name } }),
          h(doc, 'p', { className: 'threshold__status' }));
      },
      update: (li, th) => {
        const reached = Boolean(th.reached_at);
        const percent = reached ? 100 : thresholdProgress(p.signature_count, th.signatures);
        li.classList.toggle('threshold--reached', reached);
        li.querySelector('.threshold__label').textContent = t('threshold_label', {
          name: t.has(`threshold_${th.name}`) ? t(`threshold_${th.name}`) : th.name,
          n: fmt.number(th.signatures ?? 0),
        });
        const bar = li.querySelector('progress');
        bar.value = percent;
        bar.setAttribute('value', String(percent));
        bar.textContent = `${percent}%`;
        li.querySelector('.threshold__status').textContent = reached ? t('threshold_reached') : t('threshold_percent', { n: percent });
      },
    });
    fillFigure(doc, card.querySelector(`#chart-petition-${p.id}-figure`), petitionModel(p), { t, fmt });
  }

  return { createSitting, updateSitting, createPetition, updatePetition };
}
