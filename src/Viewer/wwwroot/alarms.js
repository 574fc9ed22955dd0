// Alarm panel: the loop raised → acknowledged → verifying → closed (reopen with a reason), over /api/alarms.
// Each step sends the version the user saw; a 409 means someone else moved the alarm first: reload and say so.
import { api, ApiError } from './api.js';
import { addCodeNames, chinaTime, codeName, onLanguage, t } from './i18n.js';
import { element, row } from './dom.js';
import { map, overlayLayer, readGeoJson, zoomTo } from './map.js';
import { fillTownSelect } from './towns.js';

const { Style } = ol.style;
const panel = document.getElementById('alarms');
// The alarm kinds and their labels are the server's (one list: AlarmKinds), read once.
let kinds = [];
const kindsLoaded = api('/api/alarms/kinds').then((list) => {
  kinds = list.map((k) => k.code);
  addCodeNames('alarm_kind', list.map((k) => [k.code, k.label_zh, k.label_en]));
}).catch(() => {});
export const severityColours = { blue: '#1565c0', yellow: '#f9a825', orange: '#ef6c00', red: '#d32f2f' };
const severityRank = (severity) => ['blue', 'yellow', 'orange', 'red'].indexOf(severity);

const evidence = overlayLayer('alarm-evidence', (feature) => new Style({
  image: new ol.style.Circle({ radius: feature.get('place') ? 9 : 4, fill: new ol.style.Fill({ color: feature.get('place') ? 'rgba(211,47,47,0.3)' : '#d32f2f' }),
    stroke: new ol.style.Stroke({ color: '#d32f2f', width: 2 }) }),
  stroke: new ol.style.Stroke({ color: '#d32f2f', width: 2, lineDash: [4, 4] }),
}));

// Open alarms on the map, at their object (the OGC collection's place): a triangle in the severity's colour, red on top.
const placeStyles = new Map();
export const alarmPlaces = overlayLayer('alarm-places', (feature) => {
  const severity = feature.get('severity');
  if (!placeStyles.has(severity)) {
    placeStyles.set(severity, new Style({
      image: new ol.style.RegularShape({ points: 3, radius: 10, fill: new ol.style.Fill({ color: severityColours[severity] ?? '#777' }),
        stroke: new ol.style.Stroke({ color: '#fff', width: 2 }) }),
      zIndex: severityRank(severity),
    }));
  }
  return placeStyles.get(severity);
});
async function loadPlaces() {
  const { features } = await api('/ogc/collections/alarms/items', { query: { limit: 1000 } }); // GeoJSON
  alarmPlaces.getSource().clear();
  alarmPlaces.getSource().addFeatures(readGeoJson({ type: 'FeatureCollection', features: features.filter((f) => f.geometry && f.properties.state !== 'closed') }));
}
map.on('singleclick', (event) => {
  const hit = map.forEachFeatureAtPixel(event.pixel, (feature, layer) => (layer === alarmPlaces ? feature : undefined), { hitTolerance: 4 });
  if (hit) openAlarm(hit.get('id') ?? hit.getId(), true).catch(() => {});
});

let selected = null; // the alarm shown in detail, as last read from the server

function select(id, all, values, list) {
  return element('select', { id }, new Option(t(all), ''), ...values.map((v) => new Option(codeName(v, list), v)));
}

function drawFilters() {
  const previous = Object.fromEntries([...panel.querySelectorAll('select, input')].map((e) => [e.id, e.value]));
  const town = element('select', { id: 'alarm-town' });
  const filters = element('div', { className: 'filters' },
    select('alarm-state', 'allStates', ['raised', 'acknowledged', 'verifying', 'closed'], 'alarm_state'),
    select('alarm-kind', 'allKinds', kinds, 'alarm_kind'), town);
  panel.replaceChildren(filters, element('div', { id: 'alarm-counts', className: 'severity-counts' }), element('ul', { id: 'alarm-list' }),
    element('div', { id: 'alarm-detail' }));
  for (const [id, value] of Object.entries(previous)) { const e = panel.querySelector(`#${id}`); if (e) e.value = value; }
  for (const e of filters.querySelectorAll('select')) e.addEventListener('change', () => loadAlarms());
  fillTownSelect(town, t('allTowns')).then(() => { town.value = previous['alarm-town'] ?? ''; });
}

export async function loadAlarms() {
  await kindsLoaded;
  if (!panel.querySelector('#alarm-state')) drawFilters();
  const value = (id) => panel.querySelector(`#${id}`).value;
  const list = panel.querySelector('#alarm-list');
  const { alarms } = await api('/api/alarms', { query: { state: value('alarm-state'), kind: value('alarm-kind'), town: value('alarm-town'), limit: 200 } });
  // Open alarms before closed ones, red first, then the newest (instants are all +08:00, so the text sorts as time).
  alarms.sort((a, b) => (a.state === 'closed') - (b.state === 'closed') || severityRank(b.severity) - severityRank(a.severity)
    || b.started_at.localeCompare(a.started_at));
  // How many are still open, by severity, red first: the figure a duty officer reads before the list.
  const open = alarms.filter((a) => a.state !== 'closed');
  panel.querySelector('#alarm-counts').replaceChildren(...['red', 'orange', 'yellow', 'blue'].map((severity) => {
    const count = element('span', { title: codeName(severity, 'severity') }, element('span', { className: 'swatch' }),
      `${codeName(severity, 'severity')} ${open.filter((a) => a.severity === severity).length}`);
    count.dataset.severity = severity;
    count.firstChild.style.background = severityColours[severity];
    return count;
  }));
  list.replaceChildren(...alarms.map((a) => {
    const item = element('li', { className: `alarm state-${a.state}`, title: a.title },
      element('span', { className: 'swatch' }), element('span', { className: 'alarm-title', textContent: a.title }),
      element('span', { className: 'alarm-meta', textContent: `${codeName(a.state, 'alarm_state')} · ${codeName(a.kind, 'alarm_kind')} · ${chinaTime(a.started_at)}` }));
    item.dataset.id = a.id;
    item.firstChild.style.background = severityColours[a.severity] ?? '#777';
    item.addEventListener('click', () => openAlarm(a.id, true));
    return item;
  }));
  if (alarms.length === 0) list.append(element('li', { className: 'empty', textContent: t('noAlarms') }));
  loadPlaces().catch((error) => console.warn('alarm places:', error.message));
}

async function openAlarm(id, zoom) {
  selected = await api(`/api/alarms/${id}`);
  drawDetail(zoom);
}

function drawDetail(zoom) {
  const detail = panel.querySelector('#alarm-detail');
  if (!selected) { detail.replaceChildren(); return; }
  const a = selected;
  const table = element('table');
  row(table, 'ID', `${a.id} (v${a.version})`);
  row(table, t('alarms'), `${codeName(a.kind, 'alarm_kind')} · ${codeName(a.severity, 'severity')}`);
  row(table, t('state'), codeName(a.state, 'alarm_state')).id = 'alarm-state-row';
  if (a.place) row(table, t('object'), a.place.code);
  row(table, t('started'), chinaTime(a.started_at));
  if (a.assignee) row(table, t('assignee'), `${a.assignee} · ${t('deadline')} ${chinaTime(a.deadline)}`);
  if (a.outcome) row(table, t('outcome'), `${codeName(a.outcome, 'alarm_outcome')}: ${a.feedback ?? ''}`);
  const history = element('ol', { className: 'history' }, ...a.events.map((e) =>
    element('li', { textContent: `${chinaTime(e.at)} ${e.actor}: ${e.from_state ? `${codeName(e.from_state, 'alarm_state')} → ` : ''}${codeName(e.to_state, 'alarm_state')}${e.note ? ` (${e.note})` : ''}` })));
  const message = element('p', { id: 'alarm-message', className: 'message' });
  // Who was told: each channel's delivery of each notice (raised, severity raised, escalated) and how it went.
  const told = element('ul', { className: 'notifications' }, ...(a.notifications ?? []).map((n) => element('li', {
    className: `notice-${n.state}`,
    textContent: `${n.channel} · ${t(`event_${n.event}`)} · ${t(n.state)} · ${n.attempts}×`
      + (n.delivered_at ? ` · ${chinaTime(n.delivered_at)}` : n.next_attempt_at ? ` · ${t('due')} ${chinaTime(n.next_attempt_at)}` : '')
      + (n.last_error ? ` · ${n.last_error}` : ''),
  })));
  detail.replaceChildren(element('h3', { textContent: a.title }), table, actions(a, message), message, element('h4', { textContent: t('history') }), history,
    ...(a.notifications?.length ? [element('h4', { textContent: t('notifications') }), told] : []));
  drawEvidence(zoom);
}

function actions(a, message) {
  const form = element('div', { className: 'actions' });
  const button = (id, label, body) => {
    const b = element('button', { id, type: 'button', textContent: t(label) });
    b.addEventListener('click', () => step(id.replace('alarm-', ''), body(), message));
    return b;
  };
  if (a.state === 'raised') form.append(button('alarm-ack', 'ack', () => ({})));
  if (a.state === 'acknowledged' || a.state === 'verifying') {
    const assignee = element('input', { id: 'alarm-assignee', placeholder: t('assignee') });
    const deadline = element('input', { id: 'alarm-deadline', type: 'datetime-local' });
    const outcome = select('alarm-outcome', 'outcome', ['confirmed', 'false_alarm', 'handled'], 'alarm_outcome');
    const feedback = element('textarea', { id: 'alarm-feedback', placeholder: t('feedback'), rows: 2 });
    form.append(element('div', {}, assignee, deadline, button('alarm-assign', 'assign', () => ({ assignee: assignee.value, deadline: deadline.value }))),
      element('div', {}, outcome, feedback, button('alarm-close', 'close', () => ({ outcome: outcome.value, feedback: feedback.value }))));
  }
  if (a.state === 'closed') {
    const reason = element('input', { id: 'alarm-reason', placeholder: t('reason') });
    form.append(reason, button('alarm-reopen', 'reopen', () => ({ reason: reason.value })));
  }
  return form;
}

async function step(action, body, message) {
  try {
    selected = await api(`/api/alarms/${selected.id}/${action}`, { method: 'POST', body: { ...body, version: selected.version } }); // the server records the signed-in user
    drawDetail(false);
    await loadAlarms();
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.status === 409) {
      await openAlarm(selected.id, false);
      await loadAlarms();
      panel.querySelector('#alarm-message').textContent = t('moved');
    } else {
      message.textContent = error.problem?.field ? `${t(error.problem.field)}: ${error.message}` : error.message;
    }
  }
}

// The alarm's object, and for 越界/超层 the fixes kept as evidence, joined in time order.
function drawEvidence(zoom) {
  const source = evidence.getSource();
  source.clear();
  const a = selected;
  const features = [];
  if (a.place) features.push({ type: 'Feature', properties: { place: true }, geometry: { type: 'Point', coordinates: [a.place.lon, a.place.lat] } });
  const positions = (a.evidence?.positions ?? []).filter((p) => typeof p.lon === 'number' && typeof p.lat === 'number');
  for (const p of positions) features.push({ type: 'Feature', properties: { time: p.time }, geometry: { type: 'Point', coordinates: [p.lon, p.lat] } });
  if (positions.length > 1) features.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: positions.map((p) => [p.lon, p.lat]) } });
  source.addFeatures(readGeoJson({ type: 'FeatureCollection', features }));
  if (zoom && features.length) {
    const lons = features.filter((f) => f.geometry.type === 'Point').map((f) => f.geometry.coordinates);
    zoomTo([Math.min(...lons.map((c) => c[0])), Math.min(...lons.map((c) => c[1])), Math.max(...lons.map((c) => c[0])), Math.max(...lons.map((c) => c[1]))], 16);
  }
}

onLanguage(() => { kindsLoaded.then(() => { drawFilters(); loadAlarms().catch(() => {}); if (selected) drawDetail(false); }); });
window.geomineAlarms = { load: loadAlarms, open: openAlarm };

// A notification's link (/?alarm=ID, kept through sign-in) opens that alarm on the map.
const linked = Number(new URLSearchParams(location.search).get('alarm'));
if (Number.isSafeInteger(linked) && linked > 0) {
  kindsLoaded.then(() => openAlarm(linked, true)).catch((error) => console.warn('alarm link:', error.message));
}

// Live: the server streams alarm changes from every node (GET /api/alarms/stream, server-sent events over PostgreSQL
// LISTEN/NOTIFY). Any change reloads the list (and the open alarm, if it changed); a new red alarm is announced: the tab's
// title and a tone (when the browser allows sound). After a dropped connection the browser reconnects and the list reloads,
// since changes may have been missed meanwhile.
const pageTitle = document.title;
let reloadTimer = null;
let announced = 0;
function reloadSoon(changedId) {
  if (selected && (changedId === undefined || changedId === selected.id)) openAlarm(selected.id, false).catch(() => {});
  if (reloadTimer) return;
  reloadTimer = setTimeout(() => { reloadTimer = null; loadAlarms().catch(() => {}); }, 250);
}
function announce(change) {
  announced += 1;
  window.geomineAnnounced = announced;
  document.title = `【${codeName('red', 'severity')}${t('alarms')}】${codeName(change.kind, 'alarm_kind')} · ${pageTitle}`;
  try {
    const audio = new AudioContext();
    const tone = audio.createOscillator();
    tone.frequency.value = 880;
    tone.connect(audio.destination);
    tone.start();
    tone.stop(audio.currentTime + 0.6);
  } catch { /* no sound before the user has touched the page: the title still says it */ }
}
const stream = new EventSource('/api/alarms/stream');
let wasDown = false;
stream.addEventListener('ping', () => { window.geomineAlarmsLive = true; });
stream.addEventListener('open', () => { if (wasDown) reloadSoon(); wasDown = false; });
stream.addEventListener('error', () => { wasDown = true; window.geomineAlarmsLive = false; });
stream.addEventListener('alarm', (event) => {
  const change = JSON.parse(event.data);
  if (change.change === 'raised' && change.severity === 'red') announce(change);
  reloadSoon(change.change === 'resync' ? undefined : change.id);
});
document.addEventListener('visibilitychange', () => { if (!document.hidden) document.title = pageTitle; });
