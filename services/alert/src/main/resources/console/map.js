// The situation map: ECharts (from its WebJar) draws the regions of the shipped GeoJSON offline, coloured by the
// chosen metric and window; firing alerts are marked; a click (or the ranked list beside it, for the keyboard)
// opens a region.
import { h, clear, cssVar, formatNumber, metricUnit, reducedMotion, severityRank } from './ui.js';
import { get, describeError } from './api.js';

const MAP = 'borderwatch-central-asia';
const GEOJSON = '/console/assets/map/central-asia-adm1.geojson';
const REFRESH_MS = 10000;

let chart = null;
let names = new Map();      // code -> name
let centers = new Map();    // code -> [lon, lat]
let values = new Map();     // code -> value of the current metric
let firing = [];            // firing alerts, for the markers
let onRegion = () => {};
let pending = null;

export const regionName = (code) => names.get(code) ?? code;

export async function init(openRegion) {
  onRegion = openRegion;
  const response = await fetch(GEOJSON, { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`the map geometry did not load (HTTP ${response.status})`);
  const geojson = await response.json();
  for (const feature of geojson.features) {
    names.set(feature.properties.code, feature.properties.name);
    centers.set(feature.properties.code, center(feature.geometry));
  }
  document.getElementById('map-attribution').textContent = geojson.attribution ?? '';
  echarts.registerMap(MAP, geojson);
  chart = echarts.init(document.getElementById('map'), null, { renderer: 'canvas' });
  chart.on('click', (event) => {
    if (names.has(event.name)) onRegion(event.name);
  });
  // The panel changes size with the window and when the region view closes: follow the element, not the window.
  new ResizeObserver(() => chart?.resize()).observe(document.getElementById('map'));
  for (const id of ['map-metric', 'map-window']) {
    document.getElementById(id).addEventListener('change', () => refresh());
  }
  await refresh();
  setInterval(refresh, REFRESH_MS);
}

/** The firing alerts to mark; redraws at once. */
export function setAlerts(alerts) {
  firing = alerts.filter((a) => a.status === 'FIRING');
  draw();
}

/** A new event made the figures move: refresh soon, but at most once a second. */
export function nudge() {
  if (pending) return;
  pending = setTimeout(() => { pending = null; refresh(); }, 1000);
}

export function resize() {
  chart?.resize();
}

async function refresh() {
  if (!chart) return;
  const metric = document.getElementById('map-metric').value;
  const window = document.getElementById('map-window').value;
  const status = document.getElementById('map-status');
  try {
    const answer = await get(`/console/api/aggregates/top?metric=${metric}&window=${window}`);
    values = new Map(answer.entries.map((entry) => [entry.region, entry.value]));
    status.textContent = '';
  } catch (e) {
    status.textContent = `Figures unavailable: ${describeError(e)} Retrying…`;
  }
  draw();
}

function draw() {
  if (!chart) return;
  const metric = document.getElementById('map-metric').value;
  const max = Math.max(1, ...values.values());
  const text = cssVar('--text');
  const strongest = new Map();
  for (const alert of firing) {
    const known = strongest.get(alert.region);
    if (!known || severityRank(alert.severity) > severityRank(known.severity)) strongest.set(alert.region, alert);
  }
  // Alert pins are mark points of the map series itself, so they pan and zoom with it and no other colour
  // source (a geo component) can leak into the regions.
  const pins = [...strongest.values()].filter((a) => centers.has(a.region)).map((alert) => ({
    name: alert.region, coord: centers.get(alert.region), severity: alert.severity,
    itemStyle: { color: cssVar(`--sev-${alert.severity.toLowerCase()}`), borderColor: cssVar('--bg'), borderWidth: 1.5 },
  }));
  chart.setOption({
    animation: !reducedMotion(),
    backgroundColor: 'transparent',
    tooltip: {
      trigger: 'item',
      backgroundColor: cssVar('--panel'),
      borderColor: cssVar('--line'),
      textStyle: { color: text },
      formatter: (p) => (p.componentType === 'markPoint'
        ? `${regionName(p.data.name)}: ${p.data.severity} alert firing`
        : `${regionName(p.name)}: ${formatNumber(values.get(p.name) ?? 0)} ${metricUnit(metric)}`),
    },
    visualMap: {
      type: 'continuous', min: 0, max, seriesIndex: 0, calculable: false, left: 8, bottom: 8,
      itemHeight: 110, text: [formatNumber(max), '0'], textStyle: { color: text },
      // Low values teal, high red; a region without events keeps the neutral --map-empty, never a scale colour.
      inRange: { color: ['#4f9dbb', '#9cc98a', '#f2cc4d', '#ff9a3c', '#e5383b'] },
    },
    series: [{
      type: 'map', map: MAP, nameProperty: 'code', name: metric, roam: true,
      top: 16, bottom: 16, left: 16, right: 16,
      itemStyle: { areaColor: cssVar('--map-empty'), borderColor: cssVar('--map-line'), borderWidth: 0.8 },
      emphasis: { itemStyle: { areaColor: cssVar('--accent') }, label: { show: false } },
      select: { disabled: true },
      label: { show: false },
      data: [...values.entries()].map(([code, value]) => ({ name: code, value })),
      markPoint: { symbol: 'pin', symbolSize: 30, label: { show: false }, data: pins },
    }],
  }, { replaceMerge: ['series'] });
  renderRanking(metric);
}

function renderRanking(metric) {
  const ranked = [...values.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const alerting = new Set(firing.map((a) => a.region));
  const list = clear(document.getElementById('ranking'));
  if (!ranked.length) {
    list.append(h('li', { class: 'muted' }, `No ${metricUnit(metric)} in this window yet.`));
    return;
  }
  for (const [code, value] of ranked.slice(0, 40)) {
    list.append(h('li', {}, h('button', {
      type: 'button', dataset: { region: code, value: String(value) }, onclick: () => onRegion(code),
      'aria-label': `${regionName(code)}: ${formatNumber(value)} ${metricUnit(metric)}${alerting.has(code) ? ', alert firing' : ''}`,
    }, h('span', { class: alerting.has(code) ? 'has-alert' : '' }, regionName(code)),
    h('span', { class: 'value' }, formatNumber(value)))));
  }
}

/** The centre of a region's largest ring (area-weighted centroid), where its alert marker goes. */
function center(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best = null;
  let bestArea = -1;
  for (const polygon of polygons) {
    const ring = polygon[0];
    let area = 0; let x = 0; let y = 0;
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const cross = ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
      area += cross;
      x += (ring[j][0] + ring[i][0]) * cross;
      y += (ring[j][1] + ring[i][1]) * cross;
    }
    if (Math.abs(area) > bestArea) {
      bestArea = Math.abs(area);
      best = area === 0 ? ring[0] : [x / (3 * area), y / (3 * area)];
    }
  }
  return best;
}
