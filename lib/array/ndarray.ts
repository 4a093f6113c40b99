import {
  type NdArray,
  ndarray as ndarrayFactory,
  type NdArrayData,
} from "../deps.ts";

/**
 * Creates an n-dimensional view over a flat array (the npm `ndarray` package,
 * re-exported so that users of stria can build its inputs). `shape` lists the
 * axis lengths; `stride` and `offset` default to a C-contiguous layout.
 *
 * NaN and infinite values: it reads no values; each function that reads
 * them says what it does with them.
 *
 * @param data The flat storage, e.g. a `Uint16Array`.
 * @param shape Axis lengths (default: one axis of `data.length`).
 * @param stride Storage step per axis (default: C order).
 * @param offset Storage index of the first element (default 0).
 *
 * @example
 * ```ts
 * import { ndarray } from "./ndarray.ts";
 *
 * const volume = ndarray(new Uint16Array(2 * 3 * 4), [2, 3, 4]);
 * volume.set(1, 2, 3, 7);
 * console.log(volume.get(1, 2, 3), volume.stride); // 7 [12, 4, 1]
 * ```
 */
export function ndarray<D extends NdArrayData = NdArrayData<number>>(
  data: D,
  shape?: number[],
  stride?: number[],
  offset?: number,
): NdArray<D> {
  return ndarrayFactory(data, shape, stride, offset);
}
