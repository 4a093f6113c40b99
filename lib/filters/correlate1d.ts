import { argumentError } from "../_errors.ts";
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
import { correlateAxis } from "./_correlate_axis.ts";
import { checkAxis, checkFinite } from "./_options.ts";
import type { BoundaryMode } from "./boundary_mode.ts";

/** Options of {@linkcode correlate1d}. */
export interface Correlate1dOptions {
  /** How the input is extended beyond its edges (default `"reflect"`). */
  mode?: BoundaryMode;
  /** Value outside the edges in `"constant"` mode (default 0). */
  cval?: number;
  /** Shift of the kernel: `floor(weights.length / 2) + origin` must be a valid tap (default 0). */
  origin?: number;
}

/**
 * One-dimensional correlation along an axis, as `scipy.ndimage.correlate1d`:
 * `out[i] = Σ_t weights[t] · in[i + t - floor(L/2) - origin]`, with the input
 * extended by `mode`. Sums in float64 in SciPy's order. The result is a new
 * C-contiguous array: float32 for float32 input (stored as float32, as SciPy
 * does), float64 otherwise. Unlike SciPy, integer input is not rounded back to
 * its integer type.
 *
 * NaN and infinite values propagate, as in SciPy: an output is NaN wherever
 * its window (all `weights.length` taps, zero weights included, since
 * 0·NaN is NaN) touches a NaN; an infinity gives ±Infinity there, or NaN
 * where 0·Inf or Inf - Inf arises. Non-finite `weights` or `cval` are refused.
 *
 * @param image Any ndarray (1-D or more); not modified.
 * @param weights The kernel, at least one finite value.
 * @param axis The axis to correlate along (negative counts from the end).
 *
 * @example
 * ```ts
 * import { ndarray } from "../array/ndarray.ts";
 * import { correlate1d } from "./correlate1d.ts";
 *
 * const line = ndarray(new Float64Array([1, 2, 4, 8]), [4]);
 * const out = correlate1d(line, [1, 1, 1], 0, { mode: "constant", cval: 0 });
 * console.log(Array.from(out.data)); // [3, 7, 14, 12]
 * ```
 */
export function correlate1d(
  image: NdArray,
  weights: ArrayLike<number>,
  axis: number,
  options: Correlate1dOptions = {},
): NdArray<Float64Array | Float32Array> {
  const fn = "correlate1d";
  checkArgumentCount(fn, arguments.length, [
    "image",
    "weights",
    "axis",
    "options",
  ]);
  checkNdArray(fn, "image", image);
  checkOptionsObject(fn, options, ["mode", "cval", "origin"]);
  const { mode = "reflect", cval = 0, origin = 0 } = options;
  if (
    weights === null || typeof weights !== "object" ||
    typeof weights.length !== "number" || weights.length === 0 ||
    !Array.from(weights).every((w) =>
      typeof w === "number" && Number.isFinite(w)
    )
  ) {
    throw argumentError(
      fn,
      "weights",
      weights,
      "a non-empty list of finite numbers",
    );
  }
  const resolvedAxis = checkAxis(fn, axis, image.shape.length);
  checkMode(fn, mode);
  checkFinite(fn, "cval", cval);
  const half = weights.length >> 1;
  if (
    !Number.isInteger(origin) || half + origin < 0 ||
    half + origin >= weights.length
  ) {
    throw argumentError(
      fn,
      "origin",
      origin,
      `an integer in [${-half}, ${weights.length - 1 - half}]`,
    );
  }
  const shape = image.shape.slice();
  checkAllocation(
    fn,
    `the result of shape [${shape.join(", ")}]`,
    sizeOf(shape),
    dtypeOf(image) === "float32" ? 4 : 8,
  );
  const data = toFloatUnscaled(image);
  correlateAxis(data, shape, resolvedAxis, {
    weights: Float64Array.from(weights),
    origin,
    mode,
    cval,
  });
  return ndarray(data, shape, contiguousStrides(shape), 0);
}
