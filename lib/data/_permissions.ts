/**
 * Turns Deno's permission errors into {@linkcode DatasetError}s that name the
 * flag to pass.
 *
 * @module
 */

import { DatasetError } from "./dataset_error.ts";

/** True for the errors Deno throws when a permission is missing or denied. */
export function isPermissionError(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable ||
    error instanceof Deno.errors.PermissionDenied;
}

/** Wraps a permission error: `fn: Deno does not allow <what>; run with <flag>`. */
export function permissionError(
  fn: string,
  what: string,
  flag: string,
  cause: unknown,
): DatasetError {
  return new DatasetError(
    "PERMISSION",
    `${fn}: Deno does not allow ${what}; run again with ${flag}`,
    { cause },
  );
}

/** Runs `action`, rethrowing a permission error as a {@linkcode DatasetError} naming `flag`. */
export async function withPermission<T>(
  fn: string,
  what: string,
  flag: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (isPermissionError(error)) throw permissionError(fn, what, flag, error);
    throw error;
  }
}
