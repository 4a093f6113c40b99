/**
 * One dataset file in the cache folder: its verified copy (refused if
 * something else stands at its path), the temporary `.part` files a download
 * writes (through `lib/_atomic_write.ts`), and the clean-up of those a killed
 * process left behind, whenever the cache is looked at.
 *
 * @module
 */

import { join } from "node:path";
import { type AtomicFile, openAtomicFile } from "../_atomic_write.ts";
import { DatasetError } from "./dataset_error.ts";
import { FN } from "./_fetch_arguments.ts";
import { hashFileIfExists } from "./_hash_file.ts";
import { withPermission } from "./_permissions.ts";

/** Suffix of a download's temporary file: `.${fileName}.${uuid}.part`. */
const TEMP_SUFFIX = ".part";

/** Temporary files untouched for this long belong to a download that was killed. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/** What `info` describes when it is not a regular file, for messages. */
function kindOf(info: Deno.FileInfo): string {
  if (info.isDirectory) return "a directory";
  if (info.isFifo) return "a FIFO (named pipe)";
  if (info.isSocket) return "a socket";
  if (info.isCharDevice || info.isBlockDevice) return "a device";
  return "not a regular file";
}

/**
 * Throws `NOT_A_FILE` unless `info` (from `Deno.stat`, which follows links
 * and, unlike opening, never blocks on a FIFO) is a regular file; `role`
 * names what `path` is, e.g. "the cache path".
 */
export function checkRegularFile(
  path: string,
  info: Deno.FileInfo,
  role: string,
): void {
  if (info.isFile) return;
  throw new DatasetError(
    "NOT_A_FILE",
    `${FN}: ${role} ${path} is ${
      kindOf(info)
    }, not a file; remove it or choose another ${
      role === "the cache path" ? "cacheDir" : "mirror"
    }`,
  );
}

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

  /**
   * The sha256 of the cached file, or undefined if there is none. Anything
   * else at the cache path (a directory, a FIFO...) is refused before it is
   * opened. Also removes the temporary files a killed download left behind.
   */
  storedSha256(): Promise<string | undefined> {
    return withPermission(
      FN,
      `reading the cache folder ${this.cacheDir}`,
      this.#readFlag,
      async () => {
        await this.#removeStaleTemporaries();
        const info = await Deno.stat(this.target).catch((error) => {
          if (error instanceof Deno.errors.NotFound) return undefined;
          throw error;
        });
        if (info === undefined) return undefined;
        checkRegularFile(this.target, info, "the cache path");
        return hashFileIfExists(this.target);
      },
    );
  }

  /** Creates the cache folder if missing. */
  prepare(): Promise<void> {
    return withPermission(
      FN,
      `creating the cache folder ${this.cacheDir}`,
      this.#writeFlag,
      () => Deno.mkdir(this.cacheDir, { recursive: true }),
    );
  }

  /**
   * Removes the temporary files of this file that a killed process left
   * behind (a live download writes at least every `timeoutMs`, so an
   * hour-old one is dead). Best effort: without write permission, or when
   * another process removes them first, they stay or are gone already.
   */
  async #removeStaleTemporaries(): Promise<void> {
    const prefix = `.${this.fileName}.`;
    const now = Date.now();
    const items = await Array.fromAsync(Deno.readDir(this.cacheDir)).catch(
      (error) => {
        if (error instanceof Deno.errors.NotFound) return [];
        throw error;
      },
    );
    for (const item of items) {
      if (
        !item.isFile || !item.name.startsWith(prefix) ||
        !item.name.endsWith(TEMP_SUFFIX)
      ) continue;
      const path = join(this.cacheDir, item.name);
      const { mtime } = await Deno.stat(path).catch(() => ({ mtime: null }));
      if (mtime !== null && now - mtime.getTime() > STALE_TEMP_MS) {
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
