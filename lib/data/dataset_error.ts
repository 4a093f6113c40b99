/**
 * The error thrown when a dataset cannot be fetched, verified or read.
 *
 * @module
 */

/**
 * What went wrong, so that programs can react without parsing messages.
 *
 * @example
 * ```ts
 * import { DatasetError, type DatasetErrorCode } from "./dataset_error.ts";
 *
 * const retryLater: DatasetErrorCode[] = ["UNREACHABLE", "TIMEOUT", "TRUNCATED"];
 * const error = new DatasetError("TIMEOUT", "fetchDataset: no data for 30000 ms");
 * const retry = retryLater.includes(error.code);
 * if (!retry) throw new Error(error.code);
 * console.log(retry); // true
 * ```
 */
export type DatasetErrorCode =
  /** The name is not in the registry. */
  | "UNKNOWN_DATASET"
  /** The host could not be reached (DNS, refused, reset), after retries. */
  | "UNREACHABLE"
  /** The server answered with an HTTP error status. */
  | "HTTP_STATUS"
  /** No bytes arrived for `timeoutMs` (after retries), or the attempt outlasted `deadlineMs`. */
  | "TIMEOUT"
  /** The body ended before its announced length, after retries. */
  | "TRUNCATED"
  /** The announced length (Content-Length, or a mirror file's size) is not the entry's `size`. */
  | "SIZE_MISMATCH"
  /** The body is longer than the entry's `size` or the `maxBytes` bound; the rest was not read. */
  | "TOO_LARGE"
  /** The disk holding the cache folder is full; the message names the path and the space needed. */
  | "NO_SPACE"
  /** A directory, FIFO, socket or device stands where a file should be (the cache path, a mirror file). */
  | "NOT_A_FILE"
  /** The downloaded bytes do not have the registry's sha256. */
  | "HASH_MISMATCH"
  /** A `file:` mirror does not hold the file. */
  | "NOT_FOUND"
  /** Deno's permissions do not allow the access; the message names the flag. */
  | "PERMISSION"
  /** The file was read but is not what the dataset's loader expects. */
  | "UNEXPECTED_CONTENT"
  /** No cache folder could be derived from the environment. */
  | "NO_CACHE_DIR";

/**
 * An error from the dataset layer. `code` says what went wrong; the message says
 * what to do about it (which URL, which flag, which cache folder).
 *
 * @example
 * ```ts
 * import { DatasetError } from "./dataset_error.ts";
 *
 * const error = new DatasetError("HTTP_STATUS", "fetchDataset: HTTP 404 for https://example.org/a.tif");
 * if (!(error instanceof Error) || error.code !== "HTTP_STATUS") throw error;
 * console.log(error.name, error.code); // DatasetError HTTP_STATUS
 * ```
 */
export class DatasetError extends Error {
  /** What went wrong, machine-readable. */
  readonly code: DatasetErrorCode;

  /** Creates an error with a code, a message and optionally its cause. */
  constructor(
    code: DatasetErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "DatasetError";
    this.code = code;
  }
}
