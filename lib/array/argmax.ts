import { checkArgumentCount } from "../_options_object.ts";
import type { NdArray } from "../deps.ts";
import { checkNdArray, forEachRow } from "./_strided.ts";

/**
 * Flat index, in C (row-major) order of the array's shape, of the first
 * maximum, like `numpy.argmax` without an axis. NaN counts as the maximum, as
 * in NumPy. Works on any strided view without copying.
 *
 * NaN and infinite values: the first NaN in C order is the answer, as in
 * NumPy; infinities compare as numbers.
 *
 * @example
 * ```ts
 * import { ndarray } from "./ndarray.ts";
 * import { argmax } from "./argmax.ts";
 *
 * const a = ndarray(new Float64Array([1, 5, 2, 5]), [2, 2]);
 * console.log(argmax(a)); // 1
 * ```
 */
export function argmax(array: NdArray): number {
  checkArgumentCount("argmax", arguments.length, ["array"]);
  checkNdArray("argmax", "array", array, { minDims: 0 });
  const data = array.data;
  let best = -Infinity;
  let bestFlat = 0;
  let nanFlat = -1;
  forEachRow(array, (start, step, n, flat) => {
    for (let i = 0, at = start; i < n; i++, at += step) {
      const value = data[at];
      if (value > best) {
        best = value;
        bestFlat = flat + i;
      } else if (value !== value) {
        nanFlat = flat + i;
        return false;
      }
    }
  });
  return nanFlat >= 0 ? nanFlat : bestFlat;
}
