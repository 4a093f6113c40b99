/**
 * Where the bytes of one download attempt go: checked against the download's
 * bound, hashed (sha256) as they stream in, written to the cache's temporary
 * file, and reported as progress.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { dirname } from "node:path";
import type { AtomicFile } from "../_atomic_write.ts";
import { DatasetError } from "./dataset_error.ts";
import { type ByteLimit, FN } from "./_fetch_arguments.ts";
import type { ProgressReporter } from "./_progress.ts";

/** True for a write that failed because the disk is full (ENOSPC), also when wrapped as a cause. */
function isNoSpace(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    if (
      (e as { code?: unknown }).code === "ENOSPC" ||
      /No space left on device|os error 28\b/.test(e.message)
    ) return true;
  }
  return false;
}

/** Receives the chunks of one attempt, from the HTTP or the `file:` copy. */
export class DownloadSink {
  readonly #out: AtomicFile;
  readonly #progress: ProgressReporter;
  readonly #limit: ByteLimit;
  readonly #hash = createHash("sha256");
  #source = "";
  #total: number | undefined;
  #loaded = 0;
  #ownError: unknown = undefined;

  /** Writes to `out` (not committed here), at most `limit.bytes`, and reports to `progress`. */
  constructor(out: AtomicFile, progress: ProgressReporter, limit: ByteLimit) {
    this.#out = out;
    this.#progress = progress;
    this.#limit = limit;
  }

  /** Bytes received so far. */
  get loaded(): number {
    return this.#loaded;
  }

  /** The bytes expected: the announced length, else the entry's size; undefined if neither. */
  get total(): number | undefined {
    return this.#total;
  }

  /**
   * The transfer begins: `source` (as messages show it) announces `announced`
   * bytes, if it does. A length other than the entry's size, or past the
   * bound, is refused here, before any byte is read.
   */
  start(source: string, announced: number | undefined): void {
    this.#source = source;
    const limit = this.#limit;
    if (announced !== undefined && limit.exact && announced !== limit.bytes) {
      throw new DatasetError(
        "SIZE_MISMATCH",
        `${FN}: ${source} announces ${announced} bytes, but the file has ${limit.bytes} (${limit.from}); nothing was read`,
      );
    }
    if (announced !== undefined && announced > limit.bytes) {
      throw new DatasetError(
        "TOO_LARGE",
        `${FN}: ${source} announces ${announced} bytes, more than ${limit.from} allows (${limit.bytes}); nothing was read`,
      );
    }
    this.#total = announced ?? (limit.exact ? limit.bytes : undefined);
    this.#own(() => this.#progress.start(source, this.#total));
  }

  /** Checks `chunk` against the bound, hashes and writes it, then reports the new byte count. */
  async add(chunk: Uint8Array): Promise<void> {
    const limit = this.#limit;
    if (this.#loaded + chunk.length > limit.bytes) {
      throw new DatasetError(
        "TOO_LARGE",
        `${FN}: ${this.#source} sent more than ${limit.bytes} bytes (${limit.from}); the rest was not read`,
      );
    }
    try {
      await this.#out.write(chunk);
    } catch (error) {
      throw this.#ownError = isNoSpace(error) ? this.#noSpace(error) : error;
    }
    this.#hash.update(chunk);
    this.#loaded += chunk.length;
    this.#own(() => this.#progress.update(this.#loaded));
  }

  /**
   * True if `error` was raised on this side of the transfer: a failed write
   * into the cache (a full disk, say) or the caller's `onProgress` throwing.
   * Neither is the source's fault, so neither is retried or renamed.
   */
  raisedHere(error: unknown): boolean {
    return error !== undefined && error === this.#ownError;
  }

  /** The transfer ended, successfully or not. */
  finish(): void {
    this.#progress.finish(this.#loaded);
  }

  /** The lowercase hex sha256 of every byte added; call once, after the last. */
  sha256(): string {
    return this.#hash.digest("hex");
  }

  #own(action: () => void): void {
    try {
      action();
    } catch (error) {
      throw this.#ownError = error;
    }
  }

  #noSpace(cause: unknown): DatasetError {
    const path = this.#out.path;
    const needed = this.#total === undefined
      ? `at least ${this.#loaded + 1} bytes, up to ${this.#limit.bytes}`
      : `${this.#total} bytes`;
    return new DatasetError(
      "NO_SPACE",
      `${FN}: no space left on the disk for ${path}: the write failed after ${this.#loaded} bytes; ` +
        `the file needs ${needed} free in ${
          dirname(path)
        }. Nothing was kept; free some space or choose another cacheDir`,
      { cause },
    );
  }
}
