/**
 * The rendering behind `volumeView`: an orthographic camera orbiting the
 * volume's box, ray casting with front-to-back compositing and an opaque Z
 * slice, and the box edges and axis names projected to the same screen.
 *
 * World coordinates are x = col, y = row, z = plane (right-handed), in
 * physical units, with voxel centers at index * size.
 *
 * @module
 */

import { colormapIndex, type ColormapName, lutOf } from "./colormaps.ts";
import { pngDataUri } from "./_png.ts";
import type { DenseArray } from "./_raster.ts";
import { round } from "./_svg.ts";

/** A point or direction in world coordinates [x, y, z]. */
export type Vec3 = [number, number, number];

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/** A box edge or slice outline segment, in CSS px of the rendering. */
export interface Edge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** Behind the volume (drawn dashed). */
  hidden: boolean;
  /** Part of the slice outline. */
  slice: boolean;
}

/** An axis name placed beside the box, in CSS px of the rendering. */
export interface AxisLabel {
  x: number;
  y: number;
  text: string;
  anchor: "start" | "end";
}

/** What {@linkcode castRays} needs, validated and defaulted by `volumeView`. */
export interface CastOptions {
  cmap: ColormapName;
  range: [number, number];
  opacity: number;
  /** Z plane drawn opaque, or -1 for none. */
  slice: number;
  azimuth: number;
  elevation: number;
  /** CSS width of the rendering. */
  width: number;
  /** Voxel size [z, y, x]. */
  voxel: Vec3;
  /** Unit of the voxel size, shown with the box lengths in the axis names. */
  unit?: string;
}

/** The rendering: a PNG data URI at twice its CSS size, and what to draw over it. */
export interface RayCast {
  width: number;
  height: number;
  src: string;
  edges: Edge[];
  axisLabels: AxisLabel[];
}

/** The volume's box: half a voxel beyond the outer voxel centers. */
interface Box {
  low: Vec3;
  high: Vec3;
  center: Vec3;
}

function volumeBox(shape: readonly number[], voxel: Vec3): Box {
  const [planes, rows, cols] = shape;
  const [vz, vy, vx] = voxel;
  const low: Vec3 = [-0.5 * vx, -0.5 * vy, -0.5 * vz];
  const high: Vec3 = [
    (cols - 0.5) * vx,
    (rows - 0.5) * vy,
    (planes - 0.5) * vz,
  ];
  const center: Vec3 = [
    (low[0] + high[0]) / 2,
    (low[1] + high[1]) / 2,
    (low[2] + high[2]) / 2,
  ];
  return { low, high, center };
}

/** Unit vectors towards the camera and along the screen's right and up. */
interface Camera {
  toCamera: Vec3;
  right: Vec3;
  up: Vec3;
}

/** The camera at `azimuth` around Z (from +X) and `elevation` above X-Y, in degrees. */
function orbitCamera(azimuth: number, elevation: number): Camera {
  const a = (azimuth * Math.PI) / 180;
  const e = (elevation * Math.PI) / 180;
  return {
    toCamera: [
      Math.cos(e) * Math.cos(a),
      Math.cos(e) * Math.sin(a),
      Math.sin(e),
    ],
    right: [-Math.sin(a), Math.cos(a), 0],
    up: [
      -Math.sin(e) * Math.cos(a),
      -Math.sin(e) * Math.sin(a),
      Math.cos(e),
    ],
  };
}

/** The screen: CSS size, world units per CSS px, and world point to CSS px. */
interface Screen {
  width: number;
  height: number;
  unitsPerPx: number;
  toPx(point: Vec3): [number, number];
}

// Room around the box for the axis names, in CSS px.
const PAD_X = 84;
const PAD_Y = 40;

/** Fits the projected box into `cssWidth` (less the padding); the height follows. */
function fitScreen(box: Box, camera: Camera, cssWidth: number): Screen {
  const { low, high, center } = box;
  const project = (p: Vec3) => {
    const d: Vec3 = [p[0] - center[0], p[1] - center[1], p[2] - center[2]];
    return [dot(d, camera.right), dot(d, camera.up)];
  };
  const projected: number[][] = [];
  for (let k = 0; k < 8; k++) {
    projected.push(project([
      k & 1 ? high[0] : low[0],
      k & 2 ? high[1] : low[1],
      k & 4 ? high[2] : low[2],
    ]));
  }
  const uExtent = Math.max(...projected.map((p) => Math.abs(p[0]))) * 2;
  const vExtent = Math.max(...projected.map((p) => Math.abs(p[1]))) * 2;
  const width = Math.round(cssWidth);
  const unitsPerPx = uExtent / (width - 2 * PAD_X);
  const height = Math.round(vExtent / unitsPerPx + 2 * PAD_Y);
  return {
    width,
    height,
    unitsPerPx,
    // Screen y grows downwards.
    toPx(point) {
      const [u, v] = project(point);
      return [width / 2 + u / unitsPerPx, height / 2 - v / unitsPerPx];
    },
  };
}

/**
 * The ray's entry and exit parameters in the box (slab method), or undefined
 * when it misses.
 */
function boxInterval(
  origin: Vec3,
  dir: Vec3,
  box: Box,
): [number, number] | undefined {
  let tNear = -Infinity;
  let tFar = Infinity;
  for (let i = 0; i < 3; i++) {
    if (Math.abs(dir[i]) < 1e-12) {
      if (origin[i] < box.low[i] || origin[i] > box.high[i]) tNear = Infinity;
      continue;
    }
    const t1 = (box.low[i] - origin[i]) / dir[i];
    const t2 = (box.high[i] - origin[i]) / dir[i];
    tNear = Math.max(tNear, Math.min(t1, t2));
    tFar = Math.min(tFar, Math.max(t1, t2));
  }
  return tNear < tFar ? [tNear, tFar] : undefined;
}

/** How a ray's samples turn into color: the volume, colormap, step and slice. */
interface Shading {
  dense: DenseArray;
  voxel: Vec3;
  lut: Uint8Array;
  range: [number, number];
  /** Ray step in world units. */
  step: number;
  /** Opacity per step of a voxel at vmax. */
  sampleOpacity: number;
  /** Z plane drawn opaque, or -1 for none. */
  slice: number;
}

function shadingOf(dense: DenseArray, options: CastOptions): Shading {
  const [vz, vy, vx] = options.voxel;
  const step = 0.5 * Math.min(vx, vy, vz);
  const unit = Math.min(vx, vy, vz);
  return {
    dense,
    voxel: options.voxel,
    lut: lutOf(options.cmap),
    range: options.range,
    step,
    // From the opacity per voxel length to the opacity per step.
    sampleOpacity: 1 -
      Math.pow(1 - Math.min(options.opacity, 0.999999), step / unit),
    slice: options.slice,
  };
}

/** Index of the voxel nearest to `coordinate` on an axis of `count` voxels of `size`, clamped. */
function nearestIndex(
  coordinate: number,
  size: number,
  count: number,
): number {
  return Math.min(count - 1, Math.max(0, Math.round(coordinate / size)));
}

/**
 * Composites one ray front to back over [tNear, tFar]: returns the
 * premultiplied [red, green, blue, alpha]. A step that crosses the slice's
 * plane samples plane `slice` there, opaque, and ends the ray.
 */
function compositeRay(
  origin: Vec3,
  dir: Vec3,
  [tNear, tFar]: [number, number],
  shading: Shading,
): [number, number, number, number] {
  const { dense, lut, step, slice } = shading;
  const [planes, rows, cols] = dense.shape;
  const [vz, vy, vx] = shading.voxel;
  const [vmin, vmax] = shading.range;
  const tSlice = slice >= 0 && Math.abs(dir[2]) > 1e-12
    ? (slice * vz - origin[2]) / dir[2]
    : Infinity;
  let red = 0, green = 0, blue = 0, alpha = 0;
  for (let t = tNear + step / 2; t < tFar && alpha < 0.995; t += step) {
    const hitsSlice = tSlice >= t - step / 2 && tSlice < t + step / 2;
    const at = hitsSlice ? tSlice : t;
    const col = nearestIndex(origin[0] + at * dir[0], vx, cols);
    const row = nearestIndex(origin[1] + at * dir[1], vy, rows);
    const plane = hitsSlice
      ? slice
      : nearestIndex(origin[2] + at * dir[2], vz, planes);
    const value = dense.values[(plane * rows + row) * cols + col];
    const index = colormapIndex(value, vmin, vmax);
    if (index < 0) continue;
    const weight = hitsSlice ? 1 : shading.sampleOpacity * (index / 255);
    const share = (1 - alpha) * weight;
    red += share * lut[3 * index];
    green += share * lut[3 * index + 1];
    blue += share * lut[3 * index + 2];
    alpha += share;
    if (hitsSlice) break;
  }
  return [red, green, blue, alpha];
}

// PNG pixels per CSS px, for high-density screens.
const SUPERSAMPLE = 2;

/** Casts one ray per PNG pixel; returns un-premultiplied RGBA with coverage as alpha. */
function renderPixels(
  box: Box,
  camera: Camera,
  screen: Screen,
  shading: Shading,
): Uint8Array {
  const { width, height, unitsPerPx } = screen;
  const { center, low, high } = box;
  const { toCamera, right, up } = camera;
  const pw = width * SUPERSAMPLE;
  const ph = height * SUPERSAMPLE;
  const rgba = new Uint8Array(pw * ph * 4);
  const dir: Vec3 = [-toCamera[0], -toCamera[1], -toCamera[2]];
  // Rays start outside the box, on the camera's side.
  const far = Math.hypot(high[0] - low[0], high[1] - low[1], high[2] - low[2]);
  for (let py = 0; py < ph; py++) {
    for (let px = 0; px < pw; px++) {
      const u = ((px + 0.5) / SUPERSAMPLE - width / 2) * unitsPerPx;
      const v = (height / 2 - (py + 0.5) / SUPERSAMPLE) * unitsPerPx;
      const origin: Vec3 = [0, 0, 0];
      for (let i = 0; i < 3; i++) {
        origin[i] = center[i] + u * right[i] + v * up[i] + far * toCamera[i];
      }
      const interval = boxInterval(origin, dir, box);
      if (!interval) continue;
      const [red, green, blue, alpha] = compositeRay(
        origin,
        dir,
        interval,
        shading,
      );
      if (alpha === 0) continue;
      const o = (py * pw + px) * 4;
      rgba[o] = Math.round(red / alpha);
      rgba[o + 1] = Math.round(green / alpha);
      rgba[o + 2] = Math.round(blue / alpha);
      rgba[o + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

/** A box edge along `axis` (0 x, 1 y, 2 z), in world coordinates. */
interface AxisEdge {
  axis: number;
  from: Vec3;
  to: Vec3;
  hidden: boolean;
}

/** The twelve box edges; one is hidden when both faces that meet at it face away. */
function boxEdges(box: Box, camera: Camera): AxisEdge[] {
  const { low, high } = box;
  const facesCamera = (axis: number, side: number) =>
    (side ? 1 : -1) * camera.toCamera[axis] > 0;
  const edges: AxisEdge[] = [];
  for (let axis = 0; axis < 3; axis++) {
    const [b, c] = [0, 1, 2].filter((i) => i !== axis);
    for (let sb = 0; sb < 2; sb++) {
      for (let sc = 0; sc < 2; sc++) {
        const from: Vec3 = [0, 0, 0];
        from[b] = sb ? high[b] : low[b];
        from[c] = sc ? high[c] : low[c];
        const to: Vec3 = [...from];
        from[axis] = low[axis];
        to[axis] = high[axis];
        const hidden = !facesCamera(b, sb) && !facesCamera(c, sc);
        edges.push({ axis, from, to, hidden });
      }
    }
  }
  return edges;
}

/** The four sides of the slice plane's rectangle at height `z`. */
function sliceOutline(box: Box, z: number): { from: Vec3; to: Vec3 }[] {
  const { low, high } = box;
  const ring: Vec3[] = [
    [low[0], low[1], z],
    [high[0], low[1], z],
    [high[0], high[1], z],
    [low[0], high[1], z],
  ];
  return ring.map((from, i) => ({ from, to: ring[(i + 1) % 4] }));
}

function screenEdge(
  screen: Screen,
  from: Vec3,
  to: Vec3,
  hidden: boolean,
  slice: boolean,
): Edge {
  const [x1, y1] = screen.toPx(from);
  const [x2, y2] = screen.toPx(to);
  return {
    x1: round(x1),
    y1: round(y1),
    x2: round(x2),
    y2: round(y2),
    hidden,
    slice,
  };
}

const AXIS_NAMES = ["col (X)", "row (Y)", "plane (Z)"];

/** An axis name, with the box's length along it when the unit is known. */
function axisName(axis: number, box: Box, unit: string | undefined): string {
  if (unit === undefined) return AXIS_NAMES[axis];
  const length = Number((box.high[axis] - box.low[axis]).toPrecision(3));
  return `${AXIS_NAMES[axis]}\n${length} ${unit}`;
}

/**
 * Axis names beside a visible edge of each axis: the lowest one on screen for
 * X and Y, the leftmost one for Z; pushed outwards from the box center.
 */
function axisLabels(
  edges: AxisEdge[],
  box: Box,
  screen: Screen,
  unit: string | undefined,
): AxisLabel[] {
  const { width, height } = screen;
  const midpoint = (edge: AxisEdge) =>
    screen.toPx([
      (edge.from[0] + edge.to[0]) / 2,
      (edge.from[1] + edge.to[1]) / 2,
      (edge.from[2] + edge.to[2]) / 2,
    ]);
  return [0, 1, 2].map((axis) => {
    const ofAxis = edges.filter((edge) => edge.axis === axis);
    const visible = ofAxis.filter((edge) => !edge.hidden);
    // Looking straight along an axis hides all its edges: label one anyway.
    const candidates = visible.length > 0 ? visible : ofAxis;
    const best = candidates.reduce((bestEdge, edge) => {
      const [mx, my] = midpoint(edge);
      const [bx, by] = midpoint(bestEdge);
      return axis === 2
        ? (mx < bx ? edge : bestEdge)
        : (my > by ? edge : bestEdge);
    });
    const [mx, my] = midpoint(best);
    const dx = mx - width / 2;
    const dy = my - height / 2;
    const length = Math.hypot(dx, dy) || 1;
    // Labels left of the center end at their point, others start there, so
    // none runs over the box.
    const x = mx + (dx / length) * 14;
    return {
      x: round(x),
      y: round(my + (dy / length) * 14),
      text: axisName(axis, box, unit),
      anchor: x < width / 2 ? "end" : "start",
    };
  });
}

/**
 * Ray casts the volume; returns the PNG, its CSS size, and the projected box
 * edges, slice outline and axis names.
 *
 * @example
 * ```ts
 * import { castRays } from "./_ray_cast.ts";
 * const dense = { shape: [2, 2, 2], values: new Float64Array(8).fill(1) };
 * const view = castRays(dense, {
 *   cmap: "gray", range: [0, 1], opacity: 0.5, slice: 1,
 *   azimuth: -60, elevation: 30, width: 200, voxel: [1, 1, 1],
 * });
 * const outline = view.edges.filter((edge) => edge.slice).length;
 * if (view.edges.length !== 16 || outline !== 4) throw new Error(`${view.edges.length} ${outline}`);
 * console.log(view.edges.length, outline); // 16 4
 * ```
 */
export function castRays(dense: DenseArray, options: CastOptions): RayCast {
  const box = volumeBox(dense.shape, options.voxel);
  const camera = orbitCamera(options.azimuth, options.elevation);
  const screen = fitScreen(box, camera, options.width);
  const rgba = renderPixels(box, camera, screen, shadingOf(dense, options));
  const along = boxEdges(box, camera);
  const edges = along.map((edge) =>
    screenEdge(screen, edge.from, edge.to, edge.hidden, false)
  );
  if (options.slice >= 0) {
    for (
      const side of sliceOutline(box, options.slice * options.voxel[0])
    ) {
      edges.push(screenEdge(screen, side.from, side.to, false, true));
    }
  }
  return {
    width: screen.width,
    height: screen.height,
    src: pngDataUri(
      rgba,
      screen.width * SUPERSAMPLE,
      screen.height * SUPERSAMPLE,
    ),
    edges,
    axisLabels: axisLabels(along, box, screen, options.unit),
  };
}
