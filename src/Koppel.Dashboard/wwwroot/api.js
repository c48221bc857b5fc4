// The HTTP API as the dashboard uses it. The key (or bearer token) lives in sessionStorage only: it goes out in one
// request header and is never put in a URL, a cookie or the page.
const KEY = 'koppel.apiKey';
const KIND = 'koppel.credentialKind';
let config = { apiBase: '', keyHeader: 'X-Api-Key' };

/** Reads config.json (apiBase, keyHeader): the one file to change when the files are served against another host. */
export async function loadConfig() {
  try {
    const answer = await fetch('config.json', { cache: 'no-cache' });
    if (answer.ok) config = { ...config, ...(await answer.json()) };
  } catch {
    // no config file: the API is on this origin
  }
}

export const hasKey = () => !!sessionStorage.getItem(KEY);

/** kind 'key': an API key, sent in config.keyHeader; kind 'bearer': a token of the platform's identity provider. */
export function setKey(key, kind = 'key') {
  sessionStorage.setItem(KEY, key);
  sessionStorage.setItem(KIND, kind);
}

export function clearKey() {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(KIND);
}

export class ApiError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

/** A call to /api/...; answers the parsed JSON (or null), throws ApiError with the problem's words. */
export async function api(path, { method = 'GET', body, raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  const key = sessionStorage.getItem(KEY);
  if (key && sessionStorage.getItem(KIND) === 'bearer') headers.Authorization = `Bearer ${key}`;
  else if (key) headers[config.keyHeader] = key;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const answer = await fetch(config.apiBase + '/api' + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit',
    cache: 'no-store',
  });
  if (!answer.ok) {
    const problem = await answer.json().catch(() => null);
    throw new ApiError(answer.status, describe(answer.status, problem), problem);
  }
  if (raw) return answer;
  const text = await answer.text();
  return text ? JSON.parse(text) : null;
}

/** The problem in the user's words: the API's title, detail and field errors, or a refused file's reason. */
function describe(status, problem) {
  if (status === 401) return 'The key or token was not accepted (a token may have expired). Sign in again.';
  if (status === 403) return 'Your key may not see this.';
  if (problem?.quarantine) return `Refused: ${problem.quarantine.message}`;
  const fields = problem?.errors ? Object.values(problem.errors).flat().join(' ') : '';
  return [problem?.title, problem?.detail, fields].filter(Boolean).join(' — ') || `The server answered ${status}.`;
}

/** Every item of a paged list, following continuation tokens, up to maxPages pages. */
export async function listAll(path, { pageSize = 200, maxPages = 20 } = {}) {
  const items = [];
  let token = null;
  for (let page = 0; page < maxPages; page++) {
    const sep = path.includes('?') ? '&' : '?';
    const url = `${path}${sep}pageSize=${pageSize}` + (token ? `&continuationToken=${encodeURIComponent(token)}` : '');
    const answer = await api(url);
    items.push(...answer.items);
    token = answer.continuationToken;
    if (!token) return { items, more: false };
  }
  return { items, more: true };
}

export const enc = encodeURIComponent;
