import type { NdArray } from "../deps.ts";
import { checkNdArray, contiguousStrides } from "./_strided.ts";

/**
 * Flat index, in C (row-major) order of the array's shape, of the first
 * maximum, like `numpy.argmax` without an axis. NaN counts as the maximum, as
 * in NumPy. Works on any strided view without copying.
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
  checkNdArray("argmax", "array", array, { minDims: 0 });
  const { shape, stride, data, offset } = array;
  const ndim = shape.length;
  const cstride = contiguousStrides(shape);
  const size = cstride.length === 0 ? 1 : cstride[0] * shape[0];
  const index = new Array<number>(ndim).fill(0);
  let best = -Infinity;
  let bestFlat = 0;
  let at = offset;
  for (let flat = 0; flat < size; flat++) {
    const value = data[at];
    if (value > best) {
      best = value;
      bestFlat = flat;
    } else if (value !== value) {
      return flat;
    }
    for (let d = ndim - 1; d >= 0; d--) {
      index[d]++;
      at += stride[d];
      if (index[d] < shape[d]) break;
      at -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
  return bestFlat;
}
