/**
 * Argument check shared by the functions that open a TIFF by path.
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
