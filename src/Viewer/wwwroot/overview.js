// Zoomed out, a province's shafts are 100 000 points. Building an OpenLayers feature and WebGL buffers for each
// took Chromium 2–4 s in software; here each tile of /tiles/shafts/{z}/{x}/{y}.bin (ids, positions quantized in
// the tile, one style byte per shaft: see ShaftOverviewTiles.cs) goes to the GPU as it arrives and is drawn as
// point sprites by one small shader. Same colours as the vector tiles; zoomed in, they take over (exact picking,
// every field). A click on an overview point zooms to that shaft and shows it there.
import { request } from './api.js';
import { OverviewMaxZoom, layerById, patrolColours, unassignedRing } from './layers.js';

const HalfWorld = 20037508.342789244; // metres, EPSG:3857
const MaxDataZoom = 9; // the server's last overview zoom
const statusOrder = ['ok', 'due_soon', 'overdue', 'never_visited']; // the style byte's bits 0–1
const radius = 6; // CSS pixels, as the vector-tile style
const spriteSize = 2 * (radius + 1.5) + 2; // the widest ring (3 px) and a pixel of antialiasing

const vertexShader = `
  attribute vec2 a_q;       // 0..65535 from the tile's west and north edges
  attribute float a_style;
  uniform vec2 u_origin;    // the tile's north-west corner minus the view centre, metres
  uniform float u_step;     // metres per quantum
  uniform mat2 u_toPixels;  // metres → CSS pixels from the centre (y down), the frame's transform
  uniform vec2 u_half;      // half the viewport, CSS pixels
  uniform float u_pixelRatio;
  uniform vec3 u_colours[4];
  varying vec3 v_fill;
  varying float v_unassigned;
  varying float v_pixelRatio;
  void main() {
    v_pixelRatio = u_pixelRatio;
    vec2 metres = u_origin + vec2(a_q.x + 0.5, -(a_q.y + 0.5)) * u_step;
    vec2 pixel = u_toPixels * metres;
    gl_Position = vec4(pixel.x / u_half.x, -pixel.y / u_half.y, 0.0, 1.0);
    gl_PointSize = ${spriteSize.toFixed(1)} * u_pixelRatio;
    float status = mod(a_style, 4.0);
    v_fill = status < 0.5 ? u_colours[0] : status < 1.5 ? u_colours[1] : status < 2.5 ? u_colours[2] : u_colours[3];
    v_unassigned = a_style >= 4.0 ? 1.0 : 0.0;
  }`;

const fragmentShader = `
  precision mediump float;
  uniform vec3 u_unassignedRing;
  varying vec3 v_fill;
  varying float v_unassigned;
  varying float v_pixelRatio; // not the uniform: a uniform in both shaders must have one precision

  void main() {
    float d = length(gl_PointCoord - 0.5) * ${spriteSize.toFixed(1)};  // CSS pixels from the centre
    float ring = v_unassigned > 0.5 ? 3.0 : 1.5;                         // stroked on the circle, as canvas does
    float outer = ${radius.toFixed(1)} + ring / 2.0;
    float alpha = clamp((outer - d) * v_pixelRatio + 0.5, 0.0, 1.0);
    if (alpha <= 0.0) discard;
    vec3 ringColour = v_unassigned > 0.5 ? u_unassignedRing : vec3(1.0);
    float inRing = clamp((d - (${radius.toFixed(1)} - ring / 2.0)) * v_pixelRatio + 0.5, 0.0, 1.0);
    gl_FragColor = vec4(mix(v_fill, ringColour, inRing) * alpha, alpha);  // premultiplied
  }`;

const rgb = (hex) => {
  const digits = hex.length === 4 ? [...hex.slice(1)].map((h) => h + h).join('') : hex.slice(1); // #rgb or #rrggbb
  return [0, 2, 4].map((i) => parseInt(digits.slice(i, i + 2), 16) / 255);
};
const tileSize = (z) => (2 * HalfWorld) / 2 ** z;

// 'z/x/y' → { z, x, y, state: 'loading' | 'ready' | 'failed', count, ids, position, style (GL buffers) }
const tiles = new Map();
const source = new ol.source.Source({});
let pending = 0;
let drawnTiles = [];

const canvas = document.createElement('canvas');
canvas.style.position = 'absolute';
canvas.style.left = '0';
canvas.style.top = '0';
const gl = canvas.getContext('webgl', { premultipliedAlpha: true, antialias: false, preserveDrawingBuffer: true });

function compile(type, text) {
  const shader = gl.createShader(type);
  gl.shaderSource(shader, text);
  gl.compileShader(shader);
  if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS)) throw new Error(gl.getShaderInfoLog(shader));
  return shader;
}

const program = gl.createProgram();
gl.attachShader(program, compile(gl.VERTEX_SHADER, vertexShader));
gl.attachShader(program, compile(gl.FRAGMENT_SHADER, fragmentShader));
gl.linkProgram(program);
if (!gl.getProgramParameter(program, gl.LINK_STATUS)) throw new Error(gl.getProgramInfoLog(program));
const attribute = { q: gl.getAttribLocation(program, 'a_q'), style: gl.getAttribLocation(program, 'a_style') };
const uniform = Object.fromEntries(['u_origin', 'u_step', 'u_toPixels', 'u_half', 'u_pixelRatio', 'u_colours', 'u_unassignedRing']
  .map((name) => [name, gl.getUniformLocation(program, name)]));
gl.useProgram(program);
gl.uniform3fv(uniform.u_colours, statusOrder.flatMap((status) => rgb(patrolColours[status])));
gl.uniform3fv(uniform.u_unassignedRing, rgb(unassignedRing));

function buffer(data) {
  const b = gl.createBuffer();
  gl.bindBuffer(gl.ARRAY_BUFFER, b);
  gl.bufferData(gl.ARRAY_BUFFER, data, gl.STATIC_DRAW);
  return b;
}

async function load(tile) {
  pending++;
  source.loading = true;
  try {
    const response = await request(`/tiles/shafts/${tile.z}/${tile.x}/${tile.y}.bin`, { accept: 'application/octet-stream' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const data = await response.arrayBuffer();
    const count = data.byteLength === 0 ? 0 : new DataView(data).getUint32(0, true);
    tile.count = count;
    if (count > 0) {
      tile.ids = new Uint32Array(data, 4, count);
      tile.positions = new Uint16Array(data, 4 + 4 * count, 2 * count);
      tile.position = buffer(tile.positions);
      tile.style = buffer(new Uint8Array(data, 4 + 8 * count, count));
    }
    tile.state = 'ready';
  } catch (error) {
    console.warn('shaft overview tile', tile.z, tile.x, tile.y, error.message);
    tile.state = 'failed'; // not asked again (a reload of the page does)
  } finally {
    pending--;
    source.loading = pending > 0;
    shaftOverview.changed();
  }
}

// The tiles a frame draws: those of the data zoom over the view, or a loaded ancestor (it holds all of its
// descendants' shafts), so zooming in never loads again.
function tilesFor(frameState) {
  const z = Math.max(0, Math.min(MaxDataZoom, Math.floor(frameState.viewState.zoom)));
  const size = tileSize(z);
  const last = 2 ** z - 1;
  const [minX, minY, maxX, maxY] = frameState.extent;
  const clamp = (v) => Math.max(0, Math.min(last, Math.floor(v)));
  const chosen = new Set();
  for (let x = clamp((minX + HalfWorld) / size); x <= clamp((maxX + HalfWorld) / size); x++) {
    for (let y = clamp((HalfWorld - maxY) / size); y <= clamp((HalfWorld - minY) / size); y++) {
      let ready = null;
      for (let k = 0; k <= z && !ready; k++) {
        const t = tiles.get(`${z - k}/${x >> k}/${y >> k}`);
        if (t?.state === 'ready') ready = t;
      }
      if (ready) {
        chosen.add(ready);
      } else if (!tiles.has(`${z}/${x}/${y}`)) {
        const tile = { z, x, y, state: 'loading', count: 0 };
        tiles.set(`${z}/${x}/${y}`, tile);
        load(tile);
      }
    }
  }
  return [...chosen];
}

// What the canvas shows: the view it was drawn for and the tiles drawn. The map renders a frame for every tile of
// every layer that arrives; in software each redraw of 100 000 sprites costs far more than the JavaScript that asks
// for it, so an unchanged view keeps the canvas (preserveDrawingBuffer) and a new tile is drawn on top of it.
let shownView = '';
let shownTiles = new Set();

function render(frameState) {
  const [width, height] = frameState.size;
  const ratio = frameState.pixelRatio;
  if (canvas.width !== Math.round(width * ratio) || canvas.height !== Math.round(height * ratio)) {
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    shownView = '';
  }
  canvas.style.opacity = frameState.layerStatesArray[frameState.layerIndex].opacity;
  drawnTiles = tilesFor(frameState);

  const { center, resolution, rotation } = frameState.viewState;
  const view = `${center[0]},${center[1]},${resolution},${rotation},${width},${height},${ratio}`;
  const keep = view === shownView && [...shownTiles].every((tile) => drawnTiles.includes(tile));
  const toDraw = keep ? drawnTiles.filter((tile) => !shownTiles.has(tile)) : drawnTiles;
  shownView = view;
  shownTiles = new Set(drawnTiles);
  if (keep && toDraw.length === 0) return canvas;

  gl.viewport(0, 0, canvas.width, canvas.height);
  if (!keep) {
    gl.clearColor(0, 0, 0, 0);
    gl.clear(gl.COLOR_BUFFER_BIT);
  }
  gl.enable(gl.BLEND);
  gl.blendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA);
  gl.useProgram(program);
  const [a, b, c, d] = frameState.coordinateToPixelTransform; // pixel = [a c; b d]·coordinate + translation
  gl.uniformMatrix2fv(uniform.u_toPixels, false, [a, b, c, d]);
  gl.uniform2f(uniform.u_half, width / 2, height / 2);
  gl.uniform1f(uniform.u_pixelRatio, ratio);
  for (const tile of toDraw) {
    if (tile.count === 0) continue;
    const size = tileSize(tile.z);
    gl.uniform2f(uniform.u_origin, -HalfWorld + tile.x * size - center[0], HalfWorld - tile.y * size - center[1]);
    gl.uniform1f(uniform.u_step, size / 65536);
    gl.bindBuffer(gl.ARRAY_BUFFER, tile.position);
    gl.enableVertexAttribArray(attribute.q);
    gl.vertexAttribPointer(attribute.q, 2, gl.UNSIGNED_SHORT, false, 0, 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, tile.style);
    gl.enableVertexAttribArray(attribute.style);
    gl.vertexAttribPointer(attribute.style, 1, gl.UNSIGNED_BYTE, false, 0, 0);
    gl.drawArrays(gl.POINTS, 0, tile.count);
  }
  return canvas;
}

/** Ids of the shafts drawn in the last frame (each shaft is in one tile of a zoom). */
function drawnShaftIds() {
  const ids = new Set();
  for (const tile of drawnTiles) for (const id of tile.ids ?? []) ids.add(id);
  return ids;
}

export const shaftOverview = new ol.layer.Layer({
  properties: { id: 'shafts-overview', drawnShaftIds },
  source,
  maxZoom: OverviewMaxZoom,
  render,
});
const shafts = layerById('shafts');
shafts.on('change:visible', () => shaftOverview.setVisible(shafts.getVisible()));

/** The map coordinate of the overview shaft drawn nearest to `pixel`, within `within` CSS pixels; null if none. */
export function overviewShaftAt(map, pixel, within) {
  if (!shaftOverview.getVisible() || map.getView().getZoom() > OverviewMaxZoom) return null;
  const [cx, cy] = map.getCoordinateFromPixel(pixel);
  const resolution = map.getView().getResolution(); // metres per CSS pixel, in any rotation
  let best = null;
  for (const tile of drawnTiles) {
    const size = tileSize(tile.z);
    const step = size / 65536;
    const [west, north] = [-HalfWorld + tile.x * size, HalfWorld - tile.y * size];
    for (let i = 0; i < tile.count; i++) {
      const at = [west + (tile.positions[2 * i] + 0.5) * step, north - (tile.positions[2 * i + 1] + 0.5) * step];
      const distance = Math.hypot(at[0] - cx, at[1] - cy) / resolution;
      if (distance <= within && (!best || distance < best.distance)) best = { at, distance };
    }
  }
  return best?.at ?? null;
}
