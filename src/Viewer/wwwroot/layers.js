// The reference layers, drawn from this server's vector tiles (/tiles/{layer}/{z}/{x}/{y}.mvt), bottom to top.
// Shafts are coloured by their patrol status, rated on the server by the overdue job's rule.
import { api, request } from './api.js';

const { VectorTile: VectorTileLayer } = ol.layer;
const { VectorTile: VectorTileSource } = ol.source;
const { MVT } = ol.format;
const { Style, Fill, Stroke, Circle: CircleStyle } = ol.style;

export const fill = (color) => new Fill({ color });
export const stroke = (color, width = 1.5, lineDash) => new Stroke({ color, width, lineDash });
export const dot = (color, radius = 6, ring = '#fff', ringWidth = 1.5) =>
  new CircleStyle({ radius, fill: fill(color), stroke: stroke(ring, ringWidth) });

/** Patrol status → colour; the legend and the shaft style share it. */
export const patrolColours = { ok: '#2e7d32', due_soon: '#f9a825', overdue: '#d32f2f', never_visited: '#8e24aa' };
export const unassignedRing = '#000';

// One Style object per (status, unassigned): 100 000 shafts must not mean 100 000 styles.
const shaftStyles = new Map();
export function shaftStyle(feature) {
  const status = feature.get('patrol_status') ?? 'never_visited';
  const unassigned = feature.get('unassigned') === true;
  const key = `${status}/${unassigned}`;
  if (!shaftStyles.has(key)) {
    shaftStyles.set(key, new Style({
      image: unassigned ? dot(patrolColours[status] ?? '#777', 6, unassignedRing, 3) : dot(patrolColours[status] ?? '#777', 6),
    }));
  }
  return shaftStyles.get(key);
}

// The layers, their order, labels and start visibility are the server's (GET /api/layers, from the layer catalog);
// only how each one is drawn is the page's. A layer without a style here is drawn plainly, never left out.
const styles = {
  towns: new Style({ stroke: stroke('#555', 1.2, [6, 4]), fill: fill('rgba(0,0,0,0)') }),
  villages: new Style({ stroke: stroke('#999', 0.8, [2, 3]) }),
  'mining-rights': new Style({ stroke: stroke('#1565c0', 2), fill: fill('rgba(21,101,192,0.12)') }),
  'closed-mines': new Style({ stroke: stroke('#6d4c41', 2), fill: fill('rgba(109,76,65,0.18)') }),
  tailings: new Style({ stroke: stroke('#2e7d32', 2), fill: fill('rgba(46,125,50,0.2)') }),
  'tailings-flow-paths': new Style({ stroke: stroke('#00897b', 2, [8, 4]) }),
  facilities: new Style({ image: dot('#8e24aa', 5) }),
  shafts: shaftStyle,
};
const plainStyle = new Style({ stroke: stroke('#455a64', 1.5), fill: fill('rgba(69,90,100,0.12)'), image: dot('#455a64', 5) });

const definitions = await api('/api/layers');

// Tiles are loaded through api.js like every other request (credentials, sign-in on 401).
function loadTile(tile, url) {
  tile.setLoader(async (extent, resolution, projection) => {
    try {
      const response = await request(url, { accept: 'application/vnd.mapbox-vector-tile' });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const data = await response.arrayBuffer();
      tile.setFeatures(data.byteLength === 0 ? [] : tile.getFormat().readFeatures(data, { extent, featureProjection: projection }));
    } catch {
      tile.onError();
    }
  });
}

export const tileLayers = definitions.map((def) => new VectorTileLayer({
  properties: { id: def.id, label: def.label_zh, en: def.label_en },
  visible: def.visible,
  declutter: false,
  style: styles[def.id] ?? plainStyle,
  source: new VectorTileSource({ format: new MVT(), url: def.tiles, maxZoom: 18, tileLoadFunction: loadTile }),
}));

export const layerById = (id) => tileLayers.find((layer) => layer.get('id') === id);

// Zoomed out, the shafts are drawn by the overview layer (overview.js) from compact point tiles; the vector tiles
// take over above this zoom for exact picking and every field.
export const OverviewMaxZoom = 10;
layerById('shafts').setMinZoom(OverviewMaxZoom);
