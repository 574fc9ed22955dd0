// Legend: language switch, a toggle and a symbol for every layer (drawn from the same look as the map's style), the
// patrol colours of the shafts, the classes of the tailings ponds and the alarm severities.
import { severityColours } from './alarms.js';
import { codeName, isEnglish, onLanguage, t, toggleLanguage } from './i18n.js';
import { looks, patrolColours, plainLook, tileLayers, unassignedRing } from './layers.js';
import { hidePopup } from './map.js';
import { classColours, headPondColour } from './tailings.js';

const legend = document.getElementById('legend');
export const layerLabel = (layer) => (isEnglish() ? layer.get('en') : layer.get('label'));

function swatch(colour, ring) {
  const mark = document.createElement('span');
  mark.className = 'swatch';
  mark.style.background = colour;
  if (ring) mark.style.border = `3px solid ${ring}`;
  return mark;
}

/** The symbol of a layer's look: an area's box, a line, or its marker. */
function symbol(id) {
  if (id === 'shafts') return swatch(patrolColours.never_visited);
  const look = looks[id] ?? plainLook;
  const mark = document.createElement('span');
  mark.className = `symbol ${look.line ? 'line' : look.marker && !look.fill ? `marker ${look.marker}` : 'area'}`;
  if (look.line) mark.style.borderTop = `${Math.max(look.width, 2)}px ${look.dash ? 'dashed' : 'solid'} ${look.stroke}`;
  else if (look.marker && !look.fill) mark.style.setProperty('--colour', look.colour);
  else Object.assign(mark.style, { border: `${Math.max(look.width, 1.5)}px ${look.dash ? 'dashed' : 'solid'} ${look.stroke}`, background: look.fill });
  return mark;
}

function section(id, heading, items) {
  const title = document.createElement('h2');
  title.textContent = heading;
  const list = document.createElement('ul');
  list.id = id;
  for (const [mark, text] of items) {
    const item = document.createElement('li');
    item.append(mark, ` ${text}`);
    list.append(item);
  }
  legend.append(title, list);
}

function draw() {
  legend.replaceChildren();
  const language = document.createElement('button');
  language.id = 'language';
  language.textContent = t('language');
  language.addEventListener('click', () => { toggleLanguage(); hidePopup(); });
  legend.append(language);
  for (const layer of tileLayers) {
    const row = document.createElement('label');
    row.className = 'layer';
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = layer.getVisible();
    box.dataset.layer = layer.get('id');
    box.addEventListener('change', () => layer.setVisible(box.checked));
    row.append(box, symbol(layer.get('id')), ` ${layerLabel(layer)}`);
    legend.append(row);
  }
  section('patrol-legend', t('patrolStatus'), [
    ...Object.entries(patrolColours).map(([status, colour]) => [swatch(colour), codeName(status, 'patrol_status')]),
    [swatch('#fff', unassignedRing), t('unassigned')],
  ]);
  const pond = (colour, width) => {
    const mark = Object.assign(document.createElement('span'), { className: 'symbol area' });
    mark.style.border = `${width}px solid ${colour}`;
    return mark;
  };
  section('pond-legend', t('pondClass'), [
    ...Object.entries(classColours).map(([value, colour]) => [pond(colour, 2), t(`class${value}`)]),
    [pond(headPondColour, 4), t('overhead')],
  ]);
  // Open alarms are triangles on the map, in their severity's colour (alarms.js).
  const triangle = (colour) => {
    const mark = Object.assign(document.createElement('span'), { className: 'symbol marker triangle' });
    mark.style.setProperty('--colour', colour);
    return mark;
  };
  section('severity-legend', t('severity'), Object.entries(severityColours).reverse().map(([code, colour]) => [triangle(colour), codeName(code, 'severity')]));
}

onLanguage(draw);
