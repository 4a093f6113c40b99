/**
 * The options of `fetchDataset`: cache folder, mirror, progress, timeouts,
 * size bound and retries.
 *
 * @module
 */

import type { DatasetProgress } from "./_progress.ts";

/**
 * Options of {@linkcode fetchDataset}.
 *
 * @example
 * ```ts
 * import type { FetchDatasetOptions } from "./fetch_dataset_options.ts";
 *
 * const options: FetchDatasetOptions = {
 *   cacheDir: "/tmp/stria-data",
 *   timeoutMs: 10_000,
 *   retries: 5,
 *   onProgress: ({ loaded, total }) => console.log(loaded, "of", total ?? "?"),
 * };
 * const count = Object.keys(options).length;
 * if (count !== 4) throw new Error(`${count} options`);
 * console.log(count); // 4
 * ```
 */
export interface FetchDatasetOptions {
  /** Cache folder; default `dataCacheDir()`. Created if missing. */
  cacheDir?: string;
  /**
   * Base URL (`http:`, `https:` or `file:`) holding the same file name, used
   * instead of the registry URL; default `$STRIA_DATA_MIRROR` when set.
   */
  mirror?: string | URL;
  /** Cancels the download (rejects with the signal's reason); nothing is left in the cache. */
  signal?: AbortSignal;
  /** Called with the bytes received so far, on every chunk. */
  onProgress?: (progress: DatasetProgress) => void;
  /** Receives the notices otherwise printed on stderr (bad cached file, retries). */
  onNotice?: (message: string) => void;
  /** Print nothing on stderr (no progress, no notices). Default false. */
  quiet?: boolean;
  /** Give up an attempt when no bytes arrive for this long, in ms. Default 30000. */
  timeoutMs?: number;
  /**
   * Give up an attempt that has not finished within this long, in ms: a
   * server trickling bytes just often enough to beat `timeoutMs` is ended
   * here, with a `TIMEOUT` error, and not retried. Default 900000 (15
   * minutes: the kidney file's 25 MB at 28 kB/s).
   */
  deadlineMs?: number;
  /**
   * The most bytes accepted from an entry without a `size` (for one with a
   * size, that size is the bound, and `maxBytes` must not be below it). A
   * download is always bounded: an entry with neither `size` nor its own
   * `maxBytes` needs this option.
   */
  maxBytes?: number;
  /** Further attempts after a transient failure. Default 3. */
  retries?: number;
  /** Wait before the first retry, in ms; doubled after each. Default 1000. */
  retryDelayMs?: number;
  /** The fetch implementation to use; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}
