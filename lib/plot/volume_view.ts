/**
 * `volumeView`: a static 3D rendering of a small volume, for figures where the
 * tutorial shows plotly's interactive `go.Volume` with a highlighted slice.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { type NdArray, Plot } from "../deps.ts";
import {
  checkColormap,
  colormapIndex,
  type ColormapName,
  lutOf,
} from "./colormaps.ts";
import type { Figure } from "./figure.ts";
import { colorbarPart, colorbarWidth } from "./_image_grid.ts";
import { pngDataUri } from "./_png.ts";
import { colorRange, type DenseArray, readDense } from "./_raster.ts";
import { composeSvg, FONT, renderPlot, round } from "./_svg.ts";

/** Options of {@linkcode volumeView}. */
export interface VolumeViewOptions {
  /** Opacity of a voxel at vmax per voxel length, in [0, 1] (default 0.5). */
  opacity?: number;
  /** Index of the Z plane (axis 0) drawn as an opaque, outlined slice (default the middle plane; -1 for none). */
  slice?: number;
  /** Value at the colormap's first color and zero opacity (default: finite minimum). */
  vmin?: number;
  /** Value at the colormap's last color and full opacity (default: finite maximum). */
  vmax?: number;
  /** Colormap (default "gray"). */
  cmap?: ColormapName;
  /** Figure title (default none). */
  title?: string;
  /** Color bar label (default none). */
  colorLabel?: string;
  /** Physical voxel size [z, y, x] (default [1, 1, 1]). */
  voxelSize?: readonly [number, number, number];
  /** Camera azimuth around the Z axis, in degrees (default -60). */
  azimuth?: number;
  /** Camera elevation above the X-Y plane, in degrees (default 30). */
  elevation?: number;
  /** Width of the rendered view in CSS pixels (default 480). */
  width?: number;
}

type Vec3 = [number, number, number];

const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

function checkNumber(
  name: string,
  value: unknown,
  fallback: number,
  low: number,
  high: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= low && value <= high)) {
    throw argumentError(
      "volumeView",
      name,
      value,
      `a number in [${low}, ${high}]`,
    );
  }
  return value;
}

/**
 * Renders a 3-D volume (axes Z, Y, X: planes, rows, cols) in an orthographic
 * oblique view by ray casting with front-to-back alpha compositing (emission
 * absorption model; M. Levoy, "Display of Surfaces from Volume Data", IEEE
 * CG&A 8(3), 1988): each voxel's color comes from the colormap and its opacity
 * per voxel length is `opacity * t`, with `t` its value scaled to [0, 1] by
 * [vmin, vmax] (clamped; NaN voxels are empty). The Z plane `slice` is drawn
 * as an opaque colored surface with an orange outline, as plotly's `slices_z`.
 * The box edges (hidden ones dashed), axis names and a color bar complete the
 * figure. The rendering is embedded as a PNG at twice the CSS size.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { volumeView } from "./volume_view.ts";
 *
 * const volume = ndarray(Float32Array.from({ length: 4 * 6 * 6 }, (_, i) => i % 7), [4, 6, 6]);
 * const figure = volumeView(volume, { opacity: 0.5, slice: 2, title: "A small volume", width: 200 });
 * console.log(figure.kind, figure.svg.includes("A small volume")); // volume true
 * ```
 */
export function volumeView(
  volume: NdArray,
  options: VolumeViewOptions = {},
): Figure {
  const fn = "volumeView";
  const dense = readDense(fn, "volume", volume, 3);
  const [planes] = dense.shape;
  const cmap = checkColormap(fn, options.cmap ?? "gray");
  const opacity = checkNumber("opacity", options.opacity, 0.5, 0, 1);
  const slice = checkNumber(
    "slice",
    options.slice,
    Math.floor(planes / 2),
    -1,
    planes - 1,
  );
  if (!Number.isInteger(slice)) {
    throw argumentError(
      fn,
      "slice",
      slice,
      `an integer plane index in [-1, ${planes - 1}]`,
    );
  }
  const azimuth = checkNumber("azimuth", options.azimuth, -60, -360, 360);
  const elevation = checkNumber("elevation", options.elevation, 30, -90, 90);
  const width = checkNumber("width", options.width, 480, 200, 4000);
  const voxel = options.voxelSize ?? [1, 1, 1];
  if (
    !Array.isArray(voxel) || voxel.length !== 3 ||
    voxel.some((v) => !(typeof v === "number" && v > 0))
  ) {
    throw argumentError(fn, "voxelSize", voxel, "3 positive numbers [z, y, x]");
  }
  for (const name of ["title", "colorLabel"] as const) {
    if (options[name] !== undefined && typeof options[name] !== "string") {
      throw argumentError(fn, name, options[name], "a string");
    }
  }
  const title = options.title ?? "";
  const range = colorRange(fn, [dense.values], options.vmin, options.vmax);
  const view = castRays(dense, {
    cmap,
    range,
    opacity,
    slice,
    azimuth,
    elevation,
    width,
    voxel: voxel as Vec3,
  });

  const frameHeight = view.height;
  const labelColor = "#e8e8e8";
  const panel = renderPlot({
    width: view.width,
    height: view.height,
    margin: 0,
    x: { domain: [0, view.width], axis: null },
    y: { domain: [0, view.height], reverse: true, axis: null },
    marks: [
      Plot.frame({ fill: "#141414", stroke: null }),
      Plot.image([{ x: view.width / 2, y: view.height / 2 }], {
        x: "x",
        y: "y",
        width: view.width,
        height: view.height,
        src: view.src,
        preserveAspectRatio: "none",
      }),
      Plot.link(view.edges.filter((d) => d.hidden), {
        x1: "x1",
        y1: "y1",
        x2: "x2",
        y2: "y2",
        stroke: "#8a8a8a",
        strokeDasharray: "3,3",
      }),
      Plot.link(view.edges.filter((d) => !d.hidden), {
        x1: "x1",
        y1: "y1",
        x2: "x2",
        y2: "y2",
        stroke: (d: Edge) => (d.slice ? "#ff8c1a" : "#b0b0b0"),
        strokeWidth: (d: Edge) => (d.slice ? 1.6 : 1),
      }),
      ...(["start", "end"] as const).map((anchor) =>
        Plot.text(view.axisLabels.filter((d) => d.anchor === anchor), {
          x: "x",
          y: "y",
          text: "text",
          textAnchor: anchor,
          fill: labelColor,
          fontSize: FONT.label,
        })
      ),
    ],
  });
  const bar = colorbarPart({
    cmap,
    range,
    frameHeight: frameHeight - 40,
    marginTop: 20,
    marginBottom: 20,
    label: options.colorLabel,
    width: colorbarWidth(options.colorLabel),
  });
  const titleBand = title ? 34 : 4;
  const contentWidth = 8 + view.width + 14 + bar.width + 8;
  const figureWidth = Math.max(
    contentWidth,
    title ? title.length * 8.5 + 20 : 0,
  );
  const shift = (figureWidth - contentWidth) / 2;
  const height = titleBand + view.height + 8;
  return {
    kind: "volume",
    title,
    width: Math.ceil(figureWidth),
    height: Math.ceil(height),
    svg: composeSvg({
      width: figureWidth,
      height,
      title,
      parts: [
        { part: panel, x: 8 + shift, y: titleBand },
        { part: bar, x: 8 + view.width + 14 + shift, y: titleBand },
      ],
    }),
  };
}

interface Edge {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  hidden: boolean;
  slice: boolean;
}

interface CastOptions {
  cmap: ColormapName;
  range: [number, number];
  opacity: number;
  slice: number;
  azimuth: number;
  elevation: number;
  width: number;
  voxel: Vec3;
}

/** Ray casts the volume; returns the PNG, its CSS size, and the projected box edges and labels. */
function castRays(dense: DenseArray, options: CastOptions) {
  const [planes, rows, cols] = dense.shape;
  const [vz, vy, vx] = options.voxel;
  // World coordinates (x = col, y = row, z = plane, in physical units), with
  // voxel centers at index * size; the box spans half a voxel beyond them.
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
  const a = (options.azimuth * Math.PI) / 180;
  const e = (options.elevation * Math.PI) / 180;
  const toCamera: Vec3 = [
    Math.cos(e) * Math.cos(a),
    Math.cos(e) * Math.sin(a),
    Math.sin(e),
  ];
  const right: Vec3 = [-Math.sin(a), Math.cos(a), 0];
  const up: Vec3 = [
    -Math.sin(e) * Math.cos(a),
    -Math.sin(e) * Math.sin(a),
    Math.cos(e),
  ];

  const corners: Vec3[] = [];
  for (let k = 0; k < 8; k++) {
    corners.push([
      k & 1 ? high[0] : low[0],
      k & 2 ? high[1] : low[1],
      k & 4 ? high[2] : low[2],
    ]);
  }
  const project = (p: Vec3) => {
    const d: Vec3 = [p[0] - center[0], p[1] - center[1], p[2] - center[2]];
    return [dot(d, right), dot(d, up)];
  };
  const projected = corners.map(project);
  const uExtent = Math.max(...projected.map((p) => Math.abs(p[0]))) * 2;
  const vExtent = Math.max(...projected.map((p) => Math.abs(p[1]))) * 2;
  // Room around the box for the axis names.
  const padX = 84;
  const padY = 40;
  const width = Math.round(options.width);
  const unitsPerPx = uExtent / (width - 2 * padX);
  const height = Math.round(vExtent / unitsPerPx + 2 * padY);
  // CSS px → screen-plane units; screen y grows downwards.
  const toPx = (
    uv: number[],
  ) => [width / 2 + uv[0] / unitsPerPx, height / 2 - uv[1] / unitsPerPx];

  const supersample = 2;
  const pw = width * supersample;
  const ph = height * supersample;
  const rgba = new Uint8Array(pw * ph * 4);
  const lut = lutOf(options.cmap);
  const [vmin, vmax] = options.range;
  const values = dense.values;
  const step = 0.5 * Math.min(vx, vy, vz);
  const unit = Math.min(vx, vy, vz);
  // Opacity per sample for a voxel at vmax, from the per-voxel-length opacity.
  const sampleOpacity = 1 -
    Math.pow(1 - Math.min(options.opacity, 0.999999), step / unit);
  const dir: Vec3 = [-toCamera[0], -toCamera[1], -toCamera[2]];
  const far = Math.hypot(high[0] - low[0], high[1] - low[1], high[2] - low[2]);
  const sliceZ = options.slice * vz;
  for (let py = 0; py < ph; py++) {
    for (let px = 0; px < pw; px++) {
      const u = ((px + 0.5) / supersample - width / 2) * unitsPerPx;
      const v = (height / 2 - (py + 0.5) / supersample) * unitsPerPx;
      const origin: Vec3 = [0, 0, 0];
      for (let i = 0; i < 3; i++) {
        origin[i] = center[i] + u * right[i] + v * up[i] + far * toCamera[i];
      }
      // Slab method: the ray's entry and exit parameters in the box.
      let tNear = -Infinity;
      let tFar = Infinity;
      for (let i = 0; i < 3; i++) {
        if (Math.abs(dir[i]) < 1e-12) {
          if (origin[i] < low[i] || origin[i] > high[i]) tNear = Infinity;
          continue;
        }
        const t1 = (low[i] - origin[i]) / dir[i];
        const t2 = (high[i] - origin[i]) / dir[i];
        tNear = Math.max(tNear, Math.min(t1, t2));
        tFar = Math.min(tFar, Math.max(t1, t2));
      }
      if (!(tNear < tFar)) continue;
      const tSlice = options.slice >= 0 && Math.abs(dir[2]) > 1e-12
        ? (sliceZ - origin[2]) / dir[2]
        : Infinity;
      let red = 0, green = 0, blue = 0, alpha = 0;
      for (let t = tNear + step / 2; t < tFar && alpha < 0.995; t += step) {
        const hitsSlice = tSlice >= t - step / 2 && tSlice < t + step / 2;
        const at = hitsSlice ? tSlice : t;
        const col = Math.min(
          cols - 1,
          Math.max(0, Math.round((origin[0] + at * dir[0]) / vx)),
        );
        const row = Math.min(
          rows - 1,
          Math.max(0, Math.round((origin[1] + at * dir[1]) / vy)),
        );
        const plane = hitsSlice ? options.slice : Math.min(
          planes - 1,
          Math.max(0, Math.round((origin[2] + at * dir[2]) / vz)),
        );
        const value = values[(plane * rows + row) * cols + col];
        const index = colormapIndex(value, vmin, vmax);
        if (index < 0) continue;
        const weight = hitsSlice ? 1 : sampleOpacity * (index / 255);
        const share = (1 - alpha) * weight;
        red += share * lut[3 * index];
        green += share * lut[3 * index + 1];
        blue += share * lut[3 * index + 2];
        alpha += share;
        if (hitsSlice) break;
      }
      if (alpha === 0) continue;
      const o = (py * pw + px) * 4;
      // Store un-premultiplied color with its coverage as PNG alpha.
      rgba[o] = Math.round(red / alpha);
      rgba[o + 1] = Math.round(green / alpha);
      rgba[o + 2] = Math.round(blue / alpha);
      rgba[o + 3] = Math.round(alpha * 255);
    }
  }

  // Box edges: an edge is hidden when both faces that meet at it face away.
  const facesCamera = (axis: number, side: number) =>
    (side ? 1 : -1) * toCamera[axis] > 0;
  const edges: Edge[] = [];
  const edgeAlong: { axis: number; from: Vec3; to: Vec3; hidden: boolean }[] =
    [];
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
        edgeAlong.push({ axis, from, to, hidden });
        const [x1, y1] = toPx(project(from));
        const [x2, y2] = toPx(project(to));
        edges.push({
          x1: round(x1),
          y1: round(y1),
          x2: round(x2),
          y2: round(y2),
          hidden,
          slice: false,
        });
      }
    }
  }
  if (options.slice >= 0) {
    const ring: Vec3[] = [[low[0], low[1], sliceZ], [high[0], low[1], sliceZ], [
      high[0],
      high[1],
      sliceZ,
    ], [low[0], high[1], sliceZ]];
    ring.forEach((p, i) => {
      const [x1, y1] = toPx(project(p));
      const [x2, y2] = toPx(project(ring[(i + 1) % 4]));
      edges.push({
        x1: round(x1),
        y1: round(y1),
        x2: round(x2),
        y2: round(y2),
        hidden: false,
        slice: true,
      });
    });
  }
  // Axis names beside a visible edge of each axis: the lowest one on screen
  // for X and Y, the leftmost one for Z; pushed outwards from the box center.
  const names = ["col (X)", "row (Y)", "plane (Z)"];
  const axisLabels = [0, 1, 2].map((axis) => {
    const candidates = edgeAlong.filter((edge) =>
      edge.axis === axis && !edge.hidden
    );
    const midpoint = (edge: { from: Vec3; to: Vec3 }) =>
      toPx(
        project([
          (edge.from[0] + edge.to[0]) / 2,
          (edge.from[1] + edge.to[1]) / 2,
          (edge.from[2] + edge.to[2]) / 2,
        ]),
      );
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
    const anchor: "start" | "end" = x < width / 2 ? "end" : "start";
    return {
      x: round(x),
      y: round(my + (dy / length) * 14),
      text: names[axis],
      anchor,
    };
  });
  return { width, height, src: pngDataUri(rgba, pw, ph), edges, axisLabels };
}
