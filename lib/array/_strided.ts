/**
 * Private helpers at the ndarray edge: validating an ndarray argument,
 * walking a (possibly strided, offset or transposed) view row by row in C
 * order (`forEachRow`, the one such walk), and copying it into a flat
 * C-contiguous buffer, the layout every kernel works on.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { NdArray } from "../deps.ts";
import type { DType, NumericArray } from "./types.ts";

/** A numeric ndarray after validation: its storage is one of stria's typed arrays. */
export type NumericNdArray = NdArray<NumericArray>;

/** A typed-array constructor for each dtype, from a length or (a range of) a buffer. */
export const ARRAY_TYPES: Readonly<
  Record<
    DType,
    & (new (length: number) => NumericArray)
    & (new (
      buffer: ArrayBufferLike,
      byteOffset?: number,
      length?: number,
    ) => NumericArray)
    & { readonly BYTES_PER_ELEMENT: number }
  >
> = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
};

/** The dtype name of each accepted storage, keyed by constructor. */
const DTYPE_OF = new Map<unknown, DType>([
  [Uint8ClampedArray, "uint8"],
  ...(Object.entries(ARRAY_TYPES) as [DType, unknown][]).map((
    [dtype, type],
  ) => [type, dtype] as [unknown, DType]),
]);

const EXPECTED_ARRAY =
  "an ndarray over a Uint8, Uint8Clamped, Uint16, Uint32, Int8, Int16, Int32, Float32 or Float64 typed array";

/** The stria dtype of a validated array's storage. */
export function dtypeOf(array: NumericNdArray): DType {
  return DTYPE_OF.get(array.data.constructor) as DType;
}

/**
 * Checks that `value` is an ndarray over a supported typed array whose shape,
 * strides and offset stay inside its storage; throws `argumentError` otherwise.
 */
export function checkNdArray(
  fn: string,
  name: string,
  value: unknown,
  options: { minDims?: number; nonEmpty?: boolean } = {},
): asserts value is NumericNdArray {
  const candidate = value as Partial<NdArray<unknown[]>> | null;
  if (
    candidate === null || typeof candidate !== "object" ||
    !Array.isArray(candidate.shape) ||
    !Array.isArray(candidate.stride) || typeof candidate.offset !== "number" ||
    candidate.stride.length !== candidate.shape.length
  ) {
    throw argumentError(fn, name, value, EXPECTED_ARRAY);
  }
  if (
    !DTYPE_OF.has(
      (candidate.data as unknown as object | undefined)?.constructor,
    )
  ) {
    throw argumentError(fn, name, value, EXPECTED_ARRAY);
  }
  const shape = candidate.shape;
  if (shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw argumentError(
      fn,
      name,
      value,
      "an ndarray with non-negative integer dimensions",
    );
  }
  const minDims = options.minDims ?? 1;
  if (shape.length < minDims) {
    throw argumentError(
      fn,
      name,
      value,
      `an ndarray with at least ${minDims} dimension(s)`,
    );
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (options.nonEmpty !== false && size === 0) {
    throw argumentError(fn, name, value, "a non-empty ndarray");
  }
  // A NaN, fractional or string stride or offset would index past every
  // element and read undefined, silently giving NaN results.
  const { stride, offset } = candidate;
  if (!stride.every(Number.isInteger)) {
    throw argumentError(
      fn,
      `${name}.stride`,
      stride,
      `a list of ${shape.length} integers (one per axis)`,
    );
  }
  if (!Number.isInteger(offset) || offset < 0) {
    throw argumentError(fn, `${name}.offset`, offset, "an integer >= 0");
  }
  if (size > 0) {
    // The lowest and highest storage index the view touches must exist.
    let lo = offset;
    let hi = offset;
    for (let d = 0; d < shape.length; d++) {
      const reach = (shape[d] - 1) * stride[d];
      if (reach < 0) lo += reach;
      else hi += reach;
    }
    const length = (candidate.data as unknown as ArrayLike<number>).length;
    if (lo < 0 || hi >= length) {
      throw argumentError(
        fn,
        name,
        value,
        `an ndarray whose view lies inside its storage (offset ${offset} and stride [${
          stride.join(", ")
        }] reach indices ${lo} to ${hi}, data length ${length})`,
      );
    }
  }
}

/** C-order (row-major) strides of a contiguous array of `shape`. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = step;
    step *= shape[d];
  }
  return strides;
}

/** Whether `stride` lays out `shape` in C order without gaps (axes of length 1 aside). */
export function isCOrder(
  shape: readonly number[],
  stride: readonly number[],
): boolean {
  let step = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    if (shape[d] !== 1 && stride[d] !== step) return false;
    step *= shape[d];
  }
  return true;
}

/** Number of elements of an array of `shape`. */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const n of shape) size *= n;
  return size;
}

/** The layout of an ndarray view: what a walk over its elements needs. */
export interface StridedView {
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
}

/**
 * Walks a view's elements in C order one innermost row at a time: calls
 * `row(start, step, n, flat)` for each row, whose elements are at storage
 * indices `start + i·step`, i < n, and are elements `flat + i` in C order
 * (a 0-d view is one row of one element, an empty view none). The caller
 * runs the tight loop over the row; `row` returns false to stop the walk.
 */
export function forEachRow(
  view: StridedView,
  row: (start: number, step: number, n: number, flat: number) => void | false,
): void {
  const { shape, stride } = view;
  const size = sizeOf(shape);
  if (size === 0) return;
  const last = shape.length - 1;
  if (last < 0) {
    row(view.offset, 1, 1, 0);
    return;
  }
  const n = shape[last];
  const step = stride[last];
  const index = new Array<number>(last).fill(0);
  let start = view.offset;
  for (let flat = 0; flat < size; flat += n) {
    if (row(start, step, n, flat) === false) return;
    // Odometer increment over the outer axes.
    for (let d = last - 1; d >= 0; d--) {
      index[d]++;
      start += stride[d];
      if (index[d] < shape[d]) break;
      start -= stride[d] * shape[d];
      index[d] = 0;
    }
  }
}

/** A new C-contiguous copy of a view's elements, in the view's own sample type. */
export function contiguousCopy(array: NumericNdArray): NumericArray {
  const values = new ARRAY_TYPES[dtypeOf(array)](sizeOf(array.shape));
  copyToContiguous(array, values);
  return values;
}

/**
 * Copies the elements of a strided view into `target` in C order, converting
 * to the target's element type.
 */
export function copyToContiguous(
  source: NumericNdArray,
  target: Float64Array | Float32Array | NumericArray,
): void {
  const { shape, stride, data } = source;
  const size = sizeOf(shape);
  if (
    target.constructor === data.constructor && isCOrder(shape, stride)
  ) {
    // Same element type, one C-ordered block: a single memory copy.
    (target as typeof data).set(
      (data as typeof target).subarray(source.offset, source.offset + size),
    );
    return;
  }
  forEachRow(source, (start, step, n, out) => {
    if (step === 1) {
      for (let i = 0; i < n; i++) target[out + i] = data[start + i];
    } else {
      for (let i = 0, at = start; i < n; i++, at += step) {
        target[out + i] = data[at];
      }
    }
  });
}
