/**
 * Private: `imgAsFloat` written straight into a caller-provided buffer (for
 * example one over a SharedArrayBuffer that worker threads read), so that no
 * second full-size copy exists.
 *
 * @module
 */

import {
  copyToContiguous,
  dtypeOf,
  forEachRow,
  type NumericNdArray,
} from "./_strided.ts";

/** Largest value of each integer dtype: `imgAsFloat` multiplies by its reciprocal. */
const INTEGER_MAX: Readonly<Record<string, number>> = {
  uint8: 255,
  uint16: 65535,
  uint32: 4294967295,
  int8: 127,
  int16: 32767,
  int32: 2147483647,
};

/**
 * How `imgAsFloat` converts integers of `dtype`: `x · scale`, clamped at -1
 * when signed; null for float dtypes, which are kept as they are.
 */
export function integerScaling(
  dtype: string,
): { scale: number; signed: boolean } | null {
  const max = INTEGER_MAX[dtype];
  return max === undefined
    ? null
    : { scale: 1 / max, signed: dtype[0] !== "u" };
}

/**
 * Writes `image` converted by scikit-image's `img_as_float` rules into
 * `target` (C order): unsigned integers `x · (1/max)`, signed integers
 * `max(x · (1/max), -1)`, floats unchanged. With a Float32Array target each
 * value is the float64 result rounded once to float32.
 */
export function floatInto(
  image: NumericNdArray,
  target: Float64Array | Float32Array,
): void {
  const scaling = integerScaling(dtypeOf(image));
  if (scaling === null) {
    copyToContiguous(image, target);
    return;
  }
  const { scale, signed } = scaling;
  const data = image.data;
  forEachRow(image, (start, step, n, out) => {
    for (let i = 0, at = start; i < n; i++, at += step) {
      const value = data[at] * scale;
      target[out + i] = signed && value < -1 ? -1 : value;
    }
  });
}
