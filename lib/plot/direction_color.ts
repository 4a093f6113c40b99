/**
 * `directionColor`: a plane of 3-D directions as RGB = (|x|, |y|, |z|), the
 * diffusion-MRI direction-encoded colour map, with a sphere key.
 *
 * @module
 */

import type { NdArray } from "../deps.ts";
import type { Figure } from "./figure.ts";
import type { PhysicalAxesOptions } from "./_image_grid.ts";
import { checkOptionalText } from "./_options.ts";
import { pngDataUri } from "./_png.ts";
import {
  type Block,
  checkFrame,
  imageFigure,
  optionsOf,
  readScalars,
  readVectors,
  svgText,
} from "./_orientation_color.ts";

/** Options of {@linkcode directionColor}. */
export interface DirectionColorOptions extends PhysicalAxesOptions {
  /** The z index of the plane drawn (required). */
  plane: number;
  /** Which eigenvector: 0 for the largest eigenvalue's (default 0). */
  rank?: number;
  /** Brightness factor per voxel, clamped to [0, 1] (e.g. fractional anisotropy; default 1). The plane's or the volume's shape. */
  weight?: NdArray;
  /** Figure title (default none). */
  title?: string;
  /** Figure width in CSS pixels (default 560). */
  width?: number;
  /** Draw axes with ticks at pixel centres (default true). */
  ticks?: boolean;
}

/**
 * Draws one z plane of 3-D eigenvectors `[3, 3, Z, Y, X]` as the
 * direction-encoded colour map of diffusion MRI: red = |v_x|, green = |v_y|,
 * blue = |v_z| of the chosen rank's unit vector, times `weight` (usually
 * FA), so the sign of v (meaningless for an axis) does not matter. NaN
 * vectors or weights are transparent. Legend: the hemisphere seen from +z
 * (x right, y down, as the image), coloured by the same rule.
 *
 * Reference: S. Pajevic, C. Pierpaoli, "Color schemes to represent the
 * orientation of anisotropic tissues from diffusion tensor data: application
 * to white matter fiber tract mapping in the human brain", Magn. Reson. Med.
 * 42(3), 1999.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { directionColor } from "./direction_color.ts";
 *
 * // One voxel: rank 0 along x, rank 1 along y, rank 2 along z.
 * const vectors = ndarray(new Float64Array([0, 0, 1, 0, 1, 0, 1, 0, 0]), [3, 3, 1, 1, 1]);
 * const figure = directionColor(vectors, { plane: 0, title: "Direction" });
 * console.log(figure.svg.includes(">Direction<")); // true
 * ```
 */
export function directionColor(
  vectors: NdArray,
  options: DirectionColorOptions,
): Figure {
  const fn = "directionColor";
  const checked = optionsOf(fn, options, [
    "plane",
    "rank",
    "weight",
    "title",
    "width",
    "ticks",
    "physicalSizes",
    "physicalUnit",
  ]);
  const field = readVectors(fn, vectors, checked, [3], true);
  const weight = readScalars(fn, "weight", checked.weight, field);
  const title = checkOptionalText(fn, "title", checked.title) ?? "";
  const { width, ticks, pixel } = checkFrame(fn, checked);
  const [vz, vy, vx] = field.components;
  const color = (i: number) => {
    const w = weight ? Math.min(1, Math.max(0, weight[i])) : 1;
    const rgb = [vx[i], vy[i], vz[i]].map((c) =>
      Math.round(255 * Math.min(1, Math.abs(c)) * w)
    );
    return rgb.some(Number.isNaN) ? undefined : rgb;
  };
  return imageFigure({
    fn,
    title,
    rows: field.shape[0],
    cols: field.shape[1],
    width,
    ticks,
    pixel,
    color,
    marks: [],
    blocks: [sphereKey(weight !== undefined)],
  });
}

/** The legend: the upper hemisphere seen from +z, coloured (|x|, |y|, |z|). */
function sphereKey(withWeight: boolean): Block {
  const radius = 44;
  const size = 4 * radius; // 2 PNG pixels per CSS px
  const rgba = new Uint8Array(size * size * 4);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = (2 * (i + 0.5)) / size - 1;
      const y = (2 * (j + 0.5)) / size - 1;
      const z2 = 1 - x * x - y * y;
      if (z2 < 0) continue;
      const rgb = [x, y, Math.sqrt(z2)].map((c) =>
        Math.round(255 * Math.abs(c))
      );
      rgba.set([...rgb, 255], (j * size + i) * 4);
    }
  }
  const src = pngDataUri(rgba, size, size);
  const width = 2 * radius + 70;
  return {
    width,
    height: 2 * radius + 76,
    svg: (x0, y0) => {
      const cx = x0 + width / 2;
      const cy = y0 + 12 + radius;
      return `<image href="${src}" x="${cx - radius}" y="${
        cy - radius
      }" width="${2 * radius}" height="${2 * radius}"/>` +
        `<circle cx="${cx}" cy="${cy}" r="${radius}" fill="none" stroke="black" stroke-width="0.8"/>` +
        svgText(cx + radius + 4, cy + 4, "x", "start") +
        svgText(cx, cy + radius + 13, "y", "middle") +
        svgText(cx, cy + 4, "z", "middle") +
        svgText(cx, cy + radius + 30, "red |x|, green |y|,", "middle") +
        svgText(cx, cy + radius + 44, "blue |z|", "middle") +
        (withWeight
          ? svgText(cx, cy + radius + 58, "brightness: weight", "middle")
          : "");
    },
  };
}
