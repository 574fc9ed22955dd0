// The page needs a signed-in user: without one (401) go to the sign-in page and come back here afterwards.
// GET /api/session also refreshes the XSRF-TOKEN cookie that state-changing calls echo in X-XSRF-TOKEN.
export const session = (async () => {
  const here = location.pathname + location.search;
  const response = await fetch('/api/session', { credentials: 'same-origin' });
  if (response.status === 401) {
    location.replace(`/signin.html?return=${encodeURIComponent(here)}`);
    return new Promise(() => {});
  }
  const user = await response.json();
  if (user.must_change_password) {
    location.replace(`/signin.html?change=1&return=${encodeURIComponent(here)}`);
    return new Promise(() => {});
  }
  return user;
})();

export function xsrfToken() {
  const m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : '';
}

export async function signOut() {
  await fetch('/api/session', { method: 'DELETE', credentials: 'same-origin', headers: { 'X-XSRF-TOKEN': xsrfToken() } });
  location.assign('/signin.html');
}

// Who is signed in, and a way out, in the page header (when the page has a #user slot).
session.then((user) => {
  const slot = document.getElementById('user');
  if (!slot) return;
  const out = document.createElement('button');
  out.id = 'sign-out';
  out.textContent = '退出 Sign out';
  out.addEventListener('click', signOut);
  slot.replaceChildren(`${user.display_name || user.name} · ${user.towns.map((t) => t.name).join('、') || '全县 county'} `, out);
});
