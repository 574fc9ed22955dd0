// Details of a clicked feature. A shaft also shows its patrol status, last visit and who answers for it now
// (/api/shafts/{code}); a tailings pond its class, 头顶库 status and its downstream path (/api/tailings/{code}).
import { api } from './api.js';
import { element as make, row } from './dom.js';
import { chinaTime, codeName, fieldName, onLanguage, t } from './i18n.js';
import { OverviewMaxZoom, tileLayers } from './layers.js';
import { layerLabel } from './legend.js';
import { hidePopup, map, popup } from './map.js';
import { overviewShaftAt } from './overview.js';
import { showPond } from './tailings.js';
import { mineForms, pondForms, shaftForms } from './work.js';

// Small markers (shafts, facilities) are picked as the nearest within a few pixels: hit detection
// of points on vector-tile layers proved unreliable. Areas are picked by hit detection, the layer
// highest in the legend's order winning (a licence over its town).
function nearestPoint(pixel, radius) {
  let best = null;
  for (const layer of [...tileLayers].reverse()) {
    if (!layer.getVisible()) continue;
    const [x0, y0] = map.getCoordinateFromPixel([pixel[0] - radius, pixel[1] + radius]);
    const [x1, y1] = map.getCoordinateFromPixel([pixel[0] + radius, pixel[1] - radius]);
    for (const feature of layer.getFeaturesInExtent([x0, y0, x1, y1])) {
      if (feature.get('layer') !== layer.get('id') || feature.getGeometry().getType() !== 'Point') continue; // the source holds every layer
      const at = map.getPixelFromCoordinate(ol.extent.getCenter(feature.getGeometry().getExtent()));
      const distance = Math.hypot(at[0] - pixel[0], at[1] - pixel[1]);
      if (distance <= radius && (!best || distance < best.distance)) best = { feature, layer, distance };
    }
    if (best) return best;
  }
  return null;
}

function topmostAt(pixel) {
  const hits = [];
  map.forEachFeatureAtPixel(pixel, (feature, layer) => { hits.push({ feature, layer }); }, {
    hitTolerance: 4,
    layerFilter: (layer) => tileLayers.includes(layer),
  });
  return hits.sort((a, b) => tileLayers.indexOf(b.layer) - tileLayers.indexOf(a.layer))[0] ?? null;
}

function shaftRows(table, shaft, present) {
  // Overview tiles (small zooms) carry only the code: the rest comes from the API.
  if (!present.has('name') && shaft.name) row(table, fieldName('name'), shaft.name);
  // The mine by code and name (the tile has only the code), its town and the shaft's village, how and when it was sealed.
  const mine = `${shaft.mine ?? ''} ${shaft.mine_name}`.trim();
  const mineRow = [...table.rows].find((r) => r.dataset.field === 'mine');
  if (mineRow) mineRow.cells[1].textContent = mine; else row(table, fieldName('mine'), mine);
  if (shaft.town) row(table, fieldName('town'), shaft.town);
  row(table, t('village'), shaft.village ?? '—');
  if (!present.has('seal_meth')) row(table, fieldName('seal_meth'), shaft.seal_method ?? '—');
  if (!present.has('sealed_on')) row(table, fieldName('sealed_on'), shaft.sealed_on ?? '—');
  if (!present.has('status')) row(table, fieldName('status'), codeName(shaft.status, 'shafts.status'));
  row(table, t('patrolStatus'), `${codeName(shaft.patrol_status, 'patrol_status')}${shaft.unassigned ? ` · ${t('unassigned')}` : ''}`).className = `patrol-${shaft.patrol_status}`;
  row(table, t('lastVisit'), chinaTime(shaft.last_visit));
  row(table, t('nextDue'), chinaTime(shaft.next_due));
  const people = shaft.responsible.map((p) => `${codeName(p.role, 'role')} ${p.name}${p.phone ? ` ${p.phone}` : ''}`);
  row(table, t('responsible'), people.length ? people.join('；') : t('none')).className = 'responsible';
}

function pondRows(table, pond) {
  row(table, t('class'), pond.class_label ?? pond.class ?? '—');
  row(table, t('overhead'), t(pond.head_pond in { yes: 1, no: 1 } ? pond.head_pond : 'unknown')).className = `head-${pond.head_pond}`;
  // Who lives or works downstream within the 头顶库 reach, nearest first: what makes it a 头顶库.
  const downstream = [...pond.downstream_facilities].sort((a, b) => a.along_path_m - b.along_path_m).map((f) =>
    `${f.name}（${codeName(f.kind, 'facilities.kind')}${f.population != null ? ` · ${f.population} ${t('people')}` : ''}）`
    + ` ${t('alongPath')} ${Math.round(f.along_path_m)} m`);
  row(table, t('downstream'), downstream.length ? downstream.join('；') : t('none')).className = 'downstream';
  const people = pond.persons.map((p) => `${codeName(p.role, 'role')} ${p.name}${p.phone ? ` ${p.phone}` : ''}`);
  row(table, t('responsible'), people.length ? people.join('；') : t('none'));
}

let shown = null; // { hit, coordinate }: redrawn when the language changes
async function show(hit, coordinate) {
  shown = { hit, coordinate };
  const element = popup.getElement();
  const title = document.createElement('strong');
  title.textContent = layerLabel(hit.layer);
  const table = document.createElement('table');
  const present = new Set(); // fields the tile gave
  for (const [key, value] of Object.entries(hit.feature.getProperties())) {
    if (key === 'geometry' || key === 'layer' || key === 'patrol_status' || key === 'unassigned' || value === null || value === undefined) continue;
    row(table, fieldName(key), codeName(value, `${hit.layer.get('id')}.${key}`)).dataset.field = key;
    present.add(key);
  }
  // A mining right from a boundary dataset without 开采标高: its band is unknown and 超层 is not checked for it.
  if (hit.layer.get('id') === 'mining-rights' && hit.feature.get('upper_m') == null) row(table, t('band'), t('band_unknown'));
  element.replaceChildren(title, table);
  element.hidden = false;
  popup.setPosition(coordinate);
  const id = hit.layer.get('id');
  const code = hit.feature.get('code');
  try {
    const heading = `${layerLabel(hit.layer)} ${code ?? ''} ${hit.feature.get('name') ?? ''}`.trim();
    const action = (key, open) => {
      const button = make('button', { type: 'button', className: `action-${key}`, textContent: t(key) });
      button.addEventListener('click', () => { hidePopup(); open(code, heading, hit.feature.getProperties()); });
      return button;
    };
    if (id === 'shafts' && code) {
      shaftRows(table, await api(`/api/shafts/${encodeURIComponent(code)}`), present);
      element.append(make('div', { className: 'popup-actions' }, action('recordPatrol', shaftForms), action('editRegistry', shaftForms),
        action('assignPerson', shaftForms)));
    }
    if (id === 'closed-mines' && code) element.append(make('div', { className: 'popup-actions' }, action('editRegistry', mineForms)));
    if (id === 'tailings' && code) {
      pondRows(table, await showPond(code));
      element.append(make('div', { className: 'popup-actions' }, action('inspect', pondForms), action('survey', pondForms)));
    }
  } catch (error) {
    row(table, '!', error.message);
  }
}

map.on('singleclick', (event) => {
  // Zoomed out, shafts are overview points without fields: zoom to the one clicked and show it from its vector tile.
  const shaft = overviewShaftAt(map, event.pixel, 8);
  if (shaft) {
    hidePopup();
    map.getView().animate({ center: shaft, zoom: OverviewMaxZoom + 4, duration: 300 }, () => map.once('rendercomplete', () => {
      const hit = nearestPoint(map.getPixelFromCoordinate(shaft), 8);
      if (hit) show(hit, shaft);
    }));
    return;
  }
  const hit = nearestPoint(event.pixel, 8) ?? topmostAt(event.pixel);
  if (!hit) {
    hidePopup();
    shown = null;
    return;
  }
  show(hit, event.coordinate);
});

onLanguage(() => { if (shown && !popup.getElement().hidden) show(shown.hit, shown.coordinate); });
