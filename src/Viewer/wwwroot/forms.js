// The page's forms, built from one set of pieces: a field (text, number, date, time, choice from a server code list,
// long text, photo), a form that sends its values through api.js and shows the API's answer — a 400's message next to
// the field it names, anything else above the button — and the panel tab the forms open in. Every check is the API's:
// the page only marks what the API says (nothing is written unless the whole request is accepted).
import { ApiError } from './api.js';
import { element } from './dom.js';
import { codeName, t } from './i18n.js';

/** A field: { name, label, type: text|number|date|datetime|select|textarea|file, list (server code list), codes,
 *  value, required, attrs }. For select, `codes` are the values offered and `list` names them. */
function fieldRow(field, formId) {
  let input;
  if (field.type === 'select') {
    input = element('select', { name: field.name },
      ...(field.required ? [] : [new Option('—', '')]), ...(field.codes ?? []).map((c) => new Option(codeName(c, field.list), c)));
  } else if (field.type === 'textarea') {
    input = element('textarea', { name: field.name, rows: 2 });
  } else {
    input = element('input', { name: field.name, type: { datetime: 'datetime-local' }[field.type] ?? field.type });
  }
  // As attributes (capture, accept, step…); booleans as properties (multiple).
  for (const [key, value] of Object.entries(field.attrs ?? {})) if (typeof value === 'boolean') input[key] = value; else input.setAttribute(key, value);
  if (field.value !== undefined && field.type !== 'file') input.value = field.value;
  input.required = !!field.required;
  input.id = `${formId}-${field.name}`; // unique on the page: several forms share field names
  return element('label', { className: 'form-field' }, element('span', { textContent: field.label }), input,
    element('small', { className: 'field-error', role: 'alert' }));
}

/** The form's values: text trimmed, empty left out, numbers as numbers, files as File lists. */
function valuesOf(form, fields) {
  const values = {};
  for (const field of fields) {
    const input = form.elements.namedItem(field.name);
    if (field.type === 'file') { if (input.files.length) values[field.name] = [...input.files]; continue; }
    const text = input.value.trim();
    if (text === '') continue;
    values[field.name] = field.type === 'number' && Number.isFinite(Number(text)) ? Number(text) : text;
  }
  return values;
}

/**
 * A form: { id, title, subtitle, fields, submit (label key), send(values, form) → Promise, done(result, values) }.
 * While sending, the button is disabled: one click, one request.
 */
export function makeForm({ id, title, subtitle, fields, submit = 'save', send, done }) {
  const form = element('form', { id, className: 'work-form', noValidate: true });
  const message = element('p', { className: 'form-message', role: 'status' });
  const button = element('button', { type: 'submit', textContent: t(submit) });
  form.append(element('h3', { textContent: title }), ...(subtitle ? [element('p', { className: 'form-subtitle', textContent: subtitle })] : []),
    ...fields.map((f) => fieldRow(f, id)), button, message);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    for (const e of form.querySelectorAll('.field-error')) e.textContent = '';
    for (const e of form.querySelectorAll('.invalid')) e.classList.remove('invalid');
    message.className = 'form-message';
    message.textContent = t('sending');
    button.disabled = true;
    try {
      const values = valuesOf(form, fields);
      const result = await send(values, form);
      message.className = 'form-message ok';
      message.textContent = t('saved');
      done?.(result, values);
    } catch (error) {
      message.className = 'form-message error';
      if (!(error instanceof ApiError)) { message.textContent = error.message; return; }
      const named = error.problem?.field && form.elements.namedItem(error.problem.field);
      if (named) {
        named.classList.add('invalid');
        named.parentElement.querySelector('.field-error').textContent = error.message;
        message.textContent = `${named.parentElement.firstChild.textContent}: ${error.message}`;
        named.focus();
      } else {
        message.textContent = error.message;
      }
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** FormData of values (arrays of files appended one by one), for multipart requests. */
export function formData(values) {
  const data = new FormData();
  for (const [key, value] of Object.entries(values)) {
    if (Array.isArray(value)) for (const file of value) data.append(key, file); else data.append(key, String(value));
  }
  return data;
}

const work = document.getElementById('work');
/** Shows forms in the panel's "填报" tab (with a heading naming what they are about) and switches to it. */
export function openForms(heading, ...forms) {
  // Back to the duty roster from a feature's forms (work.js listens: it owns the roster).
  const roster = element('button', { type: 'button', id: 'show-duty', textContent: t('dutyRoster') });
  roster.addEventListener('click', () => document.dispatchEvent(new Event('geomine:duty')));
  work.replaceChildren(element('div', { className: 'work-bar' }, element('h2', { className: 'work-heading', textContent: heading }), roster), ...forms);
  document.querySelector('#tabs button[data-panel="work"]').click();
  work.scrollIntoView?.({ block: 'nearest' });
}

/** China time now as the value of a datetime-local input. */
export const chinaNow = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 16);
/** China date today (yyyy-MM-dd). */
export const chinaToday = () => chinaNow().slice(0, 10);
