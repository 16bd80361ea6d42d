// The live alert board: the current state of every alert of the principal's regions, kept up to date from the SSE
// stream. Acknowledge and silence go through the same API every client uses, so the audit log records them.
import { h, clear, threatName, windowName, metricUnit, formatNumber, duration, ago, clock, severityRank, announce }
  from './ui.js';
import { get, post, describeError } from './api.js';

const alerts = new Map();          // alertId -> latest alert (highest version wins)
let silences = [];                 // active silences, for "silenced until" on the alerts they mute
let filter = 'active';
let regionName = (code) => code;
let onRegion = () => {};
let onChange = () => {};
let canAct = false;               // ops centers and admins acknowledge and silence; analysts read
let configured = false;

const list = () => document.getElementById('alerts');

export function configure({ names, openRegion, changed, role }) {
  regionName = names;
  onRegion = openRegion;
  onChange = changed;
  canAct = role === 'ops-center' || role === 'admin';
  if (configured) return;
  configured = true;
  for (const tab of document.querySelectorAll('.tabs [data-filter]')) {
    tab.addEventListener('click', () => selectFilter(tab));
    tab.addEventListener('keydown', (event) => moveTab(event, tab));
  }
  setInterval(refreshAges, 15000);
}

/** The state an operator reads: firing, escalated, acknowledged or resolved. */
export function state(alert) {
  if (alert.status === 'RESOLVED') return 'resolved';
  if (alert.acknowledgement) return 'acknowledged';
  if ((alert.escalationLevel ?? 0) > 0) return 'escalated';
  return 'firing';
}

export function all() {
  return [...alerts.values()];
}

/** Applies an alert (from the list or the stream); returns true when it is newer than what the board had. */
export function apply(alert) {
  const known = alerts.get(alert.alertId);
  if (known && known.version >= alert.version) return false;
  alerts.set(alert.alertId, alert);
  return true;
}

export async function load() {
  const answer = await get('/v1/alerts?limit=1000');
  for (const alert of answer.alerts) apply(alert);
  await loadSilences();
  render();
}

export async function loadSilences() {
  try {
    const answer = await get('/v1/silences?active=true');
    silences = Array.isArray(answer) ? answer : (answer.silences ?? []);
  } catch {
    silences = [];
  }
}

function silenceOf(alert) {
  const now = Date.now();
  return silences.find((s) => Date.parse(s.startsAt) <= now && now < Date.parse(s.endsAt)
    && (!s.regions?.length || s.regions.some((r) => r === alert.region || (r.endsWith('*') && alert.region.startsWith(r.slice(0, -1))) || r === '*'))
    && (!s.threatTypes?.length || s.threatTypes.includes(alert.threatType))
    && (!s.ruleIds?.length || s.ruleIds.includes(alert.ruleId)));
}

function visible(alert) {
  const s = state(alert);
  if (filter === 'active') return s !== 'resolved';
  if (filter === 'open') return s === 'firing' || s === 'escalated';
  if (filter === 'resolved') return s === 'resolved';
  return true;
}

const ORDER = { escalated: 0, firing: 0, acknowledged: 1, resolved: 2 };
function compare(a, b) {
  return ORDER[state(a)] - ORDER[state(b)]
    || severityRank(b.severity) - severityRank(a.severity)
    || Date.parse(b.updatedAt) - Date.parse(a.updatedAt);
}

const domId = (alertId) => `alert-${alertId.replace(/[^A-Za-z0-9_-]/g, '_')}`;

/** Renders the board; an item whose form is open keeps its form and focus, only its summary is replaced. */
export function render(fresh = null) {
  const container = list();
  const focused = document.activeElement;
  const shown = all().filter(visible).sort(compare);
  const keep = new Set(shown.map((a) => domId(a.alertId)));
  for (const item of [...container.children]) {
    if (!keep.has(item.id)) item.remove();
  }
  let previous = null;
  for (const alert of shown) {
    let item = document.getElementById(domId(alert.alertId));
    if (!item) {
      item = h('li', { id: domId(alert.alertId), class: 'alert', tabindex: '-1' });
      item.append(h('div', { class: 'alert-summary' }), actions(alert.alertId));
    }
    item.className = `alert sev-${alert.severity} state-${state(alert)}${fresh === alert.alertId ? ' fresh' : ''}`;
    item.setAttribute('aria-label', `${alert.severity} ${threatName(alert.threatType)} in ${regionName(alert.region)}, ${state(alert)}`);
    item.querySelector('.alert-summary').replaceWith(summary(alert));
    updateActions(item, alert);
    const expected = previous ? previous.nextSibling : container.firstChild;
    if (expected !== item) container.insertBefore(item, expected);
    previous = item;
  }
  if (focused && document.contains(focused) && document.activeElement !== focused) focused.focus();
  document.getElementById('alerts-empty').hidden = shown.length > 0;
  renderCounts();
  onChange();
}

function summary(alert) {
  const s = state(alert);
  const silence = silenceOf(alert);
  const since = s === 'resolved' ? alert.endsAt : alert.startsAt;
  return h('div', { class: 'alert-summary' },
    h('div', { class: 'alert-top' },
      h('span', { class: 'sev-chip' }, alert.severity),
      h('span', { class: `state-chip ${s}` }, s + (s === 'escalated' ? ` ×${alert.escalationLevel}` : '')),
      h('span', { class: 'alert-title' }, `${threatName(alert.threatType)} · `,
        h('a', { href: `#region/${alert.region}`, class: 'region-link', onclick: (e) => { e.preventDefault(); onRegion(alert.region); } },
          `${regionName(alert.region)} (${alert.region})`)),
    ),
    h('div', { class: 'alert-meta' },
      age(since, s === 'resolved' ? 'resolved ' : 'firing for ', s === 'resolved' ? ' ago' : ''),
      ` · ${formatNumber(alert.observedValue)} ${metricUnit(alert.metric)} in ${windowName(alert.window)}`
      + ` (threshold ${formatNumber(alert.threshold)}) · since ${clock(alert.startsAt)} · rule ${alert.ruleId}`),
    alert.acknowledgement ? h('div', { class: 'alert-ack' },
      h('strong', {}, 'Acknowledged'), ` by ${alert.acknowledgement.by} ${ago(alert.acknowledgement.at)}`,
      alert.acknowledgement.comment ? `: “${alert.acknowledgement.comment}”` : '') : null,
    alert.manualResolution ? h('div', { class: 'alert-ack' },
      h('strong', {}, 'Resolved by hand'), ` by ${alert.manualResolution.by} ${ago(alert.manualResolution.at)}:`
      + ` “${alert.manualResolution.reason}”`) : null,
    alert.note ? h('div', { class: 'alert-note' },
      h('strong', {}, 'Note'), ` from ${alert.note.by} ${ago(alert.note.at)}: “${alert.note.text}”`) : null,
    silence ? h('div', { class: 'alert-silenced' },
      `Notifications silenced until ${clock(silence.endsAt)} by ${silence.createdBy}`
      + (silence.comment ? `: “${silence.comment}”` : '')) : null);
}

function actions(alertId) {
  const ackForm = h('form', { class: 'ack-form', hidden: true },
    h('div', { class: 'row' },
      h('label', { for: `${domId(alertId)}-ack` }, 'Comment'),
      h('input', { id: `${domId(alertId)}-ack`, type: 'text', maxlength: '1000', placeholder: 'e.g. Patrol dispatched' })),
    confirmRow('Confirm acknowledgement'));
  ackForm.addEventListener('submit', (event) => { event.preventDefault(); acknowledge(alertId, ackForm); });

  const silenceForm = h('form', { class: 'silence-form', hidden: true },
    h('div', { class: 'row' },
      h('label', { for: `${domId(alertId)}-for` }, 'Silence notifications for'),
      h('select', { id: `${domId(alertId)}-for` },
        h('option', { value: '1' }, '1 hour'), h('option', { value: '4' }, '4 hours'),
        h('option', { value: '12' }, '12 hours'), h('option', { value: '24' }, '24 hours'))),
    h('div', { class: 'row' },
      h('label', { for: `${domId(alertId)}-why` }, 'Reason'),
      h('input', { id: `${domId(alertId)}-why`, type: 'text', maxlength: '1000', placeholder: 'e.g. known exercise' })),
    confirmRow('Confirm silence'));
  silenceForm.addEventListener('submit', (event) => { event.preventDefault(); silence(alertId, silenceForm); });

  const noteForm = textForm(alertId, 'note', 'Note', 2000, 'e.g. Second patrol on its way', 'Add note',
    (text) => post(`/v1/alerts/${encodeURIComponent(alertId)}/notes`, { text }), 'Note added');
  const resolveForm = textForm(alertId, 'resolve', 'Reason', 1000, 'e.g. Duplicate of an earlier report',
    'Confirm resolve', (reason) => post(`/v1/alerts/${encodeURIComponent(alertId)}/resolve`, { reason }),
    'Resolved');

  const history = h('ol', { class: 'alert-history', hidden: true });
  return h('div', { class: 'alert-controls' },
    h('div', { class: 'alert-actions' },
      h('button', { type: 'button', class: 'act-ack', onclick: () => openForm(ackForm) }, 'Acknowledge'),
      h('button', { type: 'button', class: 'act-silence', onclick: () => openForm(silenceForm) }, 'Silence'),
      h('button', { type: 'button', class: 'act-note', onclick: () => openForm(noteForm) }, 'Note'),
      h('button', { type: 'button', class: 'act-resolve', onclick: () => openForm(resolveForm) }, 'Resolve'),
      h('button', { type: 'button', class: 'act-history', 'aria-expanded': 'false',
        onclick: (e) => toggleHistory(alertId, history, e.currentTarget) }, 'History')),
    ackForm, silenceForm, noteForm, resolveForm, history);
}

/** A form with one required text field whose submit calls {@code send(text)}: notes and manual resolves. */
function textForm(alertId, kind, label, max, placeholder, confirm, send, done) {
  const id = `${domId(alertId)}-${kind}`;
  const form = h('form', { class: `${kind}-form`, hidden: true },
    h('div', { class: 'row' },
      h('label', { for: id }, label),
      h('input', { id, type: 'text', maxlength: String(max), required: true, placeholder })),
    confirmRow(confirm));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = form.querySelector('input').value.trim();
    if (!text) {
      form.querySelector('.form-error').textContent = `${label} is required.`;
      return;
    }
    submitForm(alertId, form, () => send(text), `${done}: ${alertId}.`);
  });
  return form;
}

function confirmRow(label) {
  return h('div', { class: 'row' },
    h('button', { type: 'submit', class: 'primary' }, label),
    h('button', { type: 'button', class: 'ghost', onclick: (e) => closeForm(e.currentTarget.closest('form')) }, 'Cancel'),
    h('span', { class: 'form-error', role: 'alert' }));
}

function updateActions(item, alert) {
  const firing = alert.status === 'FIRING' && canAct;
  item.querySelector('.act-ack').hidden = !firing || Boolean(alert.acknowledgement);
  if (item.querySelector('.act-ack').hidden) item.querySelector('.ack-form').hidden = true;
  item.querySelector('.act-silence').hidden = !firing || Boolean(silenceOf(alert));
  item.querySelector('.act-resolve').hidden = !firing;
  item.querySelector('.act-note').hidden = !canAct;
  for (const form of item.querySelectorAll('form')) {
    const button = item.querySelector(`.act-${form.className.replace('-form', '')}`);
    if (button?.hidden) form.hidden = true;
  }
}

function openForm(form) {
  for (const other of form.parentElement.querySelectorAll('form')) other.hidden = other !== form;
  form.hidden = false;
  form.querySelector('input, select').focus();
}

function closeForm(form) {
  form.hidden = true;
  form.parentElement.querySelector('.alert-actions button:not([hidden])')?.focus();
}

/**
 * Runs a form's call to the API: the button is disabled meanwhile, a refusal is shown in the form (the problem's
 * own words), success closes the form, applies the changed alert, announces it and keeps focus on the alert.
 */
async function submitForm(alertId, form, call, message) {
  const submit = form.querySelector('button[type=submit]');
  const error = form.querySelector('.form-error');
  submit.disabled = true;
  error.textContent = '';
  try {
    const answer = await call();
    if (answer?.version !== undefined) apply(answer);
    form.hidden = true;
    form.reset();
    announce(message);
    render();
    document.getElementById(domId(alertId))?.focus();
  } catch (e) {
    error.textContent = describeError(e);
  } finally {
    submit.disabled = false;
  }
}

function acknowledge(alertId, form) {
  const comment = form.querySelector('input').value.trim();
  submitForm(alertId, form, () => post(`/v1/alerts/${encodeURIComponent(alertId)}/ack`, comment ? { comment } : {}),
    `Acknowledged ${alertId}.`);
}

function silence(alertId, form) {
  const alert = alerts.get(alertId);
  const hours = Number(form.querySelector('select').value);
  const comment = form.querySelector('input').value.trim();
  submitForm(alertId, form, async () => {
    await post('/v1/silences', {
      regions: [alert.region], threatTypes: [alert.threatType], ruleIds: [alert.ruleId],
      endsAt: new Date(Date.now() + hours * 3600000).toISOString(), ...(comment ? { comment } : {}),
    });
    await loadSilences();
    return null;
  }, `Notifications of ${alertId} silenced for ${hours} hours.`);
}

async function toggleHistory(alertId, history, button) {
  const open = history.hidden;
  history.hidden = !open;
  button.setAttribute('aria-expanded', String(open));
  if (!open) return;
  clear(history).append(h('li', {}, 'Loading…'));
  try {
    const answer = await get(`/v1/alerts/${encodeURIComponent(alertId)}`);
    clear(history).append(...answer.history.slice().reverse().map((change) => h('li', {}, ...describeChange(change))));
  } catch (e) {
    clear(history).append(h('li', {}, describeError(e)));
  }
}

/** One line of an alert's history: a state change, an operator note or a re-notification. */
function describeChange(change) {
  if (change.kind === 'NOTE' && change.note) {
    return [h('strong', {}, 'NOTE'), ` ${clock(change.note.at)} · ${change.note.by}: “${change.note.text}”`];
  }
  if (change.kind === 'RENOTIFICATION') {
    return [h('strong', {}, 'RE-NOTIFIED'), ` ${clock(change.updatedAt)} · still unacknowledged`];
  }
  let who = '';
  if (change.change === 'ACKNOWLEDGED' && change.acknowledgement) {
    who = ` · by ${change.acknowledgement.by}${change.acknowledgement.comment ? `: “${change.acknowledgement.comment}”` : ''}`;
  } else if (change.change === 'RESOLVED' && change.manualResolution) {
    who = ` · by ${change.manualResolution.by}: “${change.manualResolution.reason}”`;
  }
  return [h('strong', {}, change.change), ` ${clock(change.updatedAt)} · ${change.severity} · `
    + `${formatNumber(change.observedValue)} ${metricUnit(change.metric)}${who}`];
}

function renderCounts() {
  const states = all().map(state);
  const count = (label, n) => h('span', { class: 'count' }, h('strong', {}, String(n)), ` ${label}`);
  clear(document.getElementById('board-counts')).append(
    count('firing', states.filter((s) => s === 'firing' || s === 'escalated').length),
    count('acknowledged', states.filter((s) => s === 'acknowledged').length),
    count('resolved', states.filter((s) => s === 'resolved').length));
}

function age(since, prefix, suffix) {
  const element = h('span', { class: 'alert-age', dataset: { since, prefix, suffix } });
  element.textContent = ageText(element);
  return element;
}

const ageText = (element) => `${element.dataset.prefix}${duration(Date.now() - Date.parse(element.dataset.since))}`
  + element.dataset.suffix;

function refreshAges() {
  for (const element of document.querySelectorAll('.alert-age')) element.textContent = ageText(element);
}

function selectFilter(tab) {
  for (const other of document.querySelectorAll('.tabs [data-filter]')) {
    other.setAttribute('aria-checked', String(other === tab));
    other.tabIndex = other === tab ? 0 : -1;
  }
  filter = tab.dataset.filter;
  render();
}

function moveTab(event, tab) {
  const tabs = [...document.querySelectorAll('.tabs [data-filter]')];
  const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[event.key];
  if (!step) return;
  event.preventDefault();
  const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length];
  next.focus();
  selectFilter(next);
}

export function focusAlert(alertId) {
  const item = document.getElementById(domId(alertId));
  if (!item) {
    selectFilter(document.querySelector('.tabs [data-filter="all"]'));
  }
  const target = document.getElementById(domId(alertId));
  target?.scrollIntoView({ block: 'nearest' });
  target?.focus();
}
