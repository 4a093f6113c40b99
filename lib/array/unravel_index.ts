import { argumentError } from "../_errors.ts";
import { checkArgumentCount } from "../_options_object.ts";

/**
 * Converts a flat C-order index into one index per axis, like
 * `numpy.unravel_index(index, shape)`.
 *
 * NaN and infinite values: refused, as the index and lengths must be integers.
 *
 * @param index Flat index, an integer in [0, product of shape).
 * @param shape Axis lengths.
 * @returns The coordinates, one per axis.
 *
 * @example
 * ```ts
 * import { unravelIndex } from "./unravel_index.ts";
 *
 * console.log(unravelIndex(23, [3, 8, 30, 30])); // [0, 0, 0, 23]
 * console.log(unravelIndex(7, [2, 4])); // [1, 3]
 * ```
 */
export function unravelIndex(
  index: number,
  shape: readonly number[],
): number[] {
  checkArgumentCount("unravelIndex", arguments.length, ["index", "shape"]);
  if (
    !Array.isArray(shape) || shape.some((n) => !Number.isInteger(n) || n < 0)
  ) {
    throw argumentError(
      "unravelIndex",
      "shape",
      shape,
      "an array of non-negative integers",
    );
  }
  const size = shape.reduce((a, b) => a * b, 1);
  if (!Number.isInteger(index) || index < 0 || index >= size) {
    throw argumentError(
      "unravelIndex",
      "index",
      index,
      `an integer in [0, ${size})`,
    );
  }
  const coords = new Array<number>(shape.length);
  let rest = index;
  for (let d = shape.length - 1; d >= 0; d--) {
    coords[d] = rest % shape[d];
    rest = Math.floor(rest / shape[d]);
  }
  return coords;
}
