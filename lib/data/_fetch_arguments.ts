/**
 * Checks `fetchDataset`'s arguments once, at the public boundary, and resolves
 * the options' defaults.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { checkOptionsObject } from "../_options_object.ts";
import type { FetchDatasetOptions } from "./fetch_dataset_options.ts";
import type { DatasetEntry } from "./registry.ts";
import { writeStderr } from "./_progress.ts";

/** The public function named in every message of the fetching modules. */
export const FN = "fetchDataset";

/**
 * 15 minutes per attempt: the kidney file's 25 MB at 28 kB/s, slower than any
 * working link, while a server trickling 2.5 kB/s is given up on.
 */
const DEFAULT_DEADLINE_MS = 15 * 60 * 1000;

const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** The fields of an entry that fetching uses. */
export type DatasetFile = Pick<
  DatasetEntry,
  "name" | "fileName" | "url" | "sha256" | "size" | "maxBytes"
>;

function isByteCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) > 0;
}

/**
 * `entry` if each field fetching reads is right: `name` a non-empty string,
 * `fileName` a plain file name, `url` an absolute URL, `sha256` 64 lowercase
 * hex digits, `size` and `maxBytes` (when present) positive integers. The
 * error names the first wrong field and its value.
 */
export function checkDatasetFile(entry: unknown): DatasetFile {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
    throw argumentError(
      FN,
      "nameOrEntry",
      entry,
      "a registry name or an entry object with name, fileName, url, sha256 and size",
    );
  }
  const { name, fileName, url, sha256, size, maxBytes } = entry as Record<
    string,
    unknown
  >;
  const field = (key: string, value: unknown, expected: string) =>
    argumentError(FN, `nameOrEntry.${key}`, value, expected);
  if (typeof name !== "string" || name === "") {
    throw field("name", name, "a non-empty string");
  }
  if (
    typeof fileName !== "string" || !/^[^/\\]+$/.test(fileName) ||
    fileName === "." || fileName === ".."
  ) {
    throw field("fileName", fileName, "a file name without / or \\");
  }
  if (typeof url !== "string" || URL.parse(url) === null) {
    throw field("url", url, "an absolute URL string");
  }
  if (typeof sha256 !== "string" || !SHA256_PATTERN.test(sha256)) {
    throw field("sha256", sha256, "64 lowercase hexadecimal digits");
  }
  if (size !== undefined && !isByteCount(size)) {
    throw field("size", size, "a positive integer number of bytes");
  }
  if (maxBytes !== undefined && !isByteCount(maxBytes)) {
    throw field("maxBytes", maxBytes, "a positive integer number of bytes");
  }
  return { name, fileName, url, sha256, size, maxBytes };
}

/** How many bytes a download may bring, and which field or option says so. */
export interface ByteLimit {
  /** The most bytes accepted. */
  readonly bytes: number;
  /** True when `bytes` is the file's exact size (the entry's `size`). */
  readonly exact: boolean;
  /** Where the bound comes from, for messages: `nameOrEntry.size`, `options.maxBytes`... */
  readonly from: string;
}

/**
 * The bound of every download of `entry`: its `size` (exact), else
 * `options.maxBytes`, else the entry's own `maxBytes`. An entry with none is
 * refused: an unbounded body could fill the disk.
 */
export function byteLimit(
  entry: DatasetFile,
  maxBytes: number | undefined,
): ByteLimit {
  if (entry.size !== undefined) {
    if (maxBytes !== undefined && entry.size > maxBytes) {
      throw argumentError(
        FN,
        "options.maxBytes",
        maxBytes,
        `at least the entry's size, ${entry.size} bytes`,
      );
    }
    return { bytes: entry.size, exact: true, from: "nameOrEntry.size" };
  }
  if (maxBytes !== undefined) {
    return { bytes: maxBytes, exact: false, from: "options.maxBytes" };
  }
  if (entry.maxBytes !== undefined) {
    return {
      bytes: entry.maxBytes,
      exact: false,
      from: "nameOrEntry.maxBytes",
    };
  }
  throw argumentError(
    FN,
    "nameOrEntry.size",
    undefined,
    "the file's size in bytes (or give options.maxBytes) so that the download is bounded",
  );
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
  readonly deadlineMs: number;
  readonly maxBytes: number | undefined;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly fetch: typeof fetch;
}

/** setTimeout fires at once for delays past 2^31 - 1 ms (about 24.8 days). */
const MAX_DELAY_MS = 2 ** 31 - 1;

function checkCount(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < min ||
    value > max
  ) {
    const range = max === Number.MAX_SAFE_INTEGER
      ? `>= ${min}`
      : `from ${min} to ${max}`;
    throw argumentError(FN, name, value, `an integer ${range}`);
  }
  return value;
}

/** `value` if it is undefined or passes `test`, else the error for option `name`. */
function checkOptional<T>(
  name: string,
  value: unknown,
  test: (value: unknown) => boolean,
  expected: string,
): T | undefined {
  if (value !== undefined && !test(value)) {
    throw argumentError(FN, `options.${name}`, value, expected);
  }
  return value as T | undefined;
}

const isFunction = (value: unknown) => typeof value === "function";

/** The keys of {@linkcode FetchDatasetOptions}. */
export const FETCH_OPTION_KEYS: readonly string[] = [
  "cacheDir",
  "mirror",
  "signal",
  "onProgress",
  "onNotice",
  "quiet",
  "timeoutMs",
  "deadlineMs",
  "maxBytes",
  "retries",
  "retryDelayMs",
  "fetch",
];

/**
 * Checks `options` and applies the defaults. `notify` sends a notice to
 * `onNotice` and, unless `quiet`, to stderr. `keys` are the option names the
 * caller accepts (`kidney` adds `dataset`).
 */
export function checkFetchOptions(
  options: FetchDatasetOptions,
  keys: readonly string[] = FETCH_OPTION_KEYS,
): FetchSettings {
  checkOptionsObject(FN, options, keys);
  const timeoutMs = checkCount(
    "options.timeoutMs",
    options.timeoutMs,
    30_000,
    1,
    MAX_DELAY_MS,
  );
  const deadlineMs = checkCount(
    "options.deadlineMs",
    options.deadlineMs,
    DEFAULT_DEADLINE_MS,
    1,
    MAX_DELAY_MS,
  );
  const retries = checkCount("options.retries", options.retries, 3, 0);
  const retryDelayMs = checkCount(
    "options.retryDelayMs",
    options.retryDelayMs,
    1000,
    0,
    MAX_DELAY_MS,
  );
  const maxBytes = checkOptional<number>(
    "maxBytes",
    options.maxBytes,
    isByteCount,
    "a positive integer number of bytes",
  );
  const cacheDir = checkOptional<string>(
    "cacheDir",
    options.cacheDir,
    (value) => typeof value === "string" && value !== "",
    "a non-empty path",
  );
  const mirror = checkOptional<string | URL>(
    "mirror",
    options.mirror,
    (value) => typeof value === "string" || value instanceof URL,
    "a base URL (a string or a URL)",
  );
  const signal = checkOptional<AbortSignal>(
    "signal",
    options.signal,
    (value) => value instanceof AbortSignal,
    "an AbortSignal",
  );
  const onProgress = checkOptional<FetchDatasetOptions["onProgress"]>(
    "onProgress",
    options.onProgress,
    isFunction,
    "a function",
  );
  const onNotice = checkOptional<(message: string) => void>(
    "onNotice",
    options.onNotice,
    isFunction,
    "a function",
  );
  const fetchImpl = checkOptional<typeof fetch>(
    "fetch",
    options.fetch,
    isFunction,
    "a fetch function",
  );
  const quiet = checkOptional<boolean>(
    "quiet",
    options.quiet,
    (value) => typeof value === "boolean",
    "true or false",
  ) ?? false;
  return {
    cacheDir,
    mirror,
    signal,
    onProgress,
    notify: (message) => {
      onNotice?.(message);
      if (!quiet) writeStderr(`${message}\n`);
    },
    quiet,
    timeoutMs,
    deadlineMs,
    maxBytes,
    retries,
    retryDelayMs,
    fetch: fetchImpl ?? globalThis.fetch,
  };
}
