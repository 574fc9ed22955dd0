// The towns (code, name) for the filters of the alarm and coverage panels, from the OGC collection.
import { api } from './api.js';

let towns = null;
export async function loadTowns() {
  towns ??= api('/ogc/collections/towns/items', { query: { limit: 10000 } })
    .then((json) => json.features.map((f) => ({ code: f.properties.code, name: f.properties.name }))
      .sort((a, b) => a.name.localeCompare(b.name, 'zh')));
  return towns;
}

/** Fills a <select> with "all" + the towns. */
export async function fillTownSelect(select, allLabel) {
  const selected = select.value;
  const options = [new Option(allLabel, '')];
  for (const town of await loadTowns()) options.push(new Option(town.name, town.code));
  select.replaceChildren(...options);
  select.value = selected;
}
