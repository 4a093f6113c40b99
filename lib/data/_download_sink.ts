/**
 * Where the bytes of one download attempt go: hashed (sha256) as they stream
 * in, written to the cache's temporary file, and reported as progress.
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { AtomicFile } from "../_atomic_write.ts";
import type { ProgressReporter } from "./_progress.ts";

/** Receives the chunks of one attempt, from the HTTP or the `file:` copy. */
export class DownloadSink {
  readonly #out: AtomicFile;
  readonly #progress: ProgressReporter;
  readonly #hash = createHash("sha256");
  #loaded = 0;
  #writeError: unknown = undefined;

  /** Writes to `out` (not committed here) and reports to `progress`. */
  constructor(out: AtomicFile, progress: ProgressReporter) {
    this.#out = out;
    this.#progress = progress;
  }

  /** Bytes received so far. */
  get loaded(): number {
    return this.#loaded;
  }

  /** The transfer begins: `total` bytes are expected, if known. */
  start(url: string, total: number | undefined): void {
    this.#progress.start(url, total);
  }

  /** Hashes and writes `chunk`, then reports the new byte count. */
  async add(chunk: Uint8Array): Promise<void> {
    this.#hash.update(chunk);
    try {
      await this.#out.write(chunk);
    } catch (error) {
      this.#writeError = error;
      throw error;
    }
    this.#loaded += chunk.length;
    this.#progress.update(this.#loaded);
  }

  /**
   * True if `error` is the one a failed write into the cache threw (a full
   * disk, say): the caller's own failure, not the source's, so not retried.
   */
  isWriteError(error: unknown): boolean {
    return error !== undefined && error === this.#writeError;
  }

  /** The transfer ended, successfully or not. */
  finish(): void {
    this.#progress.finish(this.#loaded);
  }

  /** The lowercase hex sha256 of every byte added; call once, after the last. */
  sha256(): string {
    return this.#hash.digest("hex");
  }
}
