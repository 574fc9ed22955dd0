// GeoMine map page: the reference layers as vector tiles from this server (/tiles/{layer}/{z}/{x}/{y}.mvt),
// a legend with toggles, and details of a clicked feature. Works offline: there is no base map by default.
import { session } from './session.js';

await session; // signed in, or on the way to the sign-in page
const { Map, View, Overlay } = ol;
const { VectorTile: VectorTileLayer } = ol.layer;
const { VectorTile: VectorTileSource } = ol.source;
const { MVT } = ol.format;
const { Style, Fill, Stroke, Circle: CircleStyle } = ol.style;

const fill = (color) => new Fill({ color });
const stroke = (color, width = 1.5, lineDash) => new Stroke({ color, width, lineDash });
const dot = (color, radius = 6) => new CircleStyle({ radius, fill: fill(color), stroke: stroke('#fff', 1.5) });

// Layers, bottom to top: id = the GeoMine layer name, label shown in the legend, style.
const layers = [
  { id: 'towns', label: '镇街', en: 'Towns', style: new Style({ stroke: stroke('#555', 1.2, [6, 4]), fill: fill('rgba(0,0,0,0)') }) },
  { id: 'villages', label: '村社区', en: 'Villages', visible: false, style: new Style({ stroke: stroke('#999', 0.8, [2, 3]) }) },
  { id: 'mining-rights', label: '采矿权范围', en: 'Mining rights', style: new Style({ stroke: stroke('#1565c0', 2), fill: fill('rgba(21,101,192,0.12)') }) },
  { id: 'closed-mines', label: '关闭煤矿', en: 'Closed mines', style: new Style({ stroke: stroke('#6d4c41', 2), fill: fill('rgba(109,76,65,0.18)') }) },
  { id: 'tailings', label: '尾矿库', en: 'Tailings ponds', style: new Style({ stroke: stroke('#2e7d32', 2), fill: fill('rgba(46,125,50,0.2)') }) },
  { id: 'tailings-flow-paths', label: '尾矿库下游路径', en: 'Downstream paths', style: new Style({ stroke: stroke('#00897b', 2, [8, 4]) }) },
  { id: 'facilities', label: '居民点与设施', en: 'Residents and facilities', style: new Style({ image: dot('#8e24aa', 5) }) },
  { id: 'shafts', label: '封闭井口', en: 'Sealed shafts', style: (feature) => new Style({ image: dot(feature.get('status') === 'intact' ? '#2e7d32' : '#c62828', 6) }) },
];

const tileLayers = layers.map((def) => new VectorTileLayer({
  properties: { id: def.id, label: def.label, en: def.en },
  visible: def.visible ?? true,
  declutter: false,
  style: def.style,
  source: new VectorTileSource({ format: new MVT(), url: `/tiles/${def.id}/{z}/{x}/{y}.mvt`, maxZoom: 18 }),
}));

const popup = new Overlay({ element: document.getElementById('popup'), autoPan: true, offset: [0, -10], positioning: 'bottom-center' });

const map = new Map({
  target: 'map',
  layers: tileLayers,
  overlays: [popup],
  view: new View({ center: ol.proj.fromLonLat([105.9, 29.3]), zoom: 11 }),
});

// Chinese by default; the switch shows English labels (layer names, field names, codes stay as data).
let english = false;
const label = (layer) => (english ? layer.get('en') : layer.get('label'));

// Legend with toggles.
const legend = document.getElementById('legend');
function drawLegend() {
  legend.replaceChildren();
  const language = document.createElement('button');
  language.id = 'language';
  language.textContent = english ? '中文' : 'English';
  language.addEventListener('click', () => { english = !english; drawLegend(); document.getElementById('popup').hidden = true; });
  legend.append(language);
  for (const layer of tileLayers) {
    const row = document.createElement('label');
    const box = document.createElement('input');
    box.type = 'checkbox';
    box.checked = layer.getVisible();
    box.dataset.layer = layer.get('id');
    box.addEventListener('change', () => layer.setVisible(box.checked));
    row.append(box, ` ${label(layer)}`);
    legend.append(row);
  }
}
drawLegend();

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
      if (feature.getGeometry().getType() !== 'Point') continue;
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
  map.forEachFeatureAtPixel(pixel, (feature, layer) => { hits.push({ feature, layer }); }, { hitTolerance: 4 });
  return hits.sort((a, b) => tileLayers.indexOf(b.layer) - tileLayers.indexOf(a.layer))[0] ?? null;
}

// Details of the clicked feature.
const names = { code: '编码', name: '名称', mine: '所属矿山', town: '镇街', status: '状态', licence: '许可证号', holder: '采矿权人',
  upper_m: '开采标高上限(米)', lower_m: '开采标高下限(米)', sealed_on: '封闭日期', seal_meth: '封闭方式', elev_m: '井口标高(米)',
  operator: '企业', storage: '总库容(万m³)', dam_h_m: '坝高(米)', kind: '类型', population: '人口' };
const codes = { intact: '完好', damaged: '破损', opened: '被打开', backfilled: '已回填', closing: '关闭中', closed: '已关闭',
  sealed: '已封闭', stopped: '停产', in_use: '在用', disused: '停用', deregistered: '已销号', no_operator: '无主',
  residential: '居民点', school: '学校', hospital: '医院', factory: '工厂', other: '其他' };
map.on('singleclick', (event) => {
  const hit = nearestPoint(event.pixel, 8) ?? topmostAt(event.pixel);
  const element = popup.getElement();
  if (!hit) {
    element.hidden = true;
    return;
  }
  const rows = Object.entries(hit.feature.getProperties())
    .filter(([key, value]) => key !== 'geometry' && key !== 'layer' && value !== null && value !== undefined)
    .map(([key, value]) => `<tr><th>${english ? key : names[key] ?? key}</th><td>${english ? String(value) : codes[value] ?? String(value)}</td></tr>`).join('');
  element.innerHTML = `<strong>${label(hit.layer)}</strong><table>${rows}</table>`;
  element.hidden = false;
  popup.setPosition(event.coordinate);
});

// Tests and operators can wait for the first complete render.
map.once('rendercomplete', () => { window.geomineReady = true; });
window.geomineMap = map;
