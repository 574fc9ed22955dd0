// The map itself: the tile layers, an overlay layer for highlights (search hits, alarm evidence, coverage,
// a pond's downstream path) and the popup. Works offline: a base map is added only when configured.
import { api } from './api.js';
import { tileLayers } from './layers.js';
import { shaftOverview } from './overview.js';

const { Map, View, Overlay } = ol;

/** GET /api/viewer/config: the base map and the start view (the extent of the signed-in user's towns). */
export const viewerConfig = await api('/api/viewer/config');

export const popup = new Overlay({ element: document.getElementById('popup'), autoPan: true, offset: [0, -10], positioning: 'bottom-center' });

export const map = new Map({
  target: 'map',
  layers: [...tileLayers, shaftOverview],
  overlays: [popup],
  view: new View({ center: ol.proj.fromLonLat([105.9, 29.3]), zoom: 11 }),
  // Eight tile layers: a county view asks for about 32 tiles at once. OpenLayers' default of 16 in flight made the
  // second half wait for a later frame (bench firstmap); the browser still caps connections per host itself.
  maxTilesLoading: 64,
});
// Open on the user's towns (a coordinator's own, the whole county for the county's roles), before the first render.
if (viewerConfig.start_extent) {
  map.getView().fit(ol.proj.transformExtent(viewerConfig.start_extent, 'EPSG:4326', 'EPSG:3857'), { padding: [30, 30, 30, 30], maxZoom: 15 });
}

/** A vector layer drawn above the tiles, for one feature (search, alarms, coverage, tailings). */
export function overlayLayer(id, style) {
  const layer = new ol.layer.Vector({ properties: { id }, source: new ol.source.Vector(), style, zIndex: 10 });
  map.addLayer(layer);
  return layer;
}

/** GeoJSON in lon/lat (CRS84 or EPSG:4490, the same axes) → features in the view's projection. */
export const readGeoJson = (json) => new ol.format.GeoJSON().readFeatures(json, { featureProjection: 'EPSG:3857' });

/** Zooms to [minLon, minLat, maxLon, maxLat], at most to `maxZoom`. */
export function zoomTo(bbox, maxZoom = 16) {
  const extent = ol.proj.transformExtent(bbox, 'EPSG:4326', 'EPSG:3857');
  map.getView().fit(extent, { padding: [60, 60, 60, 60], maxZoom, duration: 300 });
}

export function hidePopup() { popup.getElement().hidden = true; }
