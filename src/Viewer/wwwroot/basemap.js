// Optional base map from configuration (Viewer:BaseMap, served by /api/viewer/config): xyz or WMTS (KVP, Web
// Mercator). None by default, so the page works offline.
import { map, viewerConfig } from './map.js';

function wmtsSource(config) {
  const size = ol.extent.getWidth(ol.proj.get('EPSG:3857').getExtent()) / 256;
  const resolutions = Array.from({ length: 19 }, (_, z) => size / 2 ** z);
  return new ol.source.WMTS({
    url: config.url, layer: config.layer, matrixSet: config.matrix_set, format: config.format, style: 'default',
    attributions: config.attribution ?? undefined, wrapX: true,
    tileGrid: new ol.tilegrid.WMTS({ origin: [-20037508.342789244, 20037508.342789244], resolutions, matrixIds: resolutions.map((_, z) => String(z)) }),
  });
}

export async function loadBaseMap() {
  const { base_map: config } = viewerConfig;
  if (!config) return;
  const source = config.type === 'wmts'
    ? wmtsSource(config)
    : new ol.source.XYZ({ url: config.url, attributions: config.attribution ?? undefined, crossOrigin: 'anonymous' });
  map.getLayers().insertAt(0, new ol.layer.Tile({ properties: { id: 'base-map' }, source }));
}
