// What officials fill in on the page, each form sent to the API that checks it (forms.js): for a shaft, a patrol record —
// photos from the phone's camera, the phone's position — and a responsible person or a handover; for a tailings pond,
// an inspection or a crest survey. Opened from the feature's popup, shown in the panel's 填报 tab; without a feature the
// tab holds the duty roster (值班表): who is on duty for the user's towns and the county, and a form to add a shift.
import { api } from './api.js';
import { chinaNow, chinaToday, formData, makeForm, openForms } from './forms.js';
import { codeName, codesOf, fieldName, t } from './i18n.js';
import { session } from './session.js';
import { element } from './dom.js';
import { loadTowns } from './towns.js';

const user = await session;
const me = user.display_name || user.name;

/** The phone's position into the form's lat/lon/accuracy (WGS84, which CGCS2000 matches within centimetres). */
function locate(form) {
  const status = form.querySelector('.form-subtitle');
  if (!navigator.geolocation) { status.textContent = t('noLocation'); return; }
  status.textContent = t('locating');
  navigator.geolocation.getCurrentPosition((p) => {
    form.elements.lat.value = p.coords.latitude.toFixed(7);
    form.elements.lon.value = p.coords.longitude.toFixed(7);
    form.elements.accuracy.value = Math.round(p.coords.accuracy);
    status.textContent = t('located');
  }, () => { status.textContent = t('noLocation'); }, { enableHighAccuracy: true, timeout: 20_000, maximumAge: 30_000 });
}

/** The registry fields of a record people may change (GET /api/registry), as a form holding the current values: only
 *  what differs is sent (emptied = cleared), with the reason; below it the record's audit of changes. */
async function registryForm(layer, code, current) {
  const editable = (await api('/api/registry')).find((l) => l.layer === layer);
  const changes = element('ul', { className: 'registry-changes' });
  const fillChanges = async () => {
    const { changes: list } = await api(`/api/registry/${layer}/${encodeURIComponent(code)}/changes`);
    changes.replaceChildren(...list.map((c) => element('li', {
      textContent: `${c.at.slice(0, 16).replace('T', ' ')} ${c.actor}: ${fieldName(c.field)} ${shown(layer, c.field, c.old)} → ${shown(layer, c.field, c.new)}（${c.reason}）`,
    })));
  };
  const types = { text: 'text', date: 'date', number: 'number', code: 'select' };
  const fields = editable.fields.map((f) => ({
    name: f.field, label: fieldName(f.field), type: types[f.kind], list: `${layer}.${f.field}`, codes: codesOf(`${layer}.${f.field}`),
    required: f.required, value: current[f.field] == null ? '' : String(current[f.field]),
    // The server's believable range as the input's min/max: a date picker greys out the rest (the API still decides).
    attrs: { ...(f.kind === 'number' ? { step: 'any' } : {}), ...(f.min != null ? { min: f.min } : {}), ...(f.max != null ? { max: f.max } : {}) },
  }));
  fields.push({ name: 'reason', label: t('reason'), type: 'text', required: true });
  const form = makeForm({
    id: 'registry-form', title: t('editRegistry'), fields,
    send: (_, element) => {
      const body = { reason: element.elements.reason.value.trim() };
      for (const f of fields.slice(0, -1)) {
        const value = element.elements[f.name].value.trim();
        if (value !== f.value) body[f.name] = value === '' ? null : f.type === 'number' ? Number(value) : value;
      }
      return api(`/api/registry/${layer}/${encodeURIComponent(code)}`, { method: 'PATCH', body });
    },
    done: (result) => {
      for (const f of fields.slice(0, -1)) f.value = form.elements[f.name].value.trim();
      form.querySelector('.form-message').textContent = `${t('saved')} (${result.changes.length})`;
      fillChanges();
    },
  });
  await fillChanges();
  return [form, element('div', { className: 'work-form' }, element('h3', { textContent: t('registryChanges') }), changes)];
}
const shown = (layer, field, value) => (value == null ? '—' : codeName(value, `${layer}.${field}`));

/** A closed mine's forms: its registry fields and their audit. */
export async function mineForms(code, title, current) {
  openForms(title, ...await registryForm('closed-mines', code, current));
}

export async function shaftForms(code, title, current = {}) {
  const record = makeForm({
    id: 'patrol-record-form', title: t('recordPatrol'), subtitle: t('locating'),
    fields: [
      { name: 'kind', label: t('kind'), type: 'select', list: 'record_kind', codes: codesOf('record_kind'), value: 'on_site', required: true },
      { name: 'person', label: t('person'), type: 'text', value: me, required: true },
      { name: 'seal', label: t('seal'), type: 'select', list: 'seal_condition', codes: codesOf('seal_condition'), required: true },
      { name: 'remarks', label: t('remarks'), type: 'textarea' },
      { name: 'photo', label: t('photos'), type: 'file', attrs: { accept: 'image/jpeg,image/png', multiple: true, capture: 'environment' } },
      { name: 'lat', label: t('lat'), type: 'number', attrs: { step: 'any' } },
      { name: 'lon', label: t('lon'), type: 'number', attrs: { step: 'any' } },
      { name: 'accuracy', label: t('accuracy'), type: 'number', attrs: { step: 'any' } },
    ],
    // The time is the phone's clock now, with its offset: the server stores UTC.
    send: (values) => api('/api/patrol-records', { method: 'POST', body: formData({ shaft: code, time: new Date().toISOString(), ...values }) }),
    done: (result, values) => {
      record.querySelector('.form-message').textContent = `${t('recordSaved')} #${result.id}`
        + (result.distance_metres != null ? ` · ${t('metresAway')} ${Math.round(result.distance_metres)} m · ${t(result.at_site ? 'atSite' : 'notAtSite')}` : '');
      record.elements.photo.value = '';
      record.elements.remarks.value = '';
      if (values.kind === 'on_site') locate(record);
    },
  });
  const roles = codesOf('role');
  const person = (extra) => [
    { name: 'role', label: t('role'), type: 'select', list: 'role', codes: roles, value: 'responsible_person', required: true },
    { name: 'name', label: t('name'), type: 'text', required: true },
    { name: 'phone', label: t('phone'), type: 'tel' },
    extra,
  ];
  const assign = makeForm({
    id: 'assign-form', title: t('assignPerson'),
    fields: person({ name: 'from', label: t('fromTime'), type: 'datetime', value: chinaNow() }),
    send: (values) => api('/api/assignments', { method: 'POST', body: { object_kind: 'sealed_shaft', code, ...values } }),
  });
  const handover = makeForm({
    id: 'handover-form', title: t('handOver'),
    fields: person({ name: 'at', label: t('atTime'), type: 'datetime', value: chinaNow() }),
    send: (values) => api('/api/assignments/handover', { method: 'POST', body: { object_kind: 'sealed_shaft', code, ...values } }),
  });
  openForms(title, record, ...await registryForm('shafts', code, current), assign, handover);
  locate(record);
}

export function pondForms(code, title) {
  const inspection = makeForm({
    id: 'inspection-form', title: t('inspect'),
    fields: [
      { name: 'kind', label: t('inspectionKind'), type: 'select', list: 'inspection_kind', codes: codesOf('inspection_kind'), required: true },
      { name: 'done_on', label: t('doneOn'), type: 'date', value: chinaToday(), required: true },
      { name: 'inspector', label: t('inspector'), type: 'text', value: me, required: true },
      { name: 'findings', label: t('findings'), type: 'textarea' },
      { name: 'document', label: t('document'), type: 'text' },
    ],
    send: (values) => api(`/api/tailings/${encodeURIComponent(code)}/inspections`, { method: 'POST', body: values }),
  });
  const survey = makeForm({
    id: 'survey-form', title: t('survey'),
    fields: [
      { name: 'surveyed_on', label: t('surveyedOn'), type: 'date', value: chinaToday(), required: true },
      { name: 'crest_m', label: t('crest'), type: 'number', attrs: { step: '0.01' }, required: true },
      { name: 'source', label: t('source'), type: 'text' },
    ],
    send: (values) => api(`/api/tailings/${encodeURIComponent(code)}/surveys`, { method: 'POST', body: values }),
  });
  openForms(title, inspection, survey);
}

/** The duty roster of the next 7 days and the form that adds a shift (GET/POST /api/duty). */
export async function dutyRoster() {
  const list = element('table', { id: 'duty-list' });
  const fill = async () => {
    const { shifts } = await api('/api/duty', { query: { days: 7 } });
    list.replaceChildren(...shifts.map((s) => element('tr', {},
      element('td', { textContent: s.jurisdiction }), element('td', { textContent: `${s.name}${s.phone ? ` ${s.phone}` : ''}` }),
      element('td', { textContent: `${s.from.slice(5, 16).replace('T', ' ')} – ${s.to.slice(5, 16).replace('T', ' ')}` }))));
    if (shifts.length === 0) list.append(element('tr', {}, element('td', { textContent: t('none') })));
  };
  const towns = await loadTowns();
  const scoped = user.towns.length ? towns.filter((town) => user.towns.some((mine) => mine.code === town.code)) : towns;
  const form = makeForm({
    id: 'duty-form', title: t('addDuty'),
    fields: [
      { name: 'town', label: t('dutyTown'), type: 'select', codes: scoped.map((town) => town.code), required: true },
      { name: 'name', label: t('name'), type: 'text', required: true },
      { name: 'phone', label: t('phone'), type: 'tel' },
      { name: 'from', label: t('dutyFrom'), type: 'datetime', value: `${chinaToday()}T08:00`, required: true },
      { name: 'to', label: t('dutyTo'), type: 'datetime', value: `${chinaToday()}T20:00`, required: true },
    ],
    send: (values) => api('/api/duty', { method: 'POST', body: values }),
    done: () => fill(),
  });
  // The town choices show names (the codes are the values).
  for (const option of form.elements.town.options) option.textContent = scoped.find((town) => town.code === option.value)?.name ?? option.textContent;
  openForms(t('dutyRoster'), element('div', { className: 'work-form' }, element('h3', { textContent: t('dutyNext7') }), list), form);
  await fill();
}

document.addEventListener('geomine:duty', () => { dutyRoster().catch((e) => console.warn('duty:', e.message)); });
