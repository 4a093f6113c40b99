/**
 * One dataset file in the cache folder: its verified copy, the temporary
 * `.part` files a download writes (through `lib/_atomic_write.ts`), and the
 * clean-up of those a killed process left behind.
 *
 * @module
 */

import { join } from "node:path";
import { type AtomicFile, openAtomicFile } from "../_atomic_write.ts";
import { FN } from "./_fetch_arguments.ts";
import { hashFileIfExists } from "./_hash_file.ts";
import { withPermission } from "./_permissions.ts";

/** Suffix of a download's temporary file: `.${fileName}.${uuid}.part`. */
const TEMP_SUFFIX = ".part";

/** Temporary files untouched for this long belong to a download that was killed. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/** The cache's view of one file: `target` = `cacheDir/fileName`. */
export class DatasetCache {
  /** The cache folder. */
  readonly cacheDir: string;
  /** The file's name in the cache folder. */
  readonly fileName: string;
  /** The path of the verified file. */
  readonly target: string;
  readonly #readFlag: string;
  readonly #writeFlag: string;

  /** Points at `fileName` in `cacheDir`; touches nothing yet. */
  constructor(cacheDir: string, fileName: string) {
    this.cacheDir = cacheDir;
    this.fileName = fileName;
    this.target = join(cacheDir, fileName);
    this.#readFlag = `--allow-read=${cacheDir}`;
    this.#writeFlag = `--allow-write=${cacheDir}`;
  }

  /** The sha256 of the cached file, or undefined if there is none. */
  storedSha256(): Promise<string | undefined> {
    return withPermission(
      FN,
      `reading the cache folder ${this.cacheDir}`,
      this.#readFlag,
      () => hashFileIfExists(this.target),
    );
  }

  /**
   * Creates the cache folder if missing, and removes the temporary files of
   * this file that a killed process left behind (a live download writes at
   * least every `timeoutMs`, so an hour-old one is dead).
   */
  async prepare(): Promise<void> {
    await withPermission(
      FN,
      `creating the cache folder ${this.cacheDir}`,
      this.#writeFlag,
      () => Deno.mkdir(this.cacheDir, { recursive: true }),
    );
    const prefix = `.${this.fileName}.`;
    const now = Date.now();
    for await (const item of Deno.readDir(this.cacheDir)) {
      if (
        !item.isFile || !item.name.startsWith(prefix) ||
        !item.name.endsWith(TEMP_SUFFIX)
      ) continue;
      const path = join(this.cacheDir, item.name);
      const { mtime } = await Deno.stat(path).catch(() => ({ mtime: null }));
      if (mtime !== null && now - mtime.getTime() > STALE_TEMP_MS) {
        // Another process may remove it at the same moment; either way it is gone.
        await Deno.remove(path).catch(() => {});
      }
    }
  }

  /** A new, uniquely named temporary file beside the target, for one download attempt. */
  open(): Promise<AtomicFile> {
    return this.#writing(() =>
      openAtomicFile(FN, this.target, { suffix: TEMP_SUFFIX })
    );
  }

  /** Renames the verified temporary file over the target. */
  commit(out: AtomicFile): Promise<void> {
    return this.#writing(() => out.commit());
  }

  #writing<T>(action: () => Promise<T>): Promise<T> {
    return withPermission(
      FN,
      `writing in the cache folder ${this.cacheDir}`,
      this.#writeFlag,
      action,
    );
  }
}
