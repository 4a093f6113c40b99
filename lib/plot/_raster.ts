/**
 * Reading ndarray views into flat float64 planes and volumes, range checks, and
 * colorizing planes into RGBA pixels for PNG encoding. Shared by the figure
 * functions; arguments are validated here once, at the public boundary.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { checkNdArray, copyToContiguous, sizeOf } from "../array/_strided.ts";
import { colormapIndex, type ColormapName, lutOf } from "./colormaps.ts";

/** A C-ordered float64 copy of an ndarray of any dtype, layout or view. */
export interface DenseArray {
  readonly shape: readonly number[];
  readonly values: Float64Array;
}

/**
 * Checks that `array` is an ndarray with `ndim` dimensions, each at least 1
 * long, whose view lies inside its storage (`checkNdArray`), and copies it
 * into C order as float64 (so sliced, stepped and transposed views read
 * correctly) without touching the input.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { readDense } from "./_raster.ts";
 * const view = ndarray(new Uint8Array([1, 2, 3, 4]), [2, 2]).transpose(1, 0);
 * const { values } = readDense("f", "image", view, 2);
 * if (values.join() !== "1,3,2,4") throw new Error(String(values));
 * console.log(values); // Float64Array(4) [ 1, 3, 2, 4 ]
 * ```
 */
export function readDense(
  fn: string,
  name: string,
  array: unknown,
  ndim: number,
): DenseArray {
  checkNdArray(fn, name, array, { nonEmpty: false });
  if (array.shape.length !== ndim || array.shape.some((n) => n < 1)) {
    throw argumentError(
      fn,
      name,
      array,
      `a ${ndim}-D ndarray with every dimension >= 1`,
    );
  }
  const values = new Float64Array(sizeOf(array.shape));
  copyToContiguous(array, values);
  return { shape: array.shape.slice(), values };
}

/**
 * The color range [vmin, vmax]: the given bounds, or the finite minimum and
 * maximum of the values (matplotlib's autoscaling). Throws when a bound is not
 * finite or vmin > vmax.
 *
 * @example
 * ```ts
 * import { colorRange } from "./_raster.ts";
 * const range = colorRange("f", [new Float64Array([3, NaN, -1])], undefined, undefined);
 * if (range[0] !== -1 || range[1] !== 3) throw new Error(String(range));
 * console.log(range); // [ -1, 3 ]
 * ```
 */
export function colorRange(
  fn: string,
  arrays: readonly Float64Array[],
  vmin: number | undefined,
  vmax: number | undefined,
): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  if (vmin === undefined || vmax === undefined) {
    for (const values of arrays) {
      for (const v of values) {
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
    if (low > high) low = high = 0; // all NaN: any range draws nothing
  }
  const lo = vmin ?? low;
  const hi = vmax ?? high;
  if (!Number.isFinite(lo)) {
    throw argumentError(fn, "vmin", vmin, "a finite number");
  }
  if (!Number.isFinite(hi)) {
    throw argumentError(fn, "vmax", vmax, "a finite number");
  }
  if (lo > hi) throw argumentError(fn, "vmin", vmin, `<= vmax (${hi})`);
  return [lo, hi];
}

/**
 * Colors a row-major plane into RGBA pixels, each value drawn as a
 * `scale x scale` block (nearest-neighbour upscale, so renderers that smooth
 * images still show crisp cells). NaN is transparent, as matplotlib's default
 * "bad" color.
 *
 * @example
 * ```ts
 * import { colorizePlane } from "./_raster.ts";
 * const rgba = colorizePlane(new Float64Array([0, 1]), 1, 2, "gray", 0, 1, 2);
 * if (rgba.length !== 32 || rgba[0] !== 0 || rgba[12] !== 255) throw new Error(String(rgba));
 * console.log(rgba.length, rgba[0], rgba[12]); // 32 0 255
 * ```
 */
export function colorizePlane(
  values: Float64Array,
  rows: number,
  cols: number,
  cmap: ColormapName,
  vmin: number,
  vmax: number,
  scale: number,
): Uint8Array {
  const lut = lutOf(cmap);
  const width = cols * scale;
  const rgba = new Uint8Array(width * rows * scale * 4);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const index = colormapIndex(values[r * cols + c], vmin, vmax);
      const red = index < 0 ? 0 : lut[3 * index];
      const green = index < 0 ? 0 : lut[3 * index + 1];
      const blue = index < 0 ? 0 : lut[3 * index + 2];
      const alpha = index < 0 ? 0 : 255;
      for (let dy = 0; dy < scale; dy++) {
        let at = ((r * scale + dy) * width + c * scale) * 4;
        for (let dx = 0; dx < scale; dx++) {
          rgba[at++] = red;
          rgba[at++] = green;
          rgba[at++] = blue;
          rgba[at++] = alpha;
        }
      }
    }
  }
  return rgba;
}

/**
 * The integer upscale for a PNG whose cells are drawn `cellCss` CSS px wide:
 * about 2 PNG px per CSS px (for high-density screens), capped at 16; 1 when
 * cells are under 1.5 CSS px, where smoothing cannot blur visible cell edges
 * and a larger PNG would only add weight.
 *
 * @example
 * ```ts
 * import { upscaleFactor } from "./_raster.ts";
 * const factors = [0.9, 4, 40].map(upscaleFactor);
 * if (factors.join() !== "1,8,16") throw new Error(String(factors));
 * console.log(...factors); // 1 8 16
 * ```
 */
export function upscaleFactor(cellCss: number): number {
  return cellCss < 1.5 ? 1 : Math.min(16, Math.ceil(2 * cellCss));
}
