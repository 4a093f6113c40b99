/**
 * Turns Deno's permission errors into {@linkcode DatasetError}s that name the
 * flag to pass.
 *
 * @module
 */

import { DatasetError } from "./dataset_error.ts";

/**
 * True for the errors Deno throws when a permission is missing or denied, also
 * when wrapped as the cause of another error (as `lib/_atomic_write.ts` does).
 */
export function isPermissionError(error: unknown): boolean {
  const cause = error instanceof Error ? error.cause : undefined;
  return error instanceof Deno.errors.NotCapable ||
    error instanceof Deno.errors.PermissionDenied ||
    cause instanceof Deno.errors.NotCapable ||
    cause instanceof Deno.errors.PermissionDenied;
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

/** `error` as a `PERMISSION` {@linkcode DatasetError} naming `flag` if it is a permission error, else itself. */
function explainPermission(
  fn: string,
  what: string,
  flag: string,
  error: unknown,
): unknown {
  return isPermissionError(error)
    ? permissionError(fn, what, flag, error)
    : error;
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
    throw explainPermission(fn, what, flag, error);
  }
}

/** {@linkcode withPermission} for a synchronous `action`. */
export function withPermissionSync<T>(
  fn: string,
  what: string,
  flag: string,
  action: () => T,
): T {
  try {
    return action();
  } catch (error) {
    throw explainPermission(fn, what, flag, error);
  }
}
