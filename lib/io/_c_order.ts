/**
 * Copies any ndarray view (strided, offset, stepped, transposed) into a new
 * C-contiguous typed array of the same type.
 *
 * @module
 */

import type { NdArray } from "../deps.ts";
import type { NumericArray } from "../array/types.ts";

/** The values of `array` in C order, in a new typed array of the same constructor. */
export function toCOrder<T extends NumericArray>(array: NdArray<T>): T {
  const { shape, stride, offset, data } = array;
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new (data.constructor as new (n: number) => T)(size);
  if (size === 0) return out;
  if (isCContiguous(shape, stride)) {
    out.set(
      data.subarray(offset, offset + size) as unknown as ArrayLike<number>,
    );
    return out;
  }
  const rank = shape.length;
  const inner = shape[rank - 1];
  const innerStride = stride[rank - 1];
  const index = new Array<number>(rank).fill(0);
  let base = offset;
  let position = 0;
  for (let line = 0, lines = size / inner; line < lines; line++) {
    for (let i = 0, at = base; i < inner; i++, at += innerStride) {
      out[position++] = data[at];
    }
    for (let axis = rank - 2; axis >= 0; axis--) {
      index[axis]++;
      base += stride[axis];
      if (index[axis] < shape[axis]) break;
      base -= stride[axis] * shape[axis];
      index[axis] = 0;
    }
  }
  return out;
}

function isCContiguous(shape: number[], stride: number[]): boolean {
  let expected = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    if (shape[axis] !== 1 && stride[axis] !== expected) return false;
    expected *= shape[axis];
  }
  return true;
}
