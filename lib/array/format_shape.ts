import { argumentError } from "../_errors.ts";
import { checkArgumentCount } from "../_options_object.ts";

/**
 * Formats a shape as Python prints a tuple: `(3, 8, 30, 30)`, `(5,)`, `()`.
 *
 * NaN and infinite values: refused, as every length must be an integer.
 *
 * @example
 * ```ts
 * import { formatShape } from "./format_shape.ts";
 *
 * console.log(formatShape([16, 512, 512, 3])); // (16, 512, 512, 3)
 * console.log(formatShape([5])); // (5,)
 * ```
 */
export function formatShape(shape: readonly number[]): string {
  checkArgumentCount("formatShape", arguments.length, ["shape"]);
  if (
    !Array.isArray(shape) || shape.some((n) => !Number.isInteger(n) || n < 0)
  ) {
    throw argumentError(
      "formatShape",
      "shape",
      shape,
      "an array of non-negative integers",
    );
  }
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}
