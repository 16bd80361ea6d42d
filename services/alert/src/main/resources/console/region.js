// A region: its aggregates over time per threat type and its seizures by drug type (from the aggregator, through the
// alert service's proxy), and its alert history (from the alert API).
import { h, clear, cssVar, threatName, drugName, clock, formatNumber, reducedMotion } from './ui.js';
import { get, describeError } from './api.js';

let seriesChart = null;
let drugsChart = null;
let current = null;
let regionName = (code) => code;

export function configure(names) {
  regionName = names;
  document.getElementById('region-range').addEventListener('change', () => current && show(current));
  new ResizeObserver(() => { seriesChart?.resize(); drugsChart?.resize(); })
    .observe(document.getElementById('region-view'));
}

export const shown = () => current;

export async function show(code) {
  current = code;
  const title = document.getElementById('region-title');
  title.textContent = `${regionName(code)} (${code})`;
  const status = document.getElementById('region-status');
  status.textContent = 'Loading…';
  seriesChart ??= echarts.init(document.getElementById('region-series'));
  drugsChart ??= echarts.init(document.getElementById('region-drugs'));
  seriesChart.resize();
  drugsChart.resize();
  const week = document.getElementById('region-range').value === '7d';
  const to = new Date();
  const from = new Date(to.getTime() - (week ? 7 * 24 : 24) * 3600000);
  from.setUTCMinutes(0, 0, 0);
  const [aggregates, alerts] = await Promise.allSettled([
    get(`/console/api/aggregates?region=${encodeURIComponent(code)}&window=PT1H&from=${from.toISOString()}`),
    get(`/v1/alerts?region=${encodeURIComponent(code)}&limit=100`),
  ]);
  if (current !== code) return;
  const problems = [];
  if (aggregates.status === 'fulfilled') {
    drawSeries(aggregates.value.aggregates, from, to, week);
    drawDrugs(aggregates.value.aggregates);
  } else {
    problems.push(`Figures unavailable: ${describeError(aggregates.reason)}`);
  }
  if (alerts.status === 'fulfilled') {
    drawAlerts(alerts.value.alerts);
  } else {
    problems.push(`Alerts unavailable: ${describeError(alerts.reason)}`);
  }
  status.textContent = problems.join(' ');
}

export function refreshIfShowing(code) {
  if (current === code) show(code);
}

export function hide() {
  current = null;
}

function axisStyle() {
  const muted = cssVar('--muted');
  return {
    axisLine: { lineStyle: { color: cssVar('--line') } },
    axisLabel: { color: muted },
    splitLine: { lineStyle: { color: cssVar('--line'), opacity: 0.5 } },
  };
}

function drawSeries(aggregates, from, to, week) {
  const bucket = week ? 24 * 3600000 : 3600000;
  const start = Math.floor(from.getTime() / bucket) * bucket;
  const buckets = [];
  for (let t = start; t <= to.getTime(); t += bucket) buckets.push(t);
  const byType = new Map();
  for (const aggregate of aggregates) {
    const t = Math.floor(Date.parse(aggregate.windowStart) / bucket) * bucket;
    const index = buckets.indexOf(t);
    if (index < 0) continue;
    if (!byType.has(aggregate.threatType)) byType.set(aggregate.threatType, buckets.map(() => 0));
    byType.get(aggregate.threatType)[index] += aggregate.eventCount;
  }
  const text = cssVar('--text');
  seriesChart.setOption({
    animation: !reducedMotion(),
    backgroundColor: 'transparent',
    color: ['#6cb6ff', '#ff9a3c', '#3ddc97', '#f2cc4d', '#c39bff', '#ff6b9a', '#5ce1e6', '#b8c4d0', '#ff5d5d'],
    tooltip: { trigger: 'axis', backgroundColor: cssVar('--panel'), borderColor: cssVar('--line'), textStyle: { color: text } },
    legend: { type: 'scroll', top: 0, textStyle: { color: text } },
    grid: { left: 36, right: 12, top: 30, bottom: 24 },
    xAxis: { type: 'category', data: buckets.map((t) => clock(new Date(t).toISOString())), ...axisStyle() },
    yAxis: { type: 'value', minInterval: 1, ...axisStyle() },
    series: [...byType.entries()].map(([type, data]) => ({
      name: threatName(type), type: 'bar', stack: 'events', data, emphasis: { focus: 'series' },
    })),
  }, { notMerge: true });
  if (!byType.size) {
    seriesChart.setOption({ title: { text: 'No events in this range', left: 'center', top: 'middle', textStyle: { color: cssVar('--muted'), fontSize: 13, fontWeight: 'normal' } } });
  }
}

function drawDrugs(aggregates) {
  const byDrug = new Map();
  for (const aggregate of aggregates) {
    for (const [drug, kg] of Object.entries(aggregate.seizureKgByDrug ?? {})) {
      byDrug.set(drug, (byDrug.get(drug) ?? 0) + kg);
    }
  }
  const ranked = [...byDrug.entries()].sort((a, b) => b[1] - a[1]);
  const text = cssVar('--text');
  drugsChart.setOption({
    animation: !reducedMotion(),
    backgroundColor: 'transparent',
    tooltip: { trigger: 'axis', backgroundColor: cssVar('--panel'), borderColor: cssVar('--line'), textStyle: { color: text },
      valueFormatter: (v) => `${formatNumber(v)} kg` },
    grid: { left: 110, right: 24, top: 10, bottom: 24 },
    xAxis: { type: 'value', ...axisStyle() },
    yAxis: { type: 'category', inverse: true, data: ranked.map(([drug]) => drugName(drug)), ...axisStyle() },
    series: [{ type: 'bar', data: ranked.map(([, kg]) => kg), itemStyle: { color: '#c39bff' },
      label: { show: true, position: 'right', color: text, formatter: (p) => formatNumber(p.value) } }],
    title: ranked.length ? undefined : { text: 'No seizures in this range', left: 'center', top: 'middle',
      textStyle: { color: cssVar('--muted'), fontSize: 13, fontWeight: 'normal' } },
  }, { notMerge: true });
}

function drawAlerts(alerts) {
  const body = clear(document.getElementById('region-alerts'));
  if (!alerts.length) {
    body.append(h('tr', {}, h('td', { colspan: '6', class: 'muted' }, 'No alerts in this region.')));
    return;
  }
  for (const alert of alerts) {
    body.append(h('tr', { class: `sev-${alert.severity}` },
      h('td', {}, h('span', { class: `sev-chip sev-${alert.severity}` }, alert.severity)),
      h('td', {}, threatName(alert.threatType)),
      h('td', {}, alert.status === 'RESOLVED' ? `resolved ${clock(alert.endsAt)}` : 'firing'),
      h('td', {}, clock(alert.startsAt)),
      h('td', {}, `${alert.change.toLowerCase()} ${clock(alert.updatedAt)}`),
      h('td', {}, alert.acknowledgement
        ? `${alert.acknowledgement.by}${alert.acknowledgement.comment ? `: “${alert.acknowledgement.comment}”` : ''}` : '–')));
  }
}
