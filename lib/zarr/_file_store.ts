/**
 * The Zarr store stria reads and writes through zarrita: keys are files under
 * a folder, reads return undefined for a missing key, and every write goes
 * through `_atomic_write.ts`, so a chunk or metadata file is either whole or
 * absent, never half-written.
 *
 * @module
 */

import { join } from "node:path";
import { writeFileAtomic } from "../_atomic_write.ts";

/** A key of a Zarr store: an absolute path inside it, as zarrita passes it. */
export type StoreKey = `/${string}`;

/** A folder as a zarrita store (reads, range reads, atomic writes). */
export class FileStore {
  /** The store's folder. */
  readonly root: string;
  /** The public function whose errors name the files written. */
  readonly #fn: string;

  constructor(fn: string, root: string) {
    this.#fn = fn;
    this.root = root;
  }

  /** The file of `key`. */
  pathOf(key: string): string {
    return join(this.root, ...key.split("/").filter((part) => part !== ""));
  }

  /** The bytes of `key`, or undefined when there is no such file. */
  async get(key: StoreKey): Promise<Uint8Array | undefined> {
    try {
      return await Deno.readFile(this.pathOf(key));
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
  }

  /** The writes under way (zarrita writes a selection's chunks concurrently). */
  readonly #pending = new Set<Promise<void>>();

  /** Writes `value` to `key`'s file atomically, creating its folders. */
  set(key: StoreKey, value: Uint8Array): Promise<void> {
    const write = writeFileAtomic(this.#fn, this.pathOf(key), value, {
      createFolder: true,
    });
    this.#pending.add(write);
    const done = () => this.#pending.delete(write);
    write.then(done, done);
    return write;
  }

  /**
   * Waits until every write under way has committed or been removed: after a
   * failed write, so that the caller reports it only once no temporary file
   * is left and no chunk is still being renamed into place.
   */
  async settle(): Promise<void> {
    while (this.#pending.size > 0) {
      await Promise.allSettled([...this.#pending]);
    }
  }
}
