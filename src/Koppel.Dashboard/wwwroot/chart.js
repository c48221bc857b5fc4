// Documents delivered and failed per day per provider, drawn as inline SVG (no library), with the numbers in a table
// beside it for whoever would rather read them.
import { h, table } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';
const svg = (tag, attrs = {}, ...children) => {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  for (const child of children) el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return el;
};

const dayOf = (iso) => {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

const FAILED = new Set(['Failed', 'DeadLettered']);

/** Counts per provider per day of the last `days` days: { provider: { day: { delivered, failed } } }. */
export function countDeliveries(deliveries, days = 14, today = new Date()) {
  const keys = [];
  for (let i = days - 1; i >= 0; i--) {
    const d = new Date(today);
    d.setDate(d.getDate() - i);
    keys.push(dayOf(d));
  }
  const counts = {};
  for (const delivery of deliveries) {
    const failed = FAILED.has(delivery.status);
    if (delivery.status !== 'Delivered' && !failed) continue;
    const day = dayOf(delivery.updatedAt);
    if (!keys.includes(day)) continue;
    const perDay = (counts[delivery.provider] ??= Object.fromEntries(keys.map((k) => [k, { delivered: 0, failed: 0 }])));
    perDay[day][failed ? 'failed' : 'delivered']++;
  }
  return { days: keys, counts };
}

/** Payment polls per day: the run log's PaymentPoll lines, succeeded against failed. */
export function countPaymentPolls(runs, days) {
  const perDay = Object.fromEntries(days.map((k) => [k, { delivered: 0, failed: 0 }]));
  for (const run of runs) {
    if (run.category !== 'PaymentPoll') continue;
    const day = dayOf(run.startedAt);
    if (!perDay[day]) continue;
    if (run.status === 'Succeeded') perDay[day].delivered++;
    else if (run.status === 'Failed' || run.status === 'PartiallySucceeded') perDay[day].failed++;
  }
  return perDay;
}

function bars(title, days, perDay, okWord, badWord) {
  const width = 44 + days.length * 34, height = 170, base = 136;
  const max = Math.max(1, ...days.map((d) => Math.max(perDay[d].delivered, perDay[d].failed)));
  const scale = (n) => (n / max) * 110;
  const totalOk = days.reduce((s, d) => s + perDay[d].delivered, 0);
  const totalBad = days.reduce((s, d) => s + perDay[d].failed, 0);
  const chart = svg('svg', { viewBox: `0 0 ${width} ${height}`, width, height, role: 'img', 'aria-label': `${title}: ${totalOk} ${okWord}, ${totalBad} ${badWord} in the last ${days.length} days` });
  chart.append(svg('line', { x1: 34, y1: base, x2: width - 4, y2: base, stroke: '#8c959f' }));
  chart.append(svg('text', { x: 30, y: base - 106, 'text-anchor': 'end', 'font-size': 12, fill: '#57606a' }, String(max)));
  chart.append(svg('text', { x: 30, y: base, 'text-anchor': 'end', 'font-size': 12, fill: '#57606a' }, '0'));
  days.forEach((day, i) => {
    const x = 40 + i * 34;
    const { delivered, failed } = perDay[day];
    chart.append(svg('rect', { x, y: base - scale(delivered), width: 14, height: scale(delivered), fill: '#1a7f37' }, svg('title', {}, `${day}: ${delivered} ${okWord}`)));
    chart.append(svg('rect', { x: x + 15, y: base - scale(failed), width: 14, height: scale(failed), fill: '#b42318' }, svg('title', {}, `${day}: ${failed} ${badWord}`)));
    if ((days.length - 1 - i) % 2 === 0 || days.length < 8) {
      chart.append(svg('text', { x: x + 15, y: base + 18, 'text-anchor': 'middle', 'font-size': 11, fill: '#57606a' }, day.slice(5)));
    }
  });
  return h('figure', { className: 'chart' },
    h('figcaption', {}, title),
    chart,
    h('details', {}, h('summary', {}, `${title} as numbers`),
      table(title, ['Day', okWord, badWord], days.map((d) => [d, String(perDay[d].delivered), String(perDay[d].failed)]))));
}

export function deliveryCharts(deliveries, runs) {
  const { days, counts } = countDeliveries(deliveries);
  const providers = Object.keys(counts).sort();
  const legend = h('p', { className: 'legend' },
    h('span', {}, h('span', { className: 'swatch delivered', ariaHidden: 'true' }), 'delivered / succeeded'),
    h('span', {}, h('span', { className: 'swatch failed', ariaHidden: 'true' }), 'failed'));
  const figures = providers.map((p) => bars(`Documents per day to ${p}`, days, counts[p], 'delivered', 'failed'));
  const polls = countPaymentPolls(runs, days);
  if (days.some((d) => polls[d].delivered + polls[d].failed > 0)) {
    figures.push(bars('Payment polls per day', days, polls, 'succeeded', 'failed'));
  }
  if (figures.length === 0) return h('p', { className: 'muted' }, 'No deliveries in the last 14 days.');
  return h('div', {}, legend, h('div', { className: 'charts' }, figures));
}
