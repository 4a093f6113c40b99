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
