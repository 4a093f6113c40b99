import { checkAllocation } from "../_allocation.ts";
import { checkArgumentCount, checkOptionsObject } from "../_options_object.ts";
import {
  checkNdArray,
  contiguousStrides,
  dtypeOf,
  sizeOf,
} from "../array/_strided.ts";
import { toFloatUnscaled } from "../array/img_as_float.ts";
import { type NdArray, ndarray } from "../deps.ts";
import { checkMode } from "./_boundary.ts";
import { sobelInPlace } from "./_sobel.ts";
import { checkAxis, checkFinite } from "./_options.ts";
import type { BoundaryMode } from "./boundary_mode.ts";

/** Options of {@linkcode sobel}. */
export interface SobelOptions {
  /** How the input is extended beyond its edges (default `"reflect"`). */
  mode?: BoundaryMode;
  /** Value outside the edges in `"constant"` mode (default 0). */
  cval?: number;
}

/**
 * Sobel derivative along one axis of an n-D image, as `scipy.ndimage.sobel`
 * (unnormalized): the central difference `out[i] = x[i+1] - x[i-1]` along
 * `axis`, then the smoothing `[1, 2, 1]` along every other axis in increasing
 * order, all with the same boundary mode. A ramp of slope g gives
 * `2·4^(ndim-1)·g`. Float32 input gives float32 output; anything else float64.
 *
 * Reference: I. Sobel and G. Feldman, "A 3x3 isotropic gradient operator for
 * image processing" (1968).
 *
 * NaN and infinite values propagate, as in SciPy: a NaN makes every output
 * in the 3 × … × 3 box around it NaN (the difference's zero centre tap
 * included, since 0·NaN is NaN); an infinity gives ±Infinity in that box,
 * but NaN at the box's voxels level with it along `axis` (0·Inf).
 *
 * @param image Any ndarray (1-D or more); not modified.
 * @param axis The derivative axis (negative counts from the end).
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { sobel } from "./sobel.ts";
 *
 * const ramp = ndarray(new Float64Array([0, 1, 2, 3, 4, 5, 6, 7, 8]), [3, 3]);
 * console.log(sobel(ramp, 1, { mode: "nearest" }).get(1, 1)); // 8
 * ```
 */
export function sobel(
  image: NdArray,
  axis: number,
  options: SobelOptions = {},
): NdArray<Float64Array | Float32Array> {
  const fn = "sobel";
  checkArgumentCount(fn, arguments.length, ["image", "axis", "options"]);
  checkNdArray(fn, "image", image);
  checkOptionsObject(fn, options, ["mode", "cval"]);
  const { mode = "reflect", cval = 0 } = options;
  const resolvedAxis = checkAxis(fn, axis, image.shape.length);
  checkMode(fn, mode);
  checkFinite(fn, "cval", cval);
  const shape = image.shape.slice();
  checkAllocation(
    fn,
    `the result of shape [${shape.join(", ")}]`,
    sizeOf(shape),
    dtypeOf(image) === "float32" ? 4 : 8,
  );
  const data = toFloatUnscaled(image);
  sobelInPlace(data, shape, resolvedAxis, mode, cval);
  return ndarray(data, shape, contiguousStrides(shape), 0);
}
