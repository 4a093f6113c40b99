/**
 * Private: `imgAsFloat` written straight into a caller-provided buffer (for
 * example one over a SharedArrayBuffer that worker threads read), so that no
 * second full-size copy exists.
 *
 * @module
 */

import { copyToContiguous, dtypeOf, type NumericNdArray } from "./_strided.ts";

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
  const dtype = dtypeOf(image);
  const max = INTEGER_MAX[dtype];
  if (max === undefined) {
    copyToContiguous(image, target);
    return;
  }
  if (target instanceof Float64Array) {
    copyToContiguous(image, target);
    scaleInPlace(target, 1 / max, dtype[0] !== "u");
    return;
  }
  // Scale in float64 before the one rounding to float32, a row at a time.
  const rows = image.shape.length === 0 ? 1 : image.shape[0];
  const rowSize = rows === 0 ? 0 : target.length / rows;
  const row = new Float64Array(rowSize);
  for (let r = 0; r < rows; r++) {
    const view = image.shape.length === 0
      ? image
      : image.pick(r) as NumericNdArray;
    copyToContiguous(view, row);
    scaleInPlace(row, 1 / max, dtype[0] !== "u");
    target.set(row, r * rowSize);
  }
}

function scaleInPlace(
  data: Float64Array,
  scale: number,
  signed: boolean,
): void {
  if (signed) {
    for (let i = 0; i < data.length; i++) {
      const value = data[i] * scale;
      data[i] = value < -1 ? -1 : value;
    }
  } else {
    for (let i = 0; i < data.length; i++) data[i] *= scale;
  }
}
