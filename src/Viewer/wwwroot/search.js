// Search by name or code (shafts, mines, ponds, towns, villages, licences), or by a keyword the server knows (头顶库,
// 逾期, 从未巡查, 无责任人: GET /api/search/keywords): zoom to the hit and outline it.
import { api } from './api.js';
import { element } from './dom.js';
import { addCodeNames, codeName, isEnglish, onLanguage, t } from './i18n.js';
import { layerById } from './layers.js';
import { overlayLayer, readGeoJson, zoomTo } from './map.js';

const { Style, Stroke, Fill, Circle: CircleStyle } = ol.style;
const input = document.getElementById('search');
const keywords = await api('/api/search/keywords');
addCodeNames('search_keyword', keywords.map((k) => [k.code, k.label_zh, k.label_en]));
const results = document.getElementById('search-results');
const highlight = overlayLayer('search-highlight', new Style({
  stroke: new Stroke({ color: '#ff6f00', width: 4 }),
  fill: new Fill({ color: 'rgba(255,111,0,0.1)' }),
  image: new CircleStyle({ radius: 12, stroke: new Stroke({ color: '#ff6f00', width: 4 }) }),
}));

async function find() {
  const q = input.value.trim();
  if (!q) { results.replaceChildren(); return; }
  const { hits } = await api('/api/search', { query: { q, limit: 20 } });
  results.replaceChildren(...hits.map((hit) => {
    const layer = layerById(hit.layer);
    const item = element('li', { textContent: `${hit.name} · ${hit.code}`, title: layer?.get('label') ?? hit.layer });
    const kind = layer ? layer.get(isEnglish() ? 'en' : 'label') : hit.layer;
    item.prepend(element('small', { textContent: `${hit.keyword ? `${codeName(hit.keyword, 'search_keyword')} · ` : ''}${kind} ` }));
    item.addEventListener('click', () => go(hit));
    return item;
  }));
  if (hits.length === 0) results.append(element('li', { className: 'empty', textContent: t('noHits') }));
}

async function go(hit) {
  results.replaceChildren();
  layerById(hit.layer)?.setVisible(true);
  zoomTo(hit.bbox, 16);
  highlight.getSource().clear();
  try { // the feature itself from the OGC collection, so an area is outlined, not its box
    highlight.getSource().addFeatures(readGeoJson(await api(`/ogc/collections/${hit.layer}/items/${encodeURIComponent(hit.code)}`)));
  } catch {
    const [x0, y0, x1, y1] = hit.bbox;
    highlight.getSource().addFeatures(readGeoJson({ type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]] } }));
  }
}

let timer;
input.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(() => find().catch(() => {}), 250); });
input.addEventListener('keydown', (e) => { if (e.key === 'Enter') find().then(() => results.querySelector('li:not(.empty)')?.click()); });
onLanguage(() => { input.placeholder = `${t('search')}${t('orKeyword')}${keywords.map((k) => codeName(k.code, 'search_keyword')).join(isEnglish() ? ', ' : '、')}`; });
