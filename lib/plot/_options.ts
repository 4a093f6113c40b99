/**
 * Checks of the figure functions' scalar options (text, numbers in a range,
 * sizes in CSS pixels), each throwing `argumentError` with the function and
 * option named.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";

/**
 * Checks an optional string option.
 *
 * @example
 * ```ts
 * import { checkOptionalText } from "./_options.ts";
 * const title = checkOptionalText("f", "title", undefined);
 * if (title !== undefined) throw new Error(title);
 * console.log(title); // undefined
 * ```
 */
export function checkOptionalText(
  fn: string,
  name: string,
  value: unknown,
): string | undefined {
  if (value !== undefined && typeof value !== "string") {
    throw argumentError(fn, name, value, "a string");
  }
  return value;
}

/**
 * Checks an optional number in [low, high]; `fallback` when it is undefined.
 * `what` names the kind of number in the error, e.g. "a number of CSS pixels".
 *
 * @example
 * ```ts
 * import { checkNumberIn } from "./_options.ts";
 * let message = "";
 * try {
 *   checkNumberIn("f", "opacity", 2, 0.5, 0, 1);
 * } catch (error) {
 *   message = (error as Error).message;
 * }
 * if (message !== "f: opacity must be a number in [0, 1], got 2") throw new Error(message);
 * console.log(message); // f: opacity must be a number in [0, 1], got 2
 * ```
 */
export function checkNumberIn(
  fn: string,
  name: string,
  value: unknown,
  fallback: number,
  low: number,
  high: number,
  what = "a number",
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= low && value <= high)) {
    throw argumentError(fn, name, value, `${what} in [${low}, ${high}]`);
  }
  return value;
}

/**
 * Checks an optional size in CSS pixels, in [100, 10000].
 *
 * @example
 * ```ts
 * import { checkSize } from "./_options.ts";
 * const width = checkSize("f", "width", undefined, 560);
 * if (width !== 560) throw new Error(String(width));
 * console.log(width); // 560
 * ```
 */
export function checkSize(
  fn: string,
  name: string,
  value: unknown,
  fallback: number,
): number {
  return checkNumberIn(
    fn,
    name,
    value,
    fallback,
    100,
    10000,
    "a number of CSS pixels",
  );
}
