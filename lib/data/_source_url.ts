/**
 * Where a dataset file is downloaded from: a mirror's copy of the file name
 * (the `mirror` option, else `$STRIA_DATA_MIRROR`), else the registry URL.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { type DatasetFile, FN } from "./_fetch_arguments.ts";
import { readEnv } from "./_read_env.ts";

const MIRROR_ENV = "STRIA_DATA_MIRROR";
const MIRROR_PROTOCOLS = ["http:", "https:", "file:"];

/**
 * The URL to download `entry` from. The mirror (option, else environment
 * variable, read only when the option is absent) is a base URL holding the
 * same file name.
 */
export function sourceUrl(
  entry: DatasetFile,
  mirrorOption: string | URL | undefined,
): URL {
  const fromOption = mirrorOption !== undefined;
  const mirror = fromOption ? String(mirrorOption) : readEnv(
    FN,
    MIRROR_ENV,
    `--allow-env=${MIRROR_ENV} (or pass the mirror option)`,
  );
  // checkDatasetFile has made sure the entry's URL parses.
  if (mirror === undefined) return new URL(entry.url);
  const base = URL.parse(mirror.endsWith("/") ? mirror : `${mirror}/`);
  if (base === null || !MIRROR_PROTOCOLS.includes(base.protocol)) {
    throw argumentError(
      FN,
      fromOption ? "mirror" : `$${MIRROR_ENV}`,
      mirror,
      "an absolute http:, https: or file: base URL",
    );
  }
  return new URL(encodeURIComponent(entry.fileName), base);
}
