/**
 * Where downloaded datasets are kept.
 *
 * @module
 */

import { join } from "node:path";
import { DatasetError } from "./dataset_error.ts";
import { readEnv } from "./_read_env.ts";

/** The environment variables {@linkcode dataCacheDir} may read, in order. */
const CACHE_DIR_ENV_VARS: readonly string[] = [
  "STRIA_DATA_DIR",
  "XDG_CACHE_HOME",
  "HOME",
  "USERPROFILE",
];

const ENV_FLAG = `--allow-env=${
  CACHE_DIR_ENV_VARS.join(",")
} (or pass the cacheDir option)`;

function cacheEnv(name: string): string | undefined {
  return readEnv("dataCacheDir", name, ENV_FLAG);
}

/**
 * The folder where datasets are cached: `$STRIA_DATA_DIR`, else
 * `$XDG_CACHE_HOME/stria`, else `~/.cache/stria` (from `$HOME`, or
 * `$USERPROFILE` on Windows). The folder is not created here.
 *
 * Permissions: `--allow-env=STRIA_DATA_DIR,XDG_CACHE_HOME,HOME,USERPROFILE`
 * (only the variables up to the first one that is set are read).
 *
 * @throws {DatasetError} `PERMISSION` naming the `--allow-env` flag, or
 * `NO_CACHE_DIR` when none of the variables is set.
 *
 * @example
 * ```ts
 * import { dataCacheDir } from "./data_cache_dir.ts";
 *
 * Deno.env.set("STRIA_DATA_DIR", "/tmp/stria-data");
 * const folder = dataCacheDir();
 * if (folder !== "/tmp/stria-data") throw new Error(folder);
 * console.log(folder); // /tmp/stria-data
 * Deno.env.delete("STRIA_DATA_DIR");
 * ```
 */
export function dataCacheDir(): string {
  const explicit = cacheEnv("STRIA_DATA_DIR");
  if (explicit !== undefined) return explicit;
  const xdg = cacheEnv("XDG_CACHE_HOME");
  if (xdg !== undefined) return join(xdg, "stria");
  const home = cacheEnv("HOME") ?? cacheEnv("USERPROFILE");
  if (home !== undefined) return join(home, ".cache", "stria");
  throw new DatasetError(
    "NO_CACHE_DIR",
    "dataCacheDir: none of STRIA_DATA_DIR, XDG_CACHE_HOME, HOME, USERPROFILE is set; " +
      "set STRIA_DATA_DIR to a writable folder or pass the cacheDir option",
  );
}
