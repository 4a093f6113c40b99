/**
 * Private: the structure tensor's entries as the functions that take them
 * (`structureTensorEigenvalues`, `structureTensorEigenvectors`) receive
 * them: checked once, then read as flat C-order arrays.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import {
  checkNdArray,
  copyToContiguous,
  isCOrder,
  type NumericNdArray,
  sizeOf,
} from "../array/_strided.ts";
import type { NdArray } from "../deps.ts";

/**
 * Checks that `elements` are `ndim·(ndim+1)/2` ndarrays of one shape, for
 * an `ndim` among `dims`; returns `ndim`, the shape and the voxel count.
 */
export function checkElements(
  fn: string,
  elements: unknown,
  dims: readonly number[] | "any",
): { ndim: number; shape: number[]; size: number } {
  const count = Array.isArray(elements) ? elements.length : -1;
  const ndim = Math.round((Math.sqrt(8 * count + 1) - 1) / 2);
  if (
    count < 1 || (ndim * (ndim + 1)) / 2 !== count ||
    (dims !== "any" && !dims.includes(ndim))
  ) {
    throw argumentError(
      fn,
      "elements",
      elements,
      dims === "any"
        ? "a list of ndim·(ndim+1)/2 arrays (3 in 2-D, 6 in 3-D)"
        : "a list of 3 arrays (2-D: Arr, Arc, Acc) or 6 arrays (3-D: Azz, Azy, Azx, Ayy, Ayx, Axx)",
    );
  }
  const list = elements as unknown[];
  list.forEach((element, e) => checkNdArray(fn, `elements[${e}]`, element));
  const shape = (list[0] as NdArray).shape.slice();
  for (let e = 1; e < count; e++) {
    const other = (list[e] as NdArray).shape;
    if (other.length !== shape.length || other.some((n, d) => n !== shape[d])) {
      throw argumentError(
        fn,
        `elements[${e}]`,
        list[e],
        `an ndarray of shape [${shape.join(", ")}] like elements[0]`,
      );
    }
  }
  return { ndim, shape, size: sizeOf(shape) };
}

/** An entry's values in C order: its own storage when already laid out so, else a float64 copy. */
export function contiguousValues(
  element: NdArray,
  size: number,
): ArrayLike<number> {
  const { shape, stride, offset, data } = element;
  if (
    offset === 0 && (data as ArrayLike<number>).length === size &&
    isCOrder(shape, stride)
  ) {
    return data as ArrayLike<number>;
  }
  const copy = new Float64Array(size);
  copyToContiguous(element as NumericNdArray, copy);
  return copy;
}
