// GeoMine map page: reference layers as vector tiles from this server, shafts coloured by patrol status, a legend
// with toggles, details of a clicked feature, the alarm panel, patrol coverage, search and an optional base map.
// Each feature is its own module; this file only starts them (app.js loads it once signed in).
import { loadBaseMap } from './basemap.js';
import { clearCoverage } from './coverage.js';
import { dutyRoster } from './work.js';
import './details.js';
import { onLanguage, t } from './i18n.js';
import './legend.js';
import { map, viewerConfig } from './map.js';
import './search.js';
import { loadPonds } from './tailings.js';
import './alarms.js';

// Panel tabs: alarms | coverage.
const tabs = document.querySelectorAll('#tabs button');
for (const tab of tabs) {
  tab.addEventListener('click', () => {
    for (const other of tabs) {
      other.classList.toggle('active', other === tab);
      document.getElementById(other.dataset.panel).hidden = other !== tab;
    }
    if (tab.dataset.panel !== 'coverage') clearCoverage();
    if (tab.dataset.panel === 'work' && !document.getElementById('work').hasChildNodes()) dutyRoster().catch((e) => console.warn('duty:', e.message));
  });
}
onLanguage(() => { for (const tab of tabs) tab.textContent = t(tab.dataset.panel); });

loadBaseMap().catch((error) => console.warn('base map:', error.message));

// Demo data is never taken for real: the header says so while the demo is loaded.
if (viewerConfig.demo) {
  const badge = Object.assign(document.createElement('span'), { id: 'demo-badge', className: 'demo-badge' });
  document.querySelector('header h1').after(badge);
  onLanguage(() => { badge.textContent = t('demoData'); badge.title = t('demoHint'); });
}
loadPonds().catch((error) => console.warn('tailings:', error.message));

// Tests and operators can wait for the first complete render.
map.once('rendercomplete', () => { window.geomineReadyAt = performance.now(); window.geomineReady = true; });
window.geomineMap = map;
