// Entry point: check the session first (signed in, or sent to /signin.html and back), and only then load the map, so
// no request of the page is made without a user.
import { session } from './session.js';

import { prefetch } from './api.js';

await session;
// What the modules below ask for as they start, asked for at once (api.js hands each answer to the first asker).
prefetch(['/api/codes'], ['/api/layers'], ['/api/viewer/config'], ['/api/alarms/kinds'], ['/api/search/keywords'],
  ['/ogc/collections/towns/items', { limit: 10000 }], ['/api/tailings'], ['/api/alarms', { limit: 200 }],
  ['/ogc/collections/alarms/items', { limit: 1000 }]);
await (await import('./i18n.js')).codesLoaded; // the names of every code, before anything is drawn
// OpenLayers loads async (index.html), side by side with the requests above; the map modules need it.
if (!window.ol) {
  await new Promise((resolve, reject) => {
    const script = document.getElementById('ol-script');
    script.addEventListener('load', resolve);
    script.addEventListener('error', () => reject(new Error('lib/ol/ol.js did not load')));
    if (window.ol) resolve(); // loaded between the check and the listener
  });
}
await import('./main.js');
