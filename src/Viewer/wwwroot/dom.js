// Two DOM helpers the panels share. Text goes in as textContent, never as HTML.

/** document.createElement with properties and children. */
export function element(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

/** Appends a row "name | value" to a table; returns the row. */
export function row(table, name, value) {
  const tr = table.insertRow();
  tr.append(element('th', { textContent: name }), element('td', { textContent: value }));
  return tr;
}
