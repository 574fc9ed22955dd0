// Patrol coverage of a period and town: tracks with their 50 m swath, shafts visited within their interval or
// missed, and the summary figures — /api/patrol/coverage.geojson and /api/patrol/coverage, the CLI's own numbers.
import { api } from './api.js';
import { element, row } from './dom.js';
import { codeName, onLanguage, t } from './i18n.js';
import { map, overlayLayer, readGeoJson } from './map.js';
import { fillTownSelect } from './towns.js';

const { Style, Stroke, Fill, Circle: CircleStyle } = ol.style;
const panel = document.getElementById('coverage');
let swathMetres = 50; // 2 × Patrol:Coverage:BufferMetres, from the summary

// The buffered coverage is drawn as the track stroked swathMetres wide (at the current resolution, corrected for
// Web Mercator's scale at the track's latitude); the area figure is the server's, measured in Gauss-Krüger metres.
function coverageStyle(feature, resolution) {
  if (feature.get('layer') === 'segment') {
    const lat = ol.proj.toLonLat(ol.extent.getCenter(feature.getGeometry().getExtent()))[1];
    const width = swathMetres / (resolution * Math.cos((lat * Math.PI) / 180));
    return [
      new Style({ stroke: new Stroke({ color: 'rgba(30,136,229,0.25)', width: Math.max(width, 2), lineCap: 'round', lineJoin: 'round' }) }),
      new Style({ stroke: new Stroke({ color: '#1565c0', width: 1.5 }) }),
    ];
  }
  const visited = feature.get('visited_within_interval');
  return new Style({ image: new CircleStyle({ radius: 8, fill: new Fill({ color: 'rgba(0,0,0,0)' }), stroke: new Stroke({ color: visited ? '#2e7d32' : '#d32f2f', width: 3 }) }) });
}
const layer = overlayLayer('coverage', coverageStyle);

function drawForm() {
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10); // China date
  const weekAgo = new Date(Date.now() + 8 * 3600_000 - 7 * 86400_000).toISOString().slice(0, 10);
  const previous = Object.fromEntries([...panel.querySelectorAll('input, select')].map((e) => [e.id, e.value]));
  const from = element('input', { id: 'coverage-from', type: 'date', value: previous['coverage-from'] ?? weekAgo });
  const to = element('input', { id: 'coverage-to', type: 'date', value: previous['coverage-to'] ?? today });
  const town = element('select', { id: 'coverage-town' });
  const show = element('button', { id: 'coverage-show', type: 'button', textContent: t('show') });
  const clear = element('button', { type: 'button', textContent: t('clear') });
  show.addEventListener('click', () => loadCoverage());
  clear.addEventListener('click', () => { layer.getSource().clear(); panel.querySelector('#coverage-summary').replaceChildren(); });
  panel.replaceChildren(element('div', { className: 'filters' },
    element('label', {}, `${t('from')} `, from), element('label', {}, `${t('to')} `, to), town, element('div', {}, show, clear)),
  element('div', { id: 'coverage-summary' }));
  fillTownSelect(town, t('allTowns')).then(() => { town.value = previous['coverage-town'] ?? ''; });
}

export async function loadCoverage() {
  const value = (id) => panel.querySelector(`#${id}`).value;
  // Whole China days: [from 00:00, to + 1 day 00:00), China time (no offset).
  const end = new Date(`${value('coverage-to')}T00:00:00Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  const query = { from: `${value('coverage-from')}T00:00:00`, to: `${end.toISOString().slice(0, 10)}T00:00:00`, town: value('coverage-town') };
  const summary = panel.querySelector('#coverage-summary');
  try {
    const [geojson, tables] = await Promise.all([api('/api/patrol/coverage.geojson', { query }), api('/api/patrol/coverage', { query })]);
    const s = tables.summary;
    swathMetres = 2 * s.buffer_m;
    layer.getSource().clear();
    layer.getSource().addFeatures(readGeoJson(geojson));
    const table = element('table');
    row(table, t('shafts'), s.shafts);
    row(table, t('visited'), `${s.visited_within_interval} (${s.visited_within_interval_pct ?? '—'} %)`);
    row(table, t('missed'), s.shafts - s.visited_within_interval);
    row(table, codeName('overdue', 'patrol_status'), s.overdue);
    row(table, codeName('never_visited', 'patrol_status'), s.never_visited);
    row(table, t('devices'), s.devices);
    row(table, t('km'), s.km);
    row(table, t('hours'), s.hours);
    row(table, t('area'), `${s.cells_km2} (${s.cells} × ${s.cell_m} m)`);
    // What the overlay means, since the shafts' own colours say something else (their status now).
    const key = element('ul', { className: 'coverage-key' },
      element('li', { textContent: t('swath') }), element('li', { textContent: t('ringVisited') }),
      element('li', { textContent: t('ringMissed') }), element('li', { textContent: t('nowStatus') }));
    summary.replaceChildren(table, key);
    const extent = layer.getSource().getExtent();
    if (layer.getSource().getFeatures().length) map.getView().fit(extent, { padding: [60, 60, 60, 60], maxZoom: 15, duration: 300 });
  } catch (error) {
    summary.replaceChildren(element('p', { className: 'message', textContent: error.problem?.field ? `${error.problem.field}: ${error.message}` : error.message }));
  }
}

onLanguage(drawForm);

/** Takes the overlay off the map (the panel's tab was left): it stands for the period asked, not for the map now. */
export function clearCoverage() {
  layer.getSource().clear();
  panel.querySelector('#coverage-summary')?.replaceChildren();
}
