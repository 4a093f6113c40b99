import { checkAllocation } from "../_allocation.ts";
import { argumentError } from "../_errors.ts";
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
import { gaussianInPlace } from "./_gaussian.ts";
import { checkFinite, checkKernelSize, checkSigma } from "./_options.ts";
import type { BoundaryMode } from "./boundary_mode.ts";

/** Options of {@linkcode gaussianFilter}. */
export interface GaussianFilterOptions {
  /** How the input is extended beyond its edges (default `"reflect"`). */
  mode?: BoundaryMode;
  /** Value outside the edges in `"constant"` mode (default 0). */
  cval?: number;
  /** The kernel radius is `trunc(truncate * sigma + 0.5)` (default 4). */
  truncate?: number;
}

/**
 * Multidimensional Gaussian filter, as `scipy.ndimage.gaussian_filter`: a
 * sequence of 1-D correlations, axis 0 first, with the normalized sampled
 * Gaussian `exp(-k² / (2 sigma²))`, k in [-r, r], r = `trunc(truncate·sigma +
 * 0.5)` (sigma 1 → 9 taps, 1.5 → 13, 2.5 → 21); axes with sigma <= 1e-15 are
 * left as they are. Float64 accumulation; float32 input gives float32 output
 * rounded after every pass (as SciPy), anything else float64. Unlike SciPy,
 * integer input is not rounded back to its integer type.
 *
 * NaN and infinite values propagate, as in SciPy: a NaN makes every output
 * NaN within the kernel radius r of it along each smoothed axis (the box of
 * half-width r per axis); an infinity gives ±Infinity there (NaN where
 * opposite infinities meet). A non-finite `cval` is refused.
 *
 * @param image Any ndarray (1-D or more); not modified.
 * @param sigma Standard deviation, one for all axes or one per axis.
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { gaussianFilter } from "./gaussian_filter.ts";
 *
 * const impulse = ndarray(new Float64Array(9), [9]);
 * impulse.set(4, 1);
 * const smoothed = gaussianFilter(impulse, 1);
 * console.log(smoothed.get(4).toFixed(6)); // 0.398943
 * ```
 */
export function gaussianFilter(
  image: NdArray,
  sigma: number | readonly number[],
  options: GaussianFilterOptions = {},
): NdArray<Float64Array | Float32Array> {
  const fn = "gaussianFilter";
  checkArgumentCount(fn, arguments.length, ["image", "sigma", "options"]);
  checkNdArray(fn, "image", image);
  checkOptionsObject(fn, options, ["mode", "cval", "truncate"]);
  const { mode = "reflect", cval = 0, truncate = 4 } = options;
  const sigmas = checkSigma(fn, sigma, image.shape.length);
  checkMode(fn, mode);
  checkFinite(fn, "cval", cval);
  if (
    typeof truncate !== "number" || !Number.isFinite(truncate) || truncate < 0
  ) {
    throw argumentError(fn, "truncate", truncate, "a finite number >= 0");
  }
  checkKernelSize(fn, sigmas, truncate);
  const shape = image.shape.slice();
  checkAllocation(
    fn,
    `the result of shape [${shape.join(", ")}]`,
    sizeOf(shape),
    dtypeOf(image) === "float32" ? 4 : 8,
  );
  const data = toFloatUnscaled(image);
  gaussianInPlace(data, shape, sigmas, mode, cval, truncate);
  return ndarray(data, shape, contiguousStrides(shape), 0);
}
