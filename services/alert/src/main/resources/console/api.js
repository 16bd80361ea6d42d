// The console's only way to the server: same origin, the session cookie (sent by the browser, never read by this
// script), and for state-changing calls the session's CSRF token, which is kept in memory only.

let csrfToken = null;
let onSignedOut = () => {};

export function setCsrfToken(token) {
  csrfToken = token;
}

export function whenSignedOut(handler) {
  onSignedOut = handler;
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['X-CSRF-Token'] = csrfToken;
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'same-origin',
    cache: 'no-store',
  });
  const text = await response.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch { parsed = { detail: text }; }
  }
  if (!response.ok) {
    if (response.status === 401 && path !== '/console/session') onSignedOut();
    throw new ApiError(response.status, parsed);
  }
  return parsed;
}

export const get = (path) => api('GET', path);
export const post = (path, body) => api('POST', path, body ?? {});
export const del = (path) => api('DELETE', path);

/** The message a person can act on, from a problem+json answer. */
export function describeError(error) {
  if (error instanceof ApiError) {
    const rules = (error.problem?.errors || []).map((e) => e.message).join('; ');
    return rules || error.message;
  }
  return 'The service cannot be reached. Check the connection and try again.';
}
