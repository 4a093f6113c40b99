/**
 * `vectorGlyphs` and `glyphSegments`: a plane's orientations as short line
 * segments on a subsampled grid over an image.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { NdArray } from "../deps.ts";
import { Plot } from "./_deps.ts";
import {
  checkColormap,
  colormapIndex,
  type ColormapName,
  lutOf,
} from "./colormaps.ts";
import type { Figure } from "./figure.ts";
import {
  checkPixelSize,
  type PhysicalAxesOptions,
  type PixelSize,
} from "./_image_grid.ts";
import { checkOptionalText } from "./_options.ts";
import { colorRange } from "./_raster.ts";
import {
  checkFrame,
  imageFigure,
  optionsOf,
  readScalars,
  readVectors,
  type VectorPlane,
} from "./_orientation_color.ts";

/** Options of {@linkcode glyphSegments}. */
export interface GlyphSegmentsOptions {
  /** Segment length factor per pixel, clamped to [0, 1] (e.g. coherence or FA; default 1). The plane's or the volume's shape. */
  anisotropy?: NdArray;
  /** Grid spacing in pixels (default: the larger side / 24, at least 1). */
  step?: number;
  /** Which eigenvector: 0 for the largest eigenvalue's (default 0). */
  rank?: number;
  /** The z index of the plane, required for 3-D vectors. */
  plane?: number;
  /**
   * A pixel's physical size (`X` along columns, `Y` along rows; default 1):
   * the vectors are then taken in the physical frame (as `structureTensor`
   * gives them with `spacing`) and segments point where they point on
   * pixels drawn X wide and Y tall.
   */
  physicalSizes?: PhysicalAxesOptions["physicalSizes"];
}

/** Options of {@linkcode vectorGlyphs}. */
export interface VectorGlyphsOptions
  extends GlyphSegmentsOptions, PhysicalAxesOptions {
  /** Image drawn under the segments as `imshow` draws it (default white). The plane's or the volume's shape. */
  background?: NdArray;
  /** Colormap of the background (default "gray"). */
  cmap?: ColormapName;
  /** Segment colour (default "#ff4500"). */
  color?: string;
  /** Figure title (default none). */
  title?: string;
  /** Figure width in CSS pixels (default 560). */
  width?: number;
  /** Draw axes with ticks at pixel centres (default true). */
  ticks?: boolean;
}

/** Segment end points in pixel coordinates (x = col, y = row), one entry per drawn glyph. */
export interface GlyphSegments {
  /** Start column of each segment. */
  readonly x1: Float64Array;
  /** Start row of each segment. */
  readonly y1: Float64Array;
  /** End column of each segment. */
  readonly x2: Float64Array;
  /** End row of each segment. */
  readonly y2: Float64Array;
}

/**
 * The glyphs of {@linkcode vectorGlyphs}: at pixels (r, c) with r, c =
 * floor((step - 1)/2) + k·step (the centres of step x step blocks), a
 * segment centred on the pixel along the chosen rank's in-plane (y, x)
 * components, normalised, of length 0.9·step·anisotropy. With
 * `physicalSizes` the components are divided by Y and X (physical to pixel
 * coordinates) and the length is 0.9·step·anisotropy pixels of the smaller
 * side on screen. Pixels whose
 * in-plane component is zero or NaN, or whose anisotropy is NaN or 0, get
 * no segment.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { glyphSegments } from "./vector_glyphs.ts";
 *
 * // One pixel, rank 0 along x (col): a horizontal segment 0.9 px long.
 * const vectors = ndarray(new Float64Array([0, 1, 1, 0]), [2, 2, 1, 1]);
 * const { x1, x2, y1, y2 } = glyphSegments(vectors);
 * console.log(x1[0], x2[0], y1[0], y2[0]); // -0.45 0.45 0 0
 * ```
 */
export function glyphSegments(
  vectors: NdArray,
  options?: GlyphSegmentsOptions,
): GlyphSegments {
  const fn = "glyphSegments";
  const checked = optionsOf(fn, options, [
    "anisotropy",
    "step",
    "rank",
    "plane",
    "physicalSizes",
  ]);
  return segments(
    fn,
    readVectors(fn, vectors, checked, [2, 3], true),
    checked,
    checkPixelSize(fn, checked.physicalSizes, undefined),
  );
}

function segments(
  fn: string,
  field: VectorPlane,
  options: Partial<GlyphSegmentsOptions>,
  pixel: PixelSize,
): GlyphSegments {
  const [rows, cols] = field.shape;
  const anisotropy = readScalars(fn, "anisotropy", options.anisotropy, field);
  const step = options.step ??
    Math.max(1, Math.round(Math.max(rows, cols) / 24));
  if (!Number.isInteger(step) || step < 1) {
    throw argumentError(fn, "step", options.step, "an integer >= 1");
  }
  const [vy, vx] = field.components.slice(-2);
  const out = {
    x1: [] as number[],
    y1: [] as number[],
    x2: [] as number[],
    y2: [] as number[],
  };
  const start = Math.floor((step - 1) / 2);
  // A physical length of `shorter` spans one pixel of the smaller side.
  const shorter = Math.min(pixel.x, pixel.y);
  for (let r = start; r < rows; r += step) {
    for (let c = start; c < cols; c += step) {
      const i = r * cols + c;
      const norm = Math.hypot(vy[i], vx[i]);
      const a = anisotropy ? Math.min(1, Math.max(0, anisotropy[i])) : 1;
      if (!(norm > 0) || !(a > 0)) continue;
      const half = (0.45 * step * a * shorter) / norm;
      const dx = (vx[i] / pixel.x) * half;
      const dy = (vy[i] / pixel.y) * half;
      out.x1.push(c - dx);
      out.y1.push(r - dy);
      out.x2.push(c + dx);
      out.y2.push(r + dy);
    }
  }
  return {
    x1: Float64Array.from(out.x1),
    y1: Float64Array.from(out.y1),
    x2: Float64Array.from(out.x2),
    y2: Float64Array.from(out.y2),
  };
}

/**
 * Draws a plane's orientations as line glyphs (see {@linkcode glyphSegments})
 * over an image drawn as `imshow` draws it (colormap over the plane's finite
 * range, NaN transparent, row 0 on top, square pixels). `vectors` is
 * `[2, 2, rows, cols]`, or `[3, 3, Z, Y, X]` with `options.plane` choosing z.
 * A segment of a 3-D vector shows the direction of its projection on the
 * plane; its length shows the anisotropy only.
 *
 * Reference: R. Rezakhaniha et al., "Experimental investigation of collagen
 * waviness and orientation in the arterial adventitia using confocal laser
 * scanning microscopy", Biomech. Model. Mechanobiol. 11, 2012 (OrientationJ's
 * vector field).
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { vectorGlyphs } from "./vector_glyphs.ts";
 *
 * const vectors = ndarray(new Float64Array([0, 1, 1, 0]), [2, 2, 1, 1]);
 * const figure = vectorGlyphs(vectors, { background: ndarray(new Float64Array([3]), [1, 1]), title: "Glyphs" });
 * console.log(figure.svg.includes(">Glyphs<")); // true
 * ```
 */
export function vectorGlyphs(
  vectors: NdArray,
  options?: VectorGlyphsOptions,
): Figure {
  const fn = "vectorGlyphs";
  const checked = optionsOf(fn, options, [
    "anisotropy",
    "step",
    "rank",
    "plane",
    "physicalSizes",
    "background",
    "cmap",
    "color",
    "title",
    "width",
    "ticks",
    "physicalUnit",
  ]);
  const field = readVectors(fn, vectors, checked, [2, 3], true);
  const { width, ticks, pixel } = checkFrame(fn, checked);
  const glyphs = segments(fn, field, checked, pixel);
  const background = readScalars(fn, "background", checked.background, field);
  const cmap = checkColormap(fn, checked.cmap ?? "gray");
  const stroke = checkOptionalText(fn, "color", checked.color) ?? "#ff4500";
  const title = checkOptionalText(fn, "title", checked.title) ?? "";
  const lut = lutOf(cmap);
  const [low, high] = background
    ? colorRange(fn, [background], undefined, undefined)
    : [0, 1];
  const white = [255, 255, 255];
  const color = (i: number) => {
    if (!background) return white;
    const index = colormapIndex(background[i], low, high);
    return index < 0 ? undefined : lut.subarray(3 * index, 3 * index + 3);
  };
  const indices = Array.from(glyphs.x1, (_, i) => i);
  return imageFigure({
    fn,
    title,
    rows: field.shape[0],
    cols: field.shape[1],
    width,
    ticks,
    pixel,
    color,
    marks: [
      Plot.link(indices, {
        x1: (i: number) => glyphs.x1[i],
        y1: (i: number) => glyphs.y1[i],
        x2: (i: number) => glyphs.x2[i],
        y2: (i: number) => glyphs.y2[i],
        stroke,
        strokeWidth: 1.6,
        strokeLinecap: "round",
      }),
    ],
    blocks: [],
  });
}
