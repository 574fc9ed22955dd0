// Tailings ponds by class (等别), 头顶库 drawn red, and a clicked pond's downstream path with its first kilometre.
import { api } from './api.js';
import { layerById, onlyLayer, stroke, fill } from './layers.js';
import { overlayLayer, readGeoJson } from './map.js';

const { Style, Text } = ol.style;
const ReachMetres = 1000; // the 头顶库 definition's reach (Tailings:DownstreamReachM)
export const classColours = { 1: '#4a148c', 2: '#b71c1c', 3: '#e65100', 4: '#f9a825', 5: '#2e7d32' }; // 一…五等
export const headPondColour = '#d50000';
const ponds = new Map(); // code → the reviewer's record (class, head_pond)

const styles = new Map();
function pondStyle(feature) {
  const pond = ponds.get(feature.get('code'));
  const key = `${pond?.class}/${pond?.head_pond}`;
  if (!styles.has(key)) {
    const colour = classColours[pond?.class] ?? '#2e7d32';
    const head = pond?.head_pond === 'yes';
    styles.set(key, new Style({
      stroke: stroke(head ? headPondColour : colour, head ? 4 : 2),
      fill: fill(head ? 'rgba(213,0,0,0.25)' : 'rgba(46,125,50,0.2)'),
      text: pond?.class ? new Text({ text: `${pond.class_label}${head ? ' 头顶库' : ''}`, font: '12px sans-serif', fill: fill('#000'), stroke: stroke('#fff', 3) }) : undefined,
    }));
  }
  return styles.get(key);
}

const path = overlayLayer('tailings-path', (feature) => new Style({
  stroke: feature.get('reach') ? stroke('#d50000', 6) : stroke('#00897b', 3, [8, 4]),
}));

/** The first `metres` of a lon/lat line, measured on the sphere. */
function firstMetres(coordinates, metres) {
  const out = [coordinates[0]];
  let left = metres;
  for (let i = 1; i < coordinates.length && left > 0; i++) {
    const step = ol.sphere.getDistance(coordinates[i - 1], coordinates[i]);
    if (step >= left) {
      const f = left / step;
      out.push([coordinates[i - 1][0] + f * (coordinates[i][0] - coordinates[i - 1][0]), coordinates[i - 1][1] + f * (coordinates[i][1] - coordinates[i - 1][1])]);
      break;
    }
    out.push(coordinates[i]);
    left -= step;
  }
  return out;
}

/** Shows pond `code`'s downstream path (first km in red) and returns its record from /api/tailings/{code}. */
export async function showPond(code) {
  path.getSource().clear();
  const pond = await api(`/api/tailings/${encodeURIComponent(code)}`);
  try {
    const line = await api(`/ogc/collections/tailings-flow-paths/items/${encodeURIComponent(code)}`);
    const reach = { type: 'Feature', properties: { reach: true }, geometry: { type: 'LineString', coordinates: firstMetres(line.geometry.coordinates, ReachMetres) } };
    path.getSource().addFeatures(readGeoJson({ type: 'FeatureCollection', features: [line, reach] }));
  } catch {
    // No flow path recorded: 头顶库 status unknown, nothing to draw.
  }
  return pond;
}

export async function loadPonds() {
  const review = await api('/api/tailings');
  for (const pond of review.ponds) ponds.set(pond.code, pond);
  const layer = layerById('tailings');
  layer.setStyle(onlyLayer('tailings', pondStyle));
}
