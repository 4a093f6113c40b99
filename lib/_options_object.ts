/**
 * Private: the one check of an options argument at the public boundary. An
 * options object must be a plain object whose keys the function knows: a
 * misspelt key, or an option of SciPy's that stria has not (`{ order: 1 }`),
 * is refused rather than silently ignored, as Deno's own APIs and Observable
 * Plot do. Also the check that no argument follows the last one a function
 * takes (SciPy's and NumPy's positional `mode`, `axis`...).
 *
 * @module
 */

import { argumentError, describeValue } from "./_errors.ts";

/**
 * Throws unless `options` is a plain object (not null, an array, a number or
 * a string) whose own keys are all among `known`; the error names `fn`, the
 * argument (`name`, default `"options"`), the unknown key and the known ones.
 *
 * @example
 * ```ts
 * import { checkOptionsObject } from "./_options_object.ts";
 *
 * try {
 *   checkOptionsObject("gaussianFilter", { order: 1 }, ["mode", "cval", "truncate"]);
 * } catch (error) {
 *   console.log((error as Error).message); // gaussianFilter: options has no key "order" (got 1); its keys are mode, cval, truncate
 * }
 * ```
 */
export function checkOptionsObject(
  fn: string,
  options: unknown,
  known: readonly string[],
  name = "options",
): asserts options is object {
  const prototype = typeof options === "object" && options !== null
    ? Object.getPrototypeOf(options)
    : undefined;
  if (prototype !== Object.prototype && prototype !== null) {
    throw argumentError(
      fn,
      name,
      options,
      `an object with keys among ${known.join(", ")}`,
    );
  }
  for (const key of Object.keys(options as object)) {
    if (!known.includes(key)) {
      throw new TypeError(
        `${fn}: ${name} has no key ${JSON.stringify(key)} (got ${
          describeValue((options as Record<string, unknown>)[key])
        }); its keys are ${known.join(", ")}`,
      );
    }
  }
}

/**
 * Throws when a call passed more arguments than the `names` a function
 * takes, e.g. NumPy's `axis` to `argmax` or SciPy's positional `mode`.
 *
 * @example
 * ```ts
 * import { checkArgumentCount } from "./_options_object.ts";
 *
 * try {
 *   checkArgumentCount("argmax", 2, ["array"]);
 * } catch (error) {
 *   console.log((error as Error).message); // argmax: takes 1 argument (array), got 2
 * }
 * ```
 */
export function checkArgumentCount(
  fn: string,
  count: number,
  names: readonly string[],
): void {
  if (count > names.length) {
    throw new TypeError(
      `${fn}: takes ${names.length} argument${names.length === 1 ? "" : "s"} (${
        names.join(", ")
      }), got ${count}`,
    );
  }
}
