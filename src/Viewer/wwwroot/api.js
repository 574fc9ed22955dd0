// Every request of the map page goes through request(): same-origin credentials, the anti-forgery token on
// anything but GET/HEAD (header X-XSRF-TOKEN from the cookie XSRF-TOKEN, when present), and a 401 sends the
// user to sign in and back here.

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? problem?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem; // RFC 7807 body; a 400 names the bad `field`
  }
}

function cookie(name) {
  const pair = document.cookie.split('; ').find((c) => c.startsWith(`${name}=`));
  return pair ? decodeURIComponent(pair.slice(name.length + 1)) : null;
}

/** fetch() with the page's rules; resolves to the Response (any status but 401). */
export async function request(path, { method = 'GET', body, query, accept = 'application/json' } = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== null && value !== '') url.searchParams.set(key, value);
  }
  const headers = { Accept: accept };
  if (method !== 'GET' && method !== 'HEAD') {
    const token = cookie('XSRF-TOKEN');
    if (token) headers['X-XSRF-TOKEN'] = token;
  }
  // FormData goes as multipart (the browser sets the boundary); anything else as JSON.
  const multipart = body instanceof FormData;
  if (body !== undefined && !multipart) headers['Content-Type'] = 'application/json';
  const response = await fetch(url, {
    method, headers, credentials: 'same-origin', body: body === undefined ? undefined : multipart ? body : JSON.stringify(body),
  });
  if (response.status === 401) {
    const back = window.location.pathname + window.location.search;
    window.location.assign(`/signin.html?return=${encodeURIComponent(back)}`);
    throw new ApiError(401, null);
  }
  return response;
}

// Answers asked for early (prefetch), each handed to the first api() call for the same GET, then forgotten: the page's
// catalogs are fetched side by side at start instead of one module after another.
const early = new Map();
const keyOf = (path, query) => `${path}?${new URLSearchParams(Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== ''))}`;

/** Starts GET requests now, for api() calls to come (same path and query). */
export function prefetch(...requests) {
  for (const [path, query] of requests) {
    const key = keyOf(path, query);
    if (!early.has(key)) early.set(key, request(path, { query }));
  }
}

/** JSON in, JSON out; a status other than 2xx throws ApiError. */
export async function api(path, options = {}) {
  const key = (options.method ?? 'GET') === 'GET' && !options.accept ? keyOf(path, options.query) : null;
  const pending = key !== null ? early.get(key) : undefined;
  if (pending) early.delete(key);
  const response = await (pending ?? request(path, options));
  const json = (response.headers.get('Content-Type') ?? '').includes('json') ? await response.json() : null;
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}
