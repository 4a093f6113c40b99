/**
 * Checks `fetchDataset`'s arguments once, at the public boundary, and resolves
 * the options' defaults.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { FetchDatasetOptions } from "./fetch_dataset_options.ts";
import type { DatasetEntry } from "./registry.ts";
import { writeStderr } from "./_progress.ts";

/** The public function named in every message of the fetching modules. */
export const FN = "fetchDataset";

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** The fields of an entry that fetching uses. */
export type DatasetFile = Pick<
  DatasetEntry,
  "name" | "fileName" | "url" | "sha256" | "size"
>;

/** `entry` if it has a name, a URL string, a plain file name and a lowercase hex sha256. */
export function checkDatasetFile(entry: unknown): DatasetFile {
  const candidate = entry as Partial<DatasetFile> | null;
  const valid = typeof candidate === "object" && candidate !== null &&
    typeof candidate.name === "string" && typeof candidate.url === "string" &&
    typeof candidate.fileName === "string" &&
    /^[^/\\]+$/.test(candidate.fileName) &&
    candidate.fileName !== "." && candidate.fileName !== ".." &&
    typeof candidate.sha256 === "string" &&
    SHA256_PATTERN.test(candidate.sha256);
  if (!valid) {
    throw argumentError(
      FN,
      "nameOrEntry",
      entry,
      "a registry name or an entry with name, url, a plain fileName and a lowercase hex sha256",
    );
  }
  return candidate as DatasetFile;
}

/** The options with their defaults applied; `cacheDir` and `mirror` are resolved later, when needed. */
export interface FetchSettings {
  readonly cacheDir: string | undefined;
  readonly mirror: string | URL | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onProgress: FetchDatasetOptions["onProgress"];
  readonly notify: (message: string) => void;
  readonly quiet: boolean;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly fetch: typeof fetch;
}

function checkCount(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw argumentError(FN, name, value, `an integer >= ${min}`);
  }
  return value;
}

/**
 * Checks `options` and applies the defaults. `notify` sends a notice to
 * `onNotice` and, unless `quiet`, to stderr.
 */
export function checkFetchOptions(options: FetchDatasetOptions): FetchSettings {
  if (typeof options !== "object" || options === null) {
    throw argumentError(FN, "options", options, "an object");
  }
  const { cacheDir, onNotice } = options;
  const timeoutMs = checkCount(
    "options.timeoutMs",
    options.timeoutMs,
    30_000,
    1,
  );
  const retries = checkCount("options.retries", options.retries, 3, 0);
  const retryDelayMs = checkCount(
    "options.retryDelayMs",
    options.retryDelayMs,
    1000,
    0,
  );
  if (
    cacheDir !== undefined && (typeof cacheDir !== "string" || cacheDir === "")
  ) {
    throw argumentError(FN, "options.cacheDir", cacheDir, "a non-empty path");
  }
  const quiet = options.quiet ?? false;
  return {
    cacheDir,
    mirror: options.mirror,
    signal: options.signal,
    onProgress: options.onProgress,
    notify: (message) => {
      onNotice?.(message);
      if (!quiet) writeStderr(`${message}\n`);
    },
    quiet,
    timeoutMs,
    retries,
    retryDelayMs,
    fetch: options.fetch ?? globalThis.fetch,
  };
}
