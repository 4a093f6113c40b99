/**
 * Checks shared by io's public functions: the path argument, and
 * the error for a file that cannot be read.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";

/** Throws unless `path` is a non-empty path or a `file:` URL. */
export function checkFilePath(
  fn: string,
  path: unknown,
): asserts path is string | URL {
  const valid = (typeof path === "string" && path.length > 0) ||
    (path instanceof URL && path.protocol === "file:");
  if (!valid) {
    throw argumentError(
      fn,
      "path",
      path instanceof URL ? path.href : path,
      "a file path or a file: URL",
    );
  }
}

/** The error for a file that cannot be read: "no such file", or the cause. */
export function readError(fn: string, name: string, error: unknown): Error {
  if (error instanceof Deno.errors.NotFound) {
    return new Error(`${fn}: ${name}: no such file`, { cause: error });
  }
  return new Error(
    `${fn}: ${name}: cannot be read (${(error as Error).message})`,
    { cause: error },
  );
}

/**
 * Checks the box `readBox` of a plane reader of `shape` is given: planes,
 * rows and columns `[first, end)` inside the volume, each non-empty.
 */
export function checkBox(
  shape: readonly [number, number, number],
  ranges: readonly (readonly [number, number])[],
): void {
  for (const [axis, range] of ranges.entries()) {
    const [first, end] = range;
    if (
      !Number.isInteger(first) || !Number.isInteger(end) || first < 0 ||
      end <= first || end > shape[axis]
    ) {
      throw argumentError(
        "readBox",
        ["planes", "rows", "columns"][axis],
        [first, end],
        `[first, end) with 0 <= first < end <= ${shape[axis]}`,
      );
    }
  }
}
