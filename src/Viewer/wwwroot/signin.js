// Sign-in page: POST /api/session, then (for a one-time password) POST /api/session/password, then back to
// where the user came from (a same-site path only, never another site).
const params = new URLSearchParams(location.search);
const target = (() => {
  const r = params.get('return');
  return r && r.startsWith('/') && !r.startsWith('//') && !r.startsWith('/\\') ? r : '/';
})();
const message = document.getElementById('message');

function xsrf() {
  const m = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]+)/);
  return m ? decodeURIComponent(m[1]) : '';
}

async function post(url, body) {
  const response = await fetch(url, {
    method: 'POST', credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', 'X-XSRF-TOKEN': xsrf() },
    body: JSON.stringify(body),
  });
  const json = await response.json().catch(() => ({}));
  return { ok: response.ok, json };
}

function showChange() {
  document.getElementById('signin').hidden = true;
  document.getElementById('change').hidden = false;
  document.getElementById('current').focus();
}

document.getElementById('signin').addEventListener('submit', async event => {
  event.preventDefault();
  message.textContent = '';
  const { ok, json } = await post('/api/session', {
    name: document.getElementById('name').value.trim(),
    password: document.getElementById('password').value,
  });
  if (!ok) {
    // The server gives one answer for every failure (wrong password, unknown account, paused sign-in) on purpose.
    message.textContent = '用户名或密码错误；多次失败后将暂停登录一段时间 Wrong name or password; after repeated failures sign-in is paused for a while';
    return;
  }
  if (json.must_change_password) {
    document.getElementById('current').value = document.getElementById('password').value;
    showChange();
    return;
  }
  location.assign(target);
});

document.getElementById('change').addEventListener('submit', async event => {
  event.preventDefault();
  message.textContent = '';
  const { ok, json } = await post('/api/session/password', {
    current_password: document.getElementById('current').value,
    new_password: document.getElementById('new').value,
  });
  if (!ok) {
    message.textContent = json.detail ?? '修改失败 Change failed';
    return;
  }
  location.assign(target);
});

if (params.get('change') === '1') showChange();
