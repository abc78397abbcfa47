// A dashboard chart on the page (dashboard-page.js places them in the cards): a <figure> with its caption, an
// optional legend, the plot (charts.js's SVG with its <title> and <desc>) and, folded in a <details>, a table of the
// same numbers with its caption and a note on the rows' span. Drawn again only when what it shows changed.
//
// DOM: figure.chart#{id}-figure > figcaption.chart__caption, ul.chart__legend, div.chart__plot > svg,
// details.chart__details > summary.details__summary, table.chart__table (caption, thead, tbody), p.chart__note.

import { lineChart, renderSvg } from './charts.js';
import { h } from './dom.js';

const CHART_HEIGHT = 220;

export function chartFigure(doc, { id, legend = false, caption }) {
  return h(doc, 'figure', { className: 'chart', attrs: { id: `${id}-figure` } },
    h(doc, 'figcaption', { className: 'chart__caption', text: caption }),
    legend ? h(doc, 'ul', { className: 'chart__legend' }) : null,
    h(doc, 'div', { className: 'chart__plot' }),
    h(doc, 'details', { className: 'details chart__details' },
      h(doc, 'summary', { className: 'details__summary' }),
      h(doc, 'div', { className: 'table-wrap' },
        h(doc, 'table', { className: 'table chart__table' },
          h(doc, 'caption', { className: 'table__caption' }),
          h(doc, 'thead', {}, h(doc, 'tr', {})),
          h(doc, 'tbody', {}))),
      h(doc, 'p', { className: 'chart__note' })));
}

const drawnKeys = new WeakMap(); // figure -> what it was last drawn from

/**
 * Fills a figure made by chartFigure with a model of dashboard-models.js: the svg at the plot's width (shorter under
 * 420 px), the legend, the table and its note. Answers whether it drew (false: nothing it shows changed).
 */
export function fillFigure(doc, figure, model, { t, fmt }) {
  const plot = figure.querySelector('.chart__plot');
  const width = Math.max(200, Math.round(plot.clientWidth || 600));
  // Tallies come every second: draw again only when the figures, the minute or the width changed (an open table is
  // not rebuilt under a reader's eyes for nothing).
  const key = JSON.stringify([width, Math.floor(model.end / 60_000), model.desc, model.rows]);
  if (drawnKeys.get(figure) === key) return false;
  drawnKeys.set(figure, key);
  figure.querySelector('.chart__caption').textContent = model.title;
  plot.replaceChildren(renderSvg(doc, lineChart({
    ...model, width, height: width < 420 ? 180 : CHART_HEIGHT, formatTime: fmt.time, formatValue: fmt.number,
    emptyText: t('chart_no_data'),
  })));
  const legend = figure.querySelector('.chart__legend');
  if (legend) {
    legend.replaceChildren(...model.series.map((s) => h(doc, 'li', { className: 'chart__legend-item' },
      h(doc, 'span', { className: `chart__swatch chart__swatch--${s.key}`, attrs: { 'aria-hidden': 'true' } }), s.label)));
  }
  figure.querySelector('.details__summary').textContent = t('chart_show_data');
  const table = figure.querySelector('.chart__table');
  table.querySelector('caption').textContent = model.title;
  table.querySelector('thead tr').replaceChildren(...model.head.map((text, i) => h(doc, 'th', {
    className: i > 0 ? 'table__num' : '', attrs: { scope: 'col' }, text,
  })));
  table.querySelector('tbody').replaceChildren(...model.rows.map((cells) => h(doc, 'tr', {},
    h(doc, 'th', { attrs: { scope: 'row' }, text: cells[0] }),
    ...cells.slice(1).map((text) => h(doc, 'td', { className: 'table__num', text })))));
  figure.querySelector('.chart__note').textContent = model.note ?? '';
  return true;
}
