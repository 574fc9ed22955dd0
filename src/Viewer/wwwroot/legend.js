// Legend: language switch, layer toggles, and the five patrol colours of the shafts.
import { isEnglish, onLanguage, t, toggleLanguage } from './i18n.js';
import { patrolColours, tileLayers, unassignedRing } from './layers.js';
import { hidePopup } from './map.js';

const legend = document.getElementById('legend');
export const layerLabel = (layer) => (isEnglish() ? layer.get('en') : layer.get('label'));

function swatch(colour, ring) {
  const mark = document.createElement('span');
  mark.className = 'swatch';
  mark.style.background = colour;
  if (ring) mark.style.border = `3px solid ${ring}`;
  return mark;
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
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = layer.getVisible();
    box.dataset.layer = layer.get('id');
    box.addEventListener('change', () => layer.setVisible(box.checked));
    row.append(box, ` ${layerLabel(layer)}`);
    legend.append(row);
  }
  const heading = document.createElement('h2');
  heading.textContent = t('patrolStatus');
  const statuses = document.createElement('ul');
  statuses.id = 'patrol-legend';
  for (const [status, colour] of Object.entries(patrolColours)) {
    const item = document.createElement('li');
    item.append(swatch(colour), ` ${t(status)}`);
    statuses.append(item);
  }
  const unassigned = document.createElement('li');
  unassigned.append(swatch('#fff', unassignedRing), ` ${t('unassigned')}`);
  statuses.append(unassigned);
  legend.append(heading, statuses);
}

onLanguage(draw);
