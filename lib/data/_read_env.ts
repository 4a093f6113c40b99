/**
 * Reads the environment variables the dataset layer depends on, turning a
 * missing `--allow-env` into a {@linkcode DatasetError} naming the flag.
 *
 * @module
 */

import { withPermissionSync } from "./_permissions.ts";

/**
 * The value of the environment variable `name`, or undefined when it is unset
 * or empty. A denied read throws a `PERMISSION` error from `fn` that advises
 * `flag` (e.g. `--allow-env=STRIA_DATA_MIRROR (or pass the mirror option)`).
 */
export function readEnv(
  fn: string,
  name: string,
  flag: string,
): string | undefined {
  const value = withPermissionSync(
    fn,
    `reading the environment variable ${name}`,
    flag,
    () => Deno.env.get(name),
  );
  return value === "" ? undefined : value;
}
