import type { NdArray } from "../deps.ts";
import { checkNdArray, type NumericNdArray } from "./_strided.ts";

/** Smallest (sign -1) or largest (sign 1) element; NaN propagates as in NumPy. */
function extreme(array: NumericNdArray, sign: 1 | -1): number {
  const { shape, stride, data, offset } = array;
  const ndim = shape.length;
  const index = new Array<number>(ndim).fill(0);
  const size = shape.reduce((a, b) => a * b, 1);
  let best = data[offset] * sign;
  let at = offset;
  for (let flat = 0; flat < size; flat++) {
    const value = data[at] * sign;
    if (value !== value) return NaN;
    if (value > best) best = value;
    for (let d = ndim - 1; d >= 0; d--) {
      index[d]++;
      at += stride[d];
      if (index[d] < shape[d]) break;
      at -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
  return best * sign;
}

/**
 * Smallest element of a non-empty array (`numpy.min`); NaN if any element is NaN.
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
  checkNdArray("min", "array", array, { minDims: 0 });
  return extreme(array, -1);
}

/**
 * Largest element of a non-empty array (`numpy.max`); NaN if any element is NaN.
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
  checkNdArray("max", "array", array, { minDims: 0 });
  return extreme(array, 1);
}
