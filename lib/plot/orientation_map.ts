/**
 * `orientationMap`: a plane's orientation as colour (OrientationJ's colour
 * survey), with a half-wheel legend.
 *
 * @module
 */

import type { NdArray } from "../deps.ts";
import type { Figure } from "./figure.ts";
import type { PhysicalAxesOptions } from "./_image_grid.ts";
import { checkOptionalText } from "./_options.ts";
import { pngDataUri } from "./_png.ts";
import { colorRange } from "./_raster.ts";
import {
  type Block,
  checkFrame,
  hsvToRgb,
  imageFigure,
  inPlaneAngle,
  optionsOf,
  readScalars,
  readVectors,
  svgText,
} from "./_orientation_color.ts";

/** Options of {@linkcode orientationMap}. */
export interface OrientationMapOptions extends PhysicalAxesOptions {
  /** Saturation per pixel, in [0, 1] (e.g. coherence or FA; default 1 everywhere). An ndarray of the plane's shape, or of the volume's for 3-D vectors. */
  anisotropy?: NdArray;
  /** What `anisotropy` is, for the legend ("radius: …"; default "anisotropy"), e.g. "coherence" or "FA". */
  anisotropyLabel?: string;
  /** Value (brightness) per pixel after scaling the plane's finite range to [0, 1] (default 1 everywhere). The plane's or the volume's shape. */
  intensity?: NdArray;
  /** Which eigenvector: 0 for the largest eigenvalue's (default 0). */
  rank?: number;
  /** The z index of the plane, required for 3-D vectors. */
  plane?: number;
  /** Figure title (default none). */
  title?: string;
  /** Figure width in CSS pixels (default 560). */
  width?: number;
  /** Draw axes with ticks at pixel centres (default true). */
  ticks?: boolean;
}

/**
 * Draws the orientation of a plane's eigenvectors as OrientationJ's colour
 * survey: HSV with hue = twice the in-plane orientation, saturation =
 * anisotropy and value = intensity. The orientation is the angle of the
 * (y, x) = (row, col) components from the +x (column) axis, counterclockwise
 * on screen, folded to [0°, 180°) (v and -v are one orientation); doubling it
 * gives the hue so that 0° and 180° meet: x-aligned is red (hue 0°),
 * y-aligned cyan (hue 180°), diagonals chartreuse (45°) and violet (135°).
 * Pixels with a NaN vector, anisotropy or intensity are transparent.
 * Legend: a half wheel, angle = orientation, radius = saturation.
 *
 * `vectors` is `structureTensorEigenvectors`' output, `[2, 2, rows, cols]`,
 * or `[3, 3, Z, Y, X]` with `options.plane` choosing z.
 *
 * Reference: Z. Püspöki, M. Storath, D. Sage, M. Unser, "Transforms and
 * operators for directional bioimage analysis: a survey", Adv. Anat.
 * Embryol. Cell Biol. 219, 2016 (OrientationJ's colour survey); R.
 * Rezakhaniha et al., Biomech. Model. Mechanobiol. 11, 2012.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { orientationMap } from "./orientation_map.ts";
 *
 * // A 2x2 plane whose largest-eigenvalue vector runs along x (col).
 * const data = new Float64Array(16);
 * data.fill(1, 4, 8); // rank 0, component col
 * data.fill(1, 8, 12); // rank 1, component row
 * const figure = orientationMap(ndarray(data, [2, 2, 2, 2]), { title: "Orientation" });
 * console.log(figure.svg.includes(">Orientation<")); // true
 * ```
 */
export function orientationMap(
  vectors: NdArray,
  options?: OrientationMapOptions,
): Figure {
  const fn = "orientationMap";
  const checked = optionsOf(fn, options, [
    "anisotropy",
    "anisotropyLabel",
    "intensity",
    "rank",
    "plane",
    "title",
    "width",
    "ticks",
    "physicalSizes",
    "physicalUnit",
  ]);
  const field = readVectors(fn, vectors, checked, [2, 3], true);
  const anisotropy = readScalars(fn, "anisotropy", checked.anisotropy, field);
  const intensity = readScalars(fn, "intensity", checked.intensity, field);
  const title = checkOptionalText(fn, "title", checked.title) ?? "";
  const anisotropyLabel =
    checkOptionalText(fn, "anisotropyLabel", checked.anisotropyLabel) ??
      "anisotropy";
  const { width, ticks, pixel } = checkFrame(fn, checked);
  const [rows, cols] = field.shape;
  const [vy, vx] = field.components.slice(-2);
  const [low, high] = intensity
    ? colorRange(fn, [intensity], undefined, undefined)
    : [0, 1];
  const color = (i: number) => {
    const hue = 2 * inPlaneAngle(vy[i], vx[i]);
    const s = anisotropy ? anisotropy[i] : 1;
    const v = intensity
      ? high > low ? (intensity[i] - low) / (high - low) : 1
      : 1;
    return Number.isNaN(hue + s + v) ? undefined : hsvToRgb(hue, s, v);
  };
  return imageFigure({
    fn,
    title,
    rows,
    cols,
    width,
    ticks,
    pixel,
    color,
    marks: [],
    blocks: [halfWheel(anisotropy === undefined ? null : anisotropyLabel)],
  });
}

/** The legend: the upper half disk, angle = orientation, radius = saturation (`radiusLabel`, or none). */
function halfWheel(radiusLabel: string | null): Block {
  const radius = 54;
  const size = 2 * radius; // PNG pixels per unit: 2 per CSS px
  const rgba = new Uint8Array(2 * size * size * 4);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < 2 * size; i++) {
      const x = (i + 0.5) / size - 1;
      const y = 1 - (j + 0.5) / size;
      const r = Math.hypot(x, y);
      if (r > 1) continue;
      const angle = (Math.atan2(y, x) * 180) / Math.PI;
      rgba.set([...hsvToRgb(2 * angle, r, 1), 255], (j * 2 * size + i) * 4);
    }
  }
  const src = pngDataUri(rgba, 2 * size, size);
  const width = 2 * radius + 44;
  return {
    width,
    height: radius + 70,
    svg: (x0, y0) => {
      const cx = x0 + width / 2;
      const cy = y0 + 20 + radius;
      const labels = [0, 45, 90, 135, 180].map((deg) => {
        const a = (deg * Math.PI) / 180;
        const anchor = deg < 80 ? "start" : deg > 100 ? "end" : "middle";
        return svgText(
          cx + (radius + 4) * Math.cos(a),
          cy - (radius + 4) * Math.sin(a) + (deg === 90 ? -2 : 4),
          `${deg}°`,
          anchor,
        );
      }).join("");
      return `<image href="${src}" x="${cx - radius}" y="${
        cy - radius
      }" width="${2 * radius}" height="${radius}"/>` +
        `<path d="M${cx - radius},${cy} A${radius},${radius} 0 0 1 ${
          cx + radius
        },${cy} Z" fill="none" stroke="black" stroke-width="0.8"/>` +
        labels +
        svgText(cx, cy + 16, "orientation", "middle") +
        (radiusLabel === null
          ? ""
          : svgText(cx, cy + 30, `radius: ${radiusLabel}`, "middle"));
    },
  };
}
