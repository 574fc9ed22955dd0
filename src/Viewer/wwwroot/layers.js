// The reference layers, drawn from this server's vector tiles (/tiles/{layer}/{z}/{x}/{y}.mvt), bottom to top.
// Shafts are coloured by their patrol status, rated on the server by the overdue job's rule.
import { api, request } from './api.js';
import { addLayerFields } from './i18n.js';

const { VectorTile: VectorTileLayer } = ol.layer;
const { VectorTile: VectorTileSource } = ol.source;
const { MVT } = ol.format;
const { Style, Fill, Stroke, Circle: CircleStyle, RegularShape, Text } = ol.style;

export const fill = (color) => new Fill({ color });
export const stroke = (color, width = 1.5, lineDash) => new Stroke({ color, width, lineDash });
export const dot = (color, radius = 6, ring = '#fff', ringWidth = 1.5) =>
  new CircleStyle({ radius, fill: fill(color), stroke: stroke(ring, ringWidth) });

/** Patrol status → colour; the legend and the shaft style share it. */
export const patrolColours = { ok: '#2e7d32', due_soon: '#f9a825', overdue: '#d32f2f', never_visited: '#8e24aa' };
export const unassignedRing = '#000';

// Labels appear from a zoom on (z = log2(156543 / resolution)): towns from 11, mines, licences, ponds and villages from
// 13, shaft codes and facilities from 15. Cached by text: a few hundred at most in a view at those zooms.
const zoomOf = (resolution) => Math.log2(156543.03392804097 / resolution);
const labelStyles = new Map();
function label(text, colour = '#263238', offsetY = 0) {
  const key = `${text}/${colour}/${offsetY}`;
  if (!labelStyles.has(key)) {
    labelStyles.set(key, new Style({
      text: new Text({ text, font: '12px "Noto Sans CJK SC", sans-serif', fill: fill(colour), stroke: stroke('#fff', 3), offsetY, overflow: true }),
    }));
  }
  return labelStyles.get(key);
}

// One Style object per (status, unassigned): 100 000 shafts must not mean 100 000 styles.
const shaftStyles = new Map();
export function shaftStyle(feature, resolution) {
  const status = feature.get('patrol_status') ?? 'never_visited';
  const unassigned = feature.get('unassigned') === true;
  const key = `${status}/${unassigned}`;
  if (!shaftStyles.has(key)) {
    shaftStyles.set(key, new Style({
      image: unassigned ? dot(patrolColours[status] ?? '#777', 6, unassignedRing, 3) : dot(patrolColours[status] ?? '#777', 6),
    }));
  }
  const style = shaftStyles.get(key);
  return zoomOf(resolution) >= 15 ? [style, label(feature.get('code'), '#4a148c', -14)] : style;
}

// How each layer is drawn, the one description both the map style and the legend symbol are made from: area (stroke,
// fill, dash), line, or point marker (circle for shafts, square for residents and facilities, triangle for mines drawn as
// points); and from which zoom its features are labelled, with which field.
export const looks = {
  towns: { stroke: '#455a64', width: 1.5, dash: [6, 4], fill: 'rgba(0,0,0,0)', label: 'name', from: 11 },
  villages: { stroke: '#9e9e9e', width: 0.8, dash: [2, 3], fill: 'rgba(0,0,0,0)', label: 'name', from: 13 },
  'mining-rights': { stroke: '#1565c0', width: 2, fill: 'rgba(21,101,192,0.12)', label: 'mine_name', from: 13 },
  'closed-mines': { stroke: '#6d4c41', width: 2, fill: 'rgba(109,76,65,0.18)', marker: 'triangle', colour: '#6d4c41', label: 'name', from: 13 },
  tailings: { stroke: '#2e7d32', width: 2, fill: 'rgba(46,125,50,0.2)', label: 'name', from: 13 },
  'tailings-flow-paths': { stroke: '#00897b', width: 2, dash: [8, 4], line: true },
  facilities: { marker: 'square', colour: '#00838f', label: 'name', from: 15 },
};

function marker(shape, colour) {
  if (shape === 'square') return new RegularShape({ points: 4, radius: 6, angle: Math.PI / 4, fill: fill(colour), stroke: stroke('#fff', 1.5) });
  if (shape === 'triangle') return new RegularShape({ points: 3, radius: 7, fill: fill(colour), stroke: stroke('#fff', 1.5) });
  return dot(colour, 5);
}

function lookStyle(look) {
  const base = new Style({
    stroke: look.stroke ? stroke(look.stroke, look.width, look.dash) : undefined,
    fill: look.fill ? fill(look.fill) : undefined,
    image: look.marker ? marker(look.marker, look.colour) : undefined,
  });
  if (!look.label) return base;
  return (feature, resolution) => {
    const text = zoomOf(resolution) >= look.from ? feature.get(look.label) ?? feature.get('code') : null;
    return text ? [base, label(String(text), '#263238', look.marker ? -14 : 0)] : base;
  };
}

// The layers, their order, labels and start visibility are the server's (GET /api/layers, from the layer catalog);
// only how each one is drawn is the page's. A layer without a look here is drawn plainly, never left out.
const styles = { ...Object.fromEntries(Object.entries(looks).map(([id, look]) => [id, lookStyle(look)])), shafts: shaftStyle };
export const plainLook = { stroke: '#455a64', width: 1.5, fill: 'rgba(69,90,100,0.12)', marker: 'circle', colour: '#455a64' };
const plainStyle = lookStyle(plainLook);

const definitions = await api('/api/layers');
addLayerFields(definitions);

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

/** A layer's style applied to its own features only: the layers share one source whose tiles hold every layer. */
export const onlyLayer = (id, style) => (feature, resolution) =>
  (feature.get('layer') === id ? (typeof style === 'function' ? style(feature, resolution) : style) : null);

// One source for every layer: /tiles/all/{z}/{x}/{y}.mvt holds each layer of GET /api/layers as its own MVT layer (the
// MVT format names it in the feature property "layer"), so a view costs one request per tile position, not one per layer
// and position (bench firstmap). Each layer draws only its own features.
const shared = new VectorTileSource({ format: new MVT(), url: '/tiles/all/{z}/{x}/{y}.mvt', maxZoom: 18, tileLoadFunction: loadTile });

export const tileLayers = definitions.map((def) => new VectorTileLayer({
  properties: { id: def.id, label: def.label_zh, en: def.label_en },
  visible: def.visible,
  declutter: false, // labels may overlap a little; decluttering would hide shafts
  style: onlyLayer(def.id, styles[def.id] ?? plainStyle),
  source: shared,
}));

export const layerById = (id) => tileLayers.find((layer) => layer.get('id') === id);

// Zoomed out, the shafts are drawn by the overview layer (overview.js) from compact point tiles; the vector tiles
// take over above this zoom for exact picking and every field.
export const OverviewMaxZoom = 10;
layerById('shafts').setMinZoom(OverviewMaxZoom);
