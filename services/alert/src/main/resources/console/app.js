// The operations console: sign-in, the live board over SSE, the map and the region view.
import { get, post, del, setCsrfToken, whenSignedOut, describeError } from './api.js';
import { announce, threatName, reducedMotion } from './ui.js';
import * as board from './board.js';
import * as map from './map.js';
import * as region from './region.js';
import * as subscriptions from './subscriptions.js';

const $ = (id) => document.getElementById(id);
const THEME_KEY = 'borderwatch.theme';        // the only thing this page stores: a display preference
const SOUND_KEY = 'borderwatch.sound';
const NOTICE_KEY = 'borderwatch.notice';

let stream = null;
let lastEventId = null;
let retryTimer = null;
let signedIn = false;
let audio = null;

applyTheme(localStorage.getItem(THEME_KEY));
document.addEventListener('DOMContentLoaded', start);

async function start() {
  $('signin-form').addEventListener('submit', signIn);
  $('signout').addEventListener('click', signOut);
  $('theme-toggle').addEventListener('click', toggleTheme);
  $('sound-toggle').addEventListener('click', toggleSound);
  $('critical-dismiss').addEventListener('click', () => { $('critical-banner').hidden = true; });
  $('region-back').addEventListener('click', closeRegion);
  whenSignedOut(() => leave('Your session has ended. Sign in again.'));
  setSound(localStorage.getItem(SOUND_KEY) === 'on');
  const notice = sessionStorage.getItem(NOTICE_KEY);
  sessionStorage.removeItem(NOTICE_KEY);
  let session = null;
  try {
    session = await get('/console/session');
  } catch {
    // The service is not reachable: the sign-in form says so when it is used.
  }
  if (session?.signedIn) await enter(session);
  else showSignIn(notice ?? '');
}

/**
 * Leaves the signed-in page by loading it anew, so nothing of this principal's alerts stays in memory for whoever
 * signs in next; the notice (not a secret) survives the reload in sessionStorage.
 */
function leave(notice) {
  if (!signedIn) return;
  signedIn = false;
  closeStream();
  sessionStorage.setItem(NOTICE_KEY, notice);
  location.replace('/');
}

function showSignIn(message) {
  $('app').hidden = true;
  $('signin').hidden = false;
  $('signin-error').textContent = message;
  document.title = 'borderwatch operations console';
  $('signin-key').focus();
}

async function signIn(event) {
  event.preventDefault();
  const input = $('signin-key');
  const key = input.value.trim();
  if (!key) {
    $('signin-error').textContent = 'Enter your API key.';
    input.focus();
    return;
  }
  $('signin-submit').disabled = true;
  try {
    const session = await post('/console/session', { apiKey: key });
    // Exchanged: the key leaves the page now, not once the board has loaded.
    input.value = '';
    await enter(session);
  } catch (e) {
    $('signin-error').textContent = describeError(e);
    input.focus();
  } finally {
    // The key leaves the page as soon as it has been exchanged, whatever the answer.
    input.value = '';
    $('signin-submit').disabled = false;
  }
}

async function enter(session) {
  signedIn = true;
  setCsrfToken(session.csrfToken ?? null);
  $('who').replaceChildren(document.createTextNode('Signed in as '),
    Object.assign(document.createElement('strong'), { textContent: session.principal }),
    document.createTextNode(` · ${session.role} · ${session.regions.join(', ')}`));
  $('signin').hidden = true;
  $('app').hidden = false;
  board.configure({ names: map.regionName, openRegion, changed: boardChanged, role: session.role });
  region.configure(map.regionName);
  subscriptions.configure(session.role);
  // The stream first, then the list: an alert that changes in between arrives by the stream, and the higher
  // version wins, so nothing is missed.
  openStream();
  try {
    await map.init(openRegion);
  } catch (e) {
    $('map-status').textContent = `The map cannot be drawn: ${e.message}`;
  }
  try {
    await board.load();
  } catch (e) {
    announce(`The alerts could not be loaded: ${describeError(e)}`, true);
  }
  if (location.hash.startsWith('#region/')) openRegion(decodeURIComponent(location.hash.slice(8)));
}

async function signOut() {
  try {
    await del('/console/session');
  } catch {
    // Signed out locally whatever the server said; the cookie expires on its own.
  }
  leave('You are signed out.');
}

// ---- Live stream ------------------------------------------------------------------------------------------------

function setConnection(state, text) {
  const element = $('connection');
  if (element.dataset.state !== state) {
    element.dataset.state = state;
    element.textContent = text;
    if (state !== 'connecting') announce(`Alert stream ${text.toLowerCase()}`);
  }
}

function openStream() {
  closeStream();
  setConnection(lastEventId ? 'reconnecting' : 'connecting', lastEventId ? 'Reconnecting…' : 'Connecting…');
  // The browser resends Last-Event-ID when it reconnects by itself; a stream this page reopens passes it on.
  const url = lastEventId ? `/v1/alerts/stream?lastEventId=${encodeURIComponent(lastEventId)}` : '/v1/alerts/stream';
  stream = new EventSource(url, { withCredentials: true });
  stream.addEventListener('open', () => setConnection('live', 'Live'));
  stream.addEventListener('alert', onAlertEvent);
  stream.addEventListener('error', onStreamError);
}

function closeStream() {
  clearTimeout(retryTimer);
  stream?.close();
  stream = null;
}

async function onStreamError() {
  if (!signedIn) return;
  if (stream && stream.readyState === EventSource.CONNECTING) {
    setConnection('reconnecting', 'Reconnecting…');
    return;
  }
  // Closed for good (an answer that was not a stream): find out whether the session is still there.
  setConnection('offline', 'Disconnected');
  closeStream();
  try {
    const session = await get('/console/session');
    if (!session.signedIn) {
      leave('Your session has ended. Sign in again.');
      return;
    }
    retryTimer = setTimeout(() => { setConnection('reconnecting', 'Reconnecting…'); openStream(); }, 3000);
  } catch {
    if (signedIn) retryTimer = setTimeout(openStream, 5000);
  }
}

function onAlertEvent(event) {
  lastEventId = event.lastEventId || lastEventId;
  setConnection('live', 'Live');
  const message = JSON.parse(event.data);
  const alert = message.data;
  if (!board.apply(alert)) return;
  board.render(alert.alertId);
  map.nudge();
  region.refreshIfShowing(alert.region);
  const where = `${threatName(alert.threatType)} in ${map.regionName(alert.region)}`;
  // A note or a re-notification repeats the alert's last state change: only a state change is news.
  if (alert.kind === 'NOTE') {
    announce(`Note on ${where} from ${alert.note?.by}.`);
    return;
  }
  if (alert.kind && alert.kind !== 'STATE') return;
  if ((alert.change === 'FIRED' || alert.change === 'ESCALATED') && alert.severity === 'CRITICAL') {
    critical(alert, where);
  } else if (alert.change === 'FIRED' || alert.change === 'ESCALATED') {
    announce(`New ${alert.severity} alert: ${where}.`);
  } else if (alert.change === 'ACKNOWLEDGED') {
    announce(`${where} acknowledged by ${alert.acknowledgement?.by}.`);
  } else if (alert.change === 'RESOLVED') {
    announce(`${where} resolved.`);
  }
}

// ---- A new CRITICAL alert is impossible to miss ----------------------------------------------------------------

function critical(alert, where) {
  const banner = $('critical-banner');
  $('critical-text').textContent = `CRITICAL ${alert.change === 'ESCALATED' ? 'escalation' : 'alert'}: ${where}`
    + ` — ${alert.observedValue} against a threshold of ${alert.threshold}`;
  $('critical-show').onclick = () => board.focusAlert(alert.alertId);
  banner.hidden = false;
  banner.classList.remove('flash');
  if (!reducedMotion()) {
    void banner.offsetWidth; // restart the animation
    banner.classList.add('flash');
  }
  announce(`Critical alert: ${where}.`, true);
  beep();
}

function boardChanged() {
  const open = board.all().filter((a) => a.status === 'FIRING' && !a.acknowledgement && a.severity === 'CRITICAL');
  document.title = open.length ? `(${open.length}) CRITICAL · borderwatch` : 'borderwatch operations console';
  if (!open.length) $('critical-banner').hidden = true;
  map.setAlerts(board.all());
}

function setSound(on) {
  const button = $('sound-toggle');
  button.setAttribute('aria-pressed', String(on));
  button.textContent = on ? 'Sound on' : 'Sound off';
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
}

function toggleSound() {
  const on = $('sound-toggle').getAttribute('aria-pressed') !== 'true';
  setSound(on);
  if (on) beep();  // the click is the user gesture browsers require before audio may play
}

/** Two short tones generated here: no sound file to ship or fetch. */
function beep() {
  if ($('sound-toggle').getAttribute('aria-pressed') !== 'true') return;
  audio ??= new AudioContext();
  const now = audio.currentTime;
  for (const [offset, frequency] of [[0, 880], [0.22, 660]]) {
    const oscillator = audio.createOscillator();
    const gain = audio.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, now + offset);
    gain.gain.exponentialRampToValueAtTime(0.25, now + offset + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, now + offset + 0.18);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(now + offset);
    oscillator.stop(now + offset + 0.2);
  }
}

// ---- Theme ---------------------------------------------------------------------------------------------------------

/** The user's choice, else what the system prefers (prefers-color-scheme), else dark. */
function applyTheme(theme) {
  document.documentElement.dataset.theme = theme === 'light' || theme === 'dark' ? theme
    : (window.matchMedia('(prefers-color-scheme: light)').matches ? 'light' : 'dark');
}

function currentTheme() {
  return document.documentElement.dataset.theme;
}

function toggleTheme() {
  const next = currentTheme() === 'dark' ? 'light' : 'dark';
  localStorage.setItem(THEME_KEY, next);
  applyTheme(next);
  updateThemeButton();
  board.render();
  if (region.shown()) region.show(region.shown());
}

function updateThemeButton() {
  $('theme-toggle').textContent = currentTheme() === 'dark' ? 'Light theme' : 'Dark theme';
}
document.addEventListener('DOMContentLoaded', updateThemeButton);

// ---- Region view ---------------------------------------------------------------------------------------------------

function openRegion(code) {
  $('map-view').hidden = true;
  $('region-view').hidden = false;
  history.replaceState(null, '', `#region/${encodeURIComponent(code)}`);
  region.show(code);
  $('region-title').focus();
}

function closeRegion() {
  region.hide();
  $('region-view').hidden = true;
  $('map-view').hidden = false;
  history.replaceState(null, '', location.pathname);
  map.resize();
  $('map').focus?.();
  $('region-back').blur();
}
