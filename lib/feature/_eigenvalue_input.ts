/**
 * Private: reading the stacks the anisotropy measures take, `[d, ...shape]`
 * (eigenvalues, or one rank's eigenvectors), as flat C-order values, and the
 * one check of an eigenvalue stack at the public boundary.
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

/** A stack `[d, ...shape]` as flat C-order values: entry r of voxel i is `values[r·size + i]`. */
export interface FlatStack {
  d: number;
  /** The voxel grid: the stack's shape without its first axis. */
  shape: number[];
  size: number;
  /** Float32 when the stack is float32 (its own storage or an exact copy), else float64. */
  values: Float64Array | Float32Array;
}

/**
 * Views of `n` consecutive blocks of `size` values of `data` from `offset`:
 * the ranks or components of a stack, one array each.
 */
export function stackViews<T extends Float64Array | Float32Array>(
  data: T,
  n: number,
  size: number,
  offset = 0,
): T[] {
  return Array.from(
    { length: n },
    (_, k) => data.subarray(offset + k * size, offset + (k + 1) * size) as T,
  );
}

/** The stack's values in C order: its own storage when it is one C-ordered float block, else a copy. */
export function flattenStack(stack: NumericNdArray): FlatStack {
  const { shape, stride, offset, data } = stack;
  const size = sizeOf(shape.slice(1));
  const total = shape[0] * size;
  let values: Float64Array | Float32Array;
  if (
    (data instanceof Float64Array || data instanceof Float32Array) &&
    isCOrder(shape, stride)
  ) {
    values = data.subarray(offset, offset + total);
  } else {
    values = data instanceof Float32Array
      ? new Float32Array(total)
      : new Float64Array(total);
    copyToContiguous(stack, values);
  }
  return { d: shape[0], shape: shape.slice(1), size, values };
}

/** The shape of an eigenvalue stack for each tensor dimension, as a reader sees it. */
const STACK_FORMS: Readonly<Record<number, string>> = {
  2: "[2, rows, cols]",
  3: "[3, planes, rows, cols]",
};

/**
 * Checks that `value` is a stack of eigenvalues of a `d`-D tensor field for
 * one of `dims` (shape `[d, ...shape]` with `shape` of `d` axes), sorted in
 * decreasing order along axis 0 (NaN entries aside), and returns it flat.
 * `hint` ends the message of a wrong dimension (e.g. what to use instead).
 */
export function checkEigenvalues(
  fn: string,
  value: unknown,
  dims: readonly number[],
  hint = "",
): FlatStack {
  checkNdArray(fn, "eigenvalues", value, { minDims: 3 });
  const d = value.shape[0];
  if (!dims.includes(d) || value.shape.length !== d + 1) {
    throw argumentError(
      fn,
      "eigenvalues",
      value,
      `the eigenvalues of a ${dims.join("-D or ")}-D tensor field, of shape ${
        dims.map((n) => STACK_FORMS[n]).join(" or ")
      } as structureTensorEigenvalues returns them${hint}`,
    );
  }
  const stack = flattenStack(value);
  const { size, values } = stack;
  for (let r = 1; r < d; r++) {
    for (let i = 0; i < size; i++) {
      const larger = values[(r - 1) * size + i];
      const smaller = values[r * size + i];
      if (larger < smaller) {
        throw argumentError(
          fn,
          "eigenvalues",
          value,
          `sorted in decreasing order along axis 0, as structureTensorEigenvalues returns them (voxel ${i} in C order has ${larger} at rank ${
            r - 1
          } below ${smaller} at rank ${r})`,
        );
      }
    }
  }
  return stack;
}
