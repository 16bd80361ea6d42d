// Subscriptions on the board: what GET /v1/subscriptions returns to the signed-in principal, each with its delivery
// status, a test delivery, an edit of minimum severity and repeat interval, and "Enable" for a disabled one. The same
// API every client uses; analysts own no subscriptions and are not shown the panel.
import { h, clear, clock, SEVERITIES, announce } from './ui.js';
import { get, post, api, describeError } from './api.js';

const $ = (id) => document.getElementById(id);
const path = (id) => `/v1/subscriptions/${encodeURIComponent(id)}`;

export function configure(role) {
  const allowed = role === 'ops-center' || role === 'admin';
  $('subs-open').hidden = !allowed;
  if (!allowed || $('subs-open').dataset.bound) return;
  $('subs-open').dataset.bound = 'yes';
  $('subs-open').addEventListener('click', open);
  $('subs-close').addEventListener('click', () => $('subs-dialog').close());
  $('subs-dialog').addEventListener('close', () => $('subs-open').focus());
}

async function open() {
  $('subs-dialog').showModal();
  await load();
}

async function load() {
  const list = clear($('subs-list'));
  $('subs-status').textContent = 'Loading…';
  try {
    const answer = await get('/v1/subscriptions');
    const subscriptions = Array.isArray(answer) ? answer : (answer.subscriptions ?? []);
    $('subs-status').textContent = subscriptions.length ? '' : 'No subscriptions. Create them through the API.';
    for (const subscription of subscriptions) list.append(item(subscription));
  } catch (e) {
    $('subs-status').textContent = `The subscriptions could not be loaded: ${describeError(e)}`;
  }
}

function item(s) {
  const li = h('li', { id: `sub-${s.subscriptionId}` });
  render(li, s);
  return li;
}

function render(li, s) {
  const interval = s.repeatInterval && s.repeatInterval !== 'PT0S' ? s.repeatInterval : 'never';
  const error = h('p', { class: 'form-error', role: 'alert' });
  const severity = h('select', { 'aria-label': 'Minimum severity', class: 'sub-severity' },
    SEVERITIES.map((v) => h('option', { value: v, selected: v === s.minSeverity }, v)));
  const repeat = h('input', { type: 'text', class: 'sub-repeat', value: s.repeatInterval ?? 'PT0S', size: 8,
    'aria-label': 'Repeat interval (ISO-8601, PT0S = never)', spellcheck: 'false' });
  const save = async (event) => {
    event.preventDefault();
    try {
      const updated = await api('PATCH', path(s.subscriptionId),
        { minSeverity: severity.value, repeatInterval: repeat.value.trim() || 'PT0S' });
      render(li, updated);
      announce('Subscription saved.');
    } catch (e) {
      error.textContent = describeError(e);
    }
  };
  const result = h('p', { class: 'sub-test-result', role: 'status' });
  const deliveries = h('div', { class: 'sub-deliveries' });
  const webhook = s.channel === 'webhook';
  // Node.append would write a null child out as the text "null": absent parts are left out first.
  clear(li).append(...[
    h('div', { class: 'sub-top' },
      h('strong', {}, s.channel === 'webhook' ? 'Webhook' : 'SSE'), ' ', h('span', { class: 'muted' }, s.url ?? ''),
      h('span', { class: `state-chip ${s.enabled === false ? '' : 'acknowledged'}` },
        s.enabled === false ? 'disabled' : 'enabled')),
    s.enabled === false ? h('p', { class: 'alert-silenced' }, `Disabled: ${s.disabledReason ?? 'no reason given'}`) : null,
    h('p', { class: 'alert-meta' }, `${s.format} · regions ${(s.regions ?? []).join(', ')} · threats `
      + `${s.threatTypes?.length ? s.threatTypes.join(', ') : 'all'} · min severity ${s.minSeverity ?? 'LOW'}`
      + ` · repeat ${interval}`),
    h('form', { class: 'sub-edit', onsubmit: save },
      h('div', { class: 'row' }, h('label', { class: 'inline' }, 'Min severity', severity),
        h('label', { class: 'inline' }, 'Repeat', repeat), h('button', { type: 'submit' }, 'Save')), error),
    h('div', { class: 'alert-actions' },
      webhook ? h('button', { type: 'button', class: 'sub-test', onclick: () => test(s, result, deliveries) },
        'Send test') : null,
      s.enabled === false ? h('button', { type: 'button', class: 'sub-enable', onclick: () => enable(li, s, error) },
        'Enable') : null),
    result, deliveries].filter(Boolean));
  li.className = `sub ${s.enabled === false ? 'sub-disabled' : ''}`;
  if (webhook) loadDeliveries(s, deliveries);
}

async function test(s, result, deliveries) {
  result.textContent = 'Sending…';
  try {
    const r = await post(`${path(s.subscriptionId)}/test`);
    result.textContent = `${r.delivered ? 'Delivered' : 'Not delivered'} · status ${r.status ?? 'none'}`
      + ` · ${r.latencyMs} ms${r.error ? ` · ${r.error}` : ''}`;
    result.className = `sub-test-result ${r.delivered ? 'ok' : 'bad'}`;
  } catch (e) {
    result.textContent = describeError(e);
    result.className = 'sub-test-result bad';
  }
  loadDeliveries(s, deliveries);
}

async function enable(li, s, error) {
  try {
    render(li, await post(`${path(s.subscriptionId)}/enable`));
    announce('Subscription enabled.');
  } catch (e) {
    error.textContent = describeError(e);
  }
}

async function loadDeliveries(s, element) {
  try {
    const d = await get(`${path(s.subscriptionId)}/deliveries?limit=5`);
    const c = d.summary ?? {};
    clear(element).append(...[
      h('p', { class: 'alert-meta' }, `${c.attempts ?? 0} attempts · ${c.delivered ?? 0} delivered · `
        + `${c.failed ?? 0} failed · ${c.consecutiveFailures ?? 0} failing in a row · ${c.givenUp ?? 0} given up · `
        + `${c.pendingRetries ?? 0} pending`),
      d.attempts?.length ? h('ul', { class: 'alert-history' }, d.attempts.map((a) => h('li', {},
        h('strong', {}, clock(a.at)), ` ${a.test ? 'test' : `attempt ${a.attempt}`} · ${a.result}`
          + ` · status ${a.status ?? 'none'}${a.error ? ` · ${a.error}` : ''}`))) : null].filter(Boolean));
  } catch (e) {
    clear(element).append(h('p', { class: 'form-error' }, `Delivery status unavailable: ${describeError(e)}`));
  }
}
