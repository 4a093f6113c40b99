/**
 * Shared parts of the orientation figures: reading one rank's eigenvectors
 * (and scalar planes aligned with them), the in-plane angle and HSV colour
 * math, an RGB image panel with the 2-D figures' axes, and the side-by-side
 * layout of a panel and its legends.
 *
 * @module
 */

import { checkOptionsObject } from "../_options_object.ts";
import { argumentError } from "../_errors.ts";
import { checkNdArray } from "../array/_strided.ts";
import type { NdArray } from "../deps.ts";
import { Plot } from "./_deps.ts";
import type { Figure, FigureKind } from "./figure.ts";
import { checkSize } from "./_options.ts";
import { pngDataUri } from "./_png.ts";
import { readDense, upscaleFactor } from "./_raster.ts";
import {
  axisMargins,
  axisTitles,
  checkPixelSize,
  imageAxes,
  pixelImage,
  type PixelSize,
  unitLength,
} from "./_image_grid.ts";
import {
  composeSvg,
  escapeXml,
  FONT,
  type Part,
  type Placed,
  renderPlot,
  round,
} from "./_svg.ts";

/**
 * Checks an optional integer option in [0, n - 1]; `fallback` when undefined.
 *
 * @example
 * ```ts
 * import { checkIndex } from "./_orientation_color.ts";
 * console.log(checkIndex("f", "rank", undefined, 0, 3)); // 0
 * ```
 */
export function checkIndex(
  fn: string,
  name: string,
  value: unknown,
  fallback: number,
  n: number,
): number {
  if (value === undefined) return fallback;
  if (
    !Number.isInteger(value) || (value as number) < 0 || (value as number) >= n
  ) {
    throw argumentError(fn, name, value, `an integer in [0, ${n - 1}]`);
  }
  return value as number;
}

/** One rank's eigenvector components over a plane (or the whole field). */
export interface VectorPlane {
  /** Dimensions of the field: 2 or 3. */
  readonly d: number;
  /** The field's spatial shape. */
  readonly spatial: readonly number[];
  /** The chosen plane (3-D figures of one plane), else undefined. */
  readonly plane: number | undefined;
  /** Shape of what was read: the plane [rows, cols], or the whole field. */
  readonly shape: readonly number[];
  /** One C-ordered array per component, in axis order (z, y, x or row, col). */
  readonly components: readonly Float64Array[];
}

/**
 * Checks the eigenvector array `vectors` (`[d, d, ...shape]`, d in `dims`,
 * `shape` d-D) and the `rank` option, and reads the rank's components: of
 * the plane `options.plane` (first spatial axis) when `perPlane` and the field
 * is 3-D, else of the whole field.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { readVectors } from "./_orientation_color.ts";
 * // A 1x2 field: rank 0 along col at both pixels.
 * const vectors = ndarray(new Float64Array([0, 0, 1, 1, 1, 1, 0, 0]), [2, 2, 1, 2]);
 * const { components } = readVectors("f", vectors, {}, [2], true);
 * console.log(Array.from(components[1])); // [1, 1]
 * ```
 */
export function readVectors(
  fn: string,
  vectors: unknown,
  options: { rank?: unknown; plane?: unknown },
  dims: readonly number[],
  perPlane: boolean,
): VectorPlane {
  checkNdArray(fn, "vectors", vectors, { nonEmpty: false });
  const shape = vectors.shape;
  const d = shape[0];
  if (
    !dims.includes(d) || shape.length !== d + 2 || shape[1] !== d ||
    shape.some((n) => n < 1)
  ) {
    throw argumentError(
      fn,
      "vectors",
      vectors,
      `an eigenvector ndarray [d, d, ...shape] with d = ${
        dims.join(" or ")
      } and d-D shape (every dimension >= 1)`,
    );
  }
  const spatial = shape.slice(2);
  const rank = checkIndex(fn, "rank", options.rank, 0, d);
  let plane: number | undefined;
  if (perPlane && d === 3) {
    if (options.plane === undefined) {
      throw argumentError(
        fn,
        "plane",
        options.plane,
        `a z index in [0, ${spatial[0] - 1}] for 3-D vectors`,
      );
    }
    plane = checkIndex(fn, "plane", options.plane, 0, spatial[0]);
  } else if (options.plane !== undefined) {
    throw argumentError(
      fn,
      "plane",
      options.plane,
      "undefined (it selects a z plane of 3-D vectors)",
    );
  }
  const view = vectors as unknown as NdArray;
  const components = Array.from({ length: d }, (_, c) => {
    const picked = plane === undefined
      ? view.pick(rank, c)
      : view.pick(rank, c, plane);
    return readDense(fn, "vectors", picked, picked.shape.length).values;
  });
  return {
    d,
    spatial,
    plane,
    shape: plane === undefined ? spatial : spatial.slice(1),
    components,
  };
}

/**
 * Reads an optional scalar array aligned with `field`: an ndarray of the
 * field's spatial shape (its plane is taken when the field is a plane of a
 * volume) or, for a plane, of the plane's shape. Undefined when absent.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { readScalars } from "./_orientation_color.ts";
 * const field = { d: 3, spatial: [2, 1, 1], plane: 1, shape: [1, 1], components: [] };
 * const values = readScalars("f", "weight", ndarray(new Float64Array([0.25, 0.75]), [2, 1, 1]), field);
 * console.log(values); // Float64Array(1) [ 0.75 ]
 * ```
 */
export function readScalars(
  fn: string,
  name: string,
  array: unknown,
  field: VectorPlane,
): Float64Array | undefined {
  if (array === undefined) return undefined;
  checkNdArray(fn, name, array, { nonEmpty: false });
  const same = (a: readonly number[], b: readonly number[]) =>
    a.length === b.length && a.every((n, i) => n === b[i]);
  if (same(array.shape, field.shape)) {
    return readDense(fn, name, array, field.shape.length).values;
  }
  if (field.plane !== undefined && same(array.shape, field.spatial)) {
    const picked = (array as unknown as NdArray).pick(field.plane);
    return readDense(fn, name, picked, 2).values;
  }
  throw argumentError(
    fn,
    name,
    array,
    `an ndarray of shape [${field.shape.join(", ")}]${
      field.plane === undefined ? "" : ` or [${field.spatial.join(", ")}]`
    }`,
  );
}

/**
 * The in-plane orientation of a (row, col) vector in degrees, in [0, 180):
 * the angle from the column (+x) axis, counterclockwise as seen on screen
 * (rows run down), folded so that v and -v agree, as OrientationJ measures
 * it. NaN for a NaN vector; 0 for the zero vector.
 *
 * @example
 * ```ts
 * import { inPlaneAngle } from "./_orientation_color.ts";
 * // Up-right on screen (row -1, col +1) and its opposite.
 * console.log(inPlaneAngle(-1, 1), inPlaneAngle(1, -1), inPlaneAngle(1, 0)); // 45 45 90
 * ```
 */
export function inPlaneAngle(row: number, col: number): number {
  let angle = (Math.atan2(-row, col) * 180) / Math.PI;
  if (angle < 0) angle += 180;
  if (angle >= 180) angle -= 180;
  return angle + 0; // no -0
}

/**
 * HSV (hue in degrees, saturation and value in [0, 1], clamped) to RGB bytes,
 * the hexcone model of A. R. Smith, "Color gamut transform pairs", SIGGRAPH
 * 1978.
 *
 * @example
 * ```ts
 * import { hsvToRgb } from "./_orientation_color.ts";
 * console.log(hsvToRgb(0, 1, 1), hsvToRgb(180, 1, 1), hsvToRgb(90, 0, 0.5)); // [255, 0, 0] [0, 255, 255] [128, 128, 128]
 * ```
 */
export function hsvToRgb(
  hue: number,
  saturation: number,
  value: number,
): [number, number, number] {
  const s = Math.min(1, Math.max(0, saturation));
  const v = Math.min(1, Math.max(0, value));
  const h = (((hue % 360) + 360) % 360) / 60;
  const sector = Math.floor(h);
  const f = h - sector;
  const p = v * (1 - s);
  const q = v * (1 - s * f);
  const t = v * (1 - s * (1 - f));
  const rgb = [
    [v, t, p],
    [q, v, p],
    [p, v, t],
    [p, q, v],
    [t, p, v],
    [v, p, q],
  ][sector];
  return rgb.map((c) => Math.round(255 * c)) as [number, number, number];
}

/**
 * Writes `color(i)` (RGB bytes, or undefined for transparent) of each of
 * `rows * cols` cells as a `scale x scale` block of RGBA pixels.
 *
 * @example
 * ```ts
 * import { rgbaCells } from "./_orientation_color.ts";
 * const rgba = rgbaCells(1, 2, 1, (i) => (i === 0 ? [255, 0, 0] : undefined));
 * console.log(Array.from(rgba)); // [255, 0, 0, 255, 0, 0, 0, 0]
 * ```
 */
export function rgbaCells(
  rows: number,
  cols: number,
  scale: number,
  color: (index: number) => ArrayLike<number> | undefined,
): Uint8Array {
  const width = cols * scale;
  const rgba = new Uint8Array(width * rows * scale * 4);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const rgb = color(r * cols + c);
      if (rgb === undefined) continue;
      for (let dy = 0; dy < scale; dy++) {
        let at = ((r * scale + dy) * width + c * scale) * 4;
        for (let dx = 0; dx < scale; dx++) {
          rgba[at++] = rgb[0];
          rgba[at++] = rgb[1];
          rgba[at++] = rgb[2];
          rgba[at++] = 255;
        }
      }
    }
  }
  return rgba;
}

/** A legend or other block drawn as raw SVG at its top-left corner. */
export interface Block {
  readonly width: number;
  readonly height: number;
  /** The block's markup placed with its top-left corner at (x, y). */
  readonly svg: (x: number, y: number) => string;
}

/**
 * Lays out an image panel (a plane of RGB cells with the axes `imshow` draws:
 * row 0 on top, ticks at pixel centres, or in physical units with pixels drawn
 * to scale), Plot marks drawn over it in pixel coordinates (x = col, y = row),
 * and blocks to its right, under a title.
 *
 * @example
 * ```ts
 * import { imageFigure } from "./_orientation_color.ts";
 * import { checkPixelSize } from "./_image_grid.ts";
 * const pixel = checkPixelSize("f", undefined, undefined);
 * const figure = imageFigure({ fn: "f", title: "T", rows: 1, cols: 1, width: 300, ticks: true, pixel, color: () => [255, 0, 0], marks: [], blocks: [] });
 * console.log(figure.svg.includes(">T<")); // true
 * ```
 */
export function imageFigure(spec: {
  fn: string;
  title: string;
  rows: number;
  cols: number;
  width: number;
  ticks: boolean;
  pixel: PixelSize;
  color: (index: number) => ArrayLike<number> | undefined;
  marks: readonly Plot.Markish[];
  blocks: readonly Block[];
}): Figure {
  const { rows, cols, pixel } = spec;
  const beside = spec.blocks.reduce((sum, b) => sum + b.width + 18, 0);
  const titles = axisTitles(pixel, {});
  const margins = { top: 8, ...axisMargins(spec.ticks, titles) };
  // Room for the axes and the figure's edges: 70 px, more with axis titles.
  const chrome = beside + Math.max(70, margins.left + margins.right + 16);
  const unit = unitLength(pixel, cols, rows, spec.width - chrome, spec.width);
  if (!(unit > 0)) {
    throw argumentError(
      spec.fn,
      "width",
      spec.width,
      `larger than ${chrome} px`,
    );
  }
  const cell = { x: unit * pixel.x, y: unit * pixel.y };
  const scale = upscaleFactor(Math.max(cell.x, cell.y));
  const src = pngDataUri(
    rgbaCells(rows, cols, scale, spec.color),
    cols * scale,
    rows * scale,
  );
  const frameWidth = cols * cell.x;
  const frameHeight = rows * cell.y;
  const panel: Part = renderPlot({
    width: margins.left + frameWidth + margins.right,
    height: margins.top + frameHeight + margins.bottom,
    marginTop: margins.top,
    marginRight: margins.right,
    marginBottom: margins.bottom,
    marginLeft: margins.left,
    ...imageAxes({
      rows,
      cols,
      frameWidth,
      frameHeight,
      pixel,
      titles,
      ticks: spec.ticks,
    }),
    marks: [
      pixelImage(src, rows, cols, frameWidth, frameHeight),
      ...spec.marks,
      Plot.frame({ stroke: "black", strokeWidth: 0.8 }),
    ],
  });
  return layoutRow("image", spec.title, [panel, ...spec.blocks]);
}

/**
 * Places Plot parts and raw blocks left to right, top-aligned, under a
 * centred title, as one figure.
 *
 * @example
 * ```ts
 * import { layoutRow } from "./_orientation_color.ts";
 * const block = { width: 50, height: 40, svg: (x: number, y: number) => `<rect x="${x}" y="${y}" width="50" height="40"/>` };
 * const figure = layoutRow("image", "", [block]);
 * console.log(figure.width, figure.height); // 66 48
 * ```
 */
export function layoutRow(
  kind: FigureKind,
  title: string,
  items: readonly (Part | Block)[],
): Figure {
  const titleBand = title ? 34 : 4;
  const xs: number[] = [];
  let x = 8;
  for (const item of items) {
    xs.push(x);
    x += item.width + 18;
  }
  const contentWidth = x - 18 + 8;
  const width = Math.max(contentWidth, title ? title.length * 8.5 + 20 : 0);
  const shift = (width - contentWidth) / 2;
  const height = titleBand + Math.max(...items.map((p) => p.height)) + 4;
  const parts: Placed[] = [];
  let extra = "";
  items.forEach((item, i) => {
    if ("element" in item) {
      parts.push({ part: item, x: xs[i] + shift, y: titleBand });
    } else extra += item.svg(xs[i] + shift, titleBand);
  });
  return {
    kind,
    title,
    width: Math.ceil(width),
    height: Math.ceil(height),
    svg: composeSvg({ width, height, title, parts, extra }),
  };
}

/**
 * SVG text at (x, y), tick-sized unless `size` is given.
 *
 * @example
 * ```ts
 * import { svgText } from "./_orientation_color.ts";
 * console.log(svgText(1, 2, "X", "middle")); // <text x="1" y="2" text-anchor="middle" font-size="11">X</text>
 * ```
 */
export function svgText(
  x: number,
  y: number,
  text: string,
  anchor: "start" | "middle" | "end",
  size: number = FONT.tick,
): string {
  return `<text x="${round(x)}" y="${
    round(y)
  }" text-anchor="${anchor}" font-size="${size}">${escapeXml(text)}</text>`;
}

/**
 * Checks the `width` option (CSS px, default 560), `ticks` (default true),
 * and `physicalSizes` and `physicalUnit` (default pixel axes).
 *
 * @example
 * ```ts
 * import { checkFrame } from "./_orientation_color.ts";
 * const { width, ticks, pixel } = checkFrame("f", { physicalSizes: { Y: 2, X: 1 } });
 * console.log(width, ticks, pixel.y); // 560 true 2
 * ```
 */
export function checkFrame(
  fn: string,
  options: {
    width?: unknown;
    ticks?: unknown;
    physicalSizes?: unknown;
    physicalUnit?: unknown;
  },
): { width: number; ticks: boolean; pixel: PixelSize } {
  const width = checkSize(fn, "width", options.width, 560);
  if (options.ticks !== undefined && typeof options.ticks !== "boolean") {
    throw argumentError(fn, "ticks", options.ticks, "a boolean");
  }
  return {
    width,
    ticks: options.ticks ?? true,
    pixel: checkPixelSize(fn, options.physicalSizes, options.physicalUnit),
  };
}

/**
 * Checks that the options argument is undefined or an object whose keys are
 * among `known` (the shared rule, `lib/_options_object.ts`) and returns it.
 *
 * @example
 * ```ts
 * import { optionsOf } from "./_orientation_color.ts";
 * console.log(optionsOf<{ rank?: number }>("f", undefined, ["rank"])); // {}
 * ```
 */
export function optionsOf<T extends object>(
  fn: string,
  options: T | undefined,
  known: readonly (keyof T & string)[],
): Partial<T> {
  if (options === undefined) return {};
  checkOptionsObject(fn, options, known);
  return options;
}
