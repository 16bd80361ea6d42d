// Small DOM and formatting helpers. Text always goes in through textContent, never as HTML: alert fields, comments
// and names come from users and must not become markup.

export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (name === 'class') element.className = value;
    else if (name === 'dataset') Object.assign(element.dataset, value);
    else if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return element;
}

export function clear(element) {
  element.replaceChildren();
  return element;
}

const THREATS = {
  ILLEGAL_CROSSING: 'Illegal crossing', ARMED_INCURSION: 'Armed incursion', EXTREMIST_ACTIVITY: 'Extremist activity',
  ONLINE_RECRUITMENT: 'Online recruitment', WEAPONS_SMUGGLING: 'Weapons smuggling',
  HUMAN_TRAFFICKING: 'Human trafficking', GOODS_SMUGGLING: 'Goods smuggling', DRUG_TRAFFICKING: 'Drug trafficking',
  OTHER: 'Other',
};
export const threatName = (type) => THREATS[type] ?? type;

const DRUGS = {
  HEROIN: 'Heroin', OPIUM: 'Opium', MORPHINE: 'Morphine', HASHISH: 'Hashish', CANNABIS_HERB: 'Cannabis herb',
  METHAMPHETAMINE: 'Methamphetamine', AMPHETAMINE: 'Amphetamine', MEPHEDRONE: 'Mephedrone', COCAINE: 'Cocaine',
  PRECURSORS: 'Precursors', OTHER: 'Other',
};
export const drugName = (type) => DRUGS[type] ?? type;

const METRICS = { EVENT_COUNT: 'events', SEIZURE_KG: 'kg seized', SEVERITY_SCORE: 'severity score' };
export const metricUnit = (metric) => METRICS[metric] ?? metric;

const WINDOWS = { PT1M: '1 min', PT10M: '10 min', PT1H: '1 h', PT24H: '24 h', P7D: '7 d' };
export const windowName = (window) => WINDOWS[window] ?? window;

export const SEVERITIES = ['LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
export const severityRank = (severity) => SEVERITIES.indexOf(severity);

export function formatNumber(value) {
  if (value === null || value === undefined) return '–';
  const rounded = Math.abs(value) >= 100 ? Math.round(value) : Math.round(value * 10) / 10;
  return rounded.toLocaleString('en');
}

/** "4 min", "2 h 5 min", "3 d". */
export function duration(milliseconds) {
  const minutes = Math.max(0, Math.floor(milliseconds / 60000));
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

export const ago = (iso) => `${duration(Date.now() - Date.parse(iso))} ago`;

export function clock(iso) {
  if (!iso) return '–';
  const date = new Date(iso);
  const sameDay = new Date().toDateString() === date.toDateString();
  const time = date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  return sameDay ? time : `${date.toLocaleDateString('en-GB', { day: '2-digit', month: 'short' })} ${time}`;
}

export function cssVar(name) {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim();
}

export const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Announces text to screen readers through one of the page's live regions. */
export function announce(text, urgent = false) {
  const region = document.getElementById(urgent ? 'announce-assertive' : 'announce-polite');
  region.textContent = '';
  // A fresh text node after a tick, so the same message twice is read twice.
  setTimeout(() => { region.textContent = text; }, 50);
}
