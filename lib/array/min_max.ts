import { checkArgumentCount } from "../_options_object.ts";
import type { NdArray } from "../deps.ts";
import { checkNdArray, forEachRow, type NumericNdArray } from "./_strided.ts";

/** Smallest (sign -1) or largest (sign 1) element; NaN propagates as in NumPy. */
function extreme(array: NumericNdArray, sign: 1 | -1): number {
  const data = array.data;
  let best = data[array.offset] * sign;
  forEachRow(array, (start, step, n) => {
    for (let i = 0, at = start; i < n; i++, at += step) {
      const value = data[at] * sign;
      if (value !== value) {
        best = NaN;
        return false;
      }
      if (value > best) best = value;
    }
  });
  return best * sign;
}

/**
 * Smallest element of a non-empty array (`numpy.min`); NaN if any element is NaN.
 *
 * NaN and infinite values: any NaN makes the result NaN, as in NumPy;
 * infinities compare as numbers.
 *
 * @example
 * ```ts
 * import { ndarray } from "./ndarray.ts";
 * import { min } from "./min_max.ts";
 *
 * console.log(min(ndarray(new Uint16Array([68, 4095, 300]), [3]))); // 68
 * ```
 */
export function min(array: NdArray): number {
  checkArgumentCount("min", arguments.length, ["array"]);
  checkNdArray("min", "array", array, { minDims: 0 });
  return extreme(array, -1);
}

/**
 * Largest element of a non-empty array (`numpy.max`); NaN if any element is NaN.
 *
 * NaN and infinite values: any NaN makes the result NaN, as in NumPy;
 * infinities compare as numbers.
 *
 * @example
 * ```ts
 * import { ndarray } from "./ndarray.ts";
 * import { max } from "./min_max.ts";
 *
 * console.log(max(ndarray(new Uint16Array([68, 4095, 300]), [3]))); // 4095
 * ```
 */
export function max(array: NdArray): number {
  checkArgumentCount("max", arguments.length, ["array"]);
  checkNdArray("max", "array", array, { minDims: 0 });
  return extreme(array, 1);
}
