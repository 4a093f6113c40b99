/**
 * Writes files so that readers never see one half-written: the bytes go to a
 * temporary file in the target's folder, which is renamed over the target only
 * once complete. On any failure the temporary file is removed and an existing
 * target is left as it was. The one mechanism for every writer in stria (TIFF
 * files and page streams, figures, the dataset cache, the gallery, scripts).
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Options of {@linkcode openAtomicFile} and {@linkcode writeFileAtomic}. */
export interface AtomicFileOptions {
  /** Create the target's folder (recursively) when it is missing; default false. */
  createFolder?: boolean;
  /** Suffix of the temporary file's name (default `.tmp`), e.g. `.part` for downloads. */
  suffix?: string;
}

/**
 * A file being written atomically: write to `file` (seek freely), then
 * `commit()` renames it into place, or `abort()` removes it. Both close
 * `file`; after either, the other does nothing.
 */
export interface AtomicFile {
  /** The temporary file, open for reading and writing. */
  readonly file: Deno.FsFile;
  /** The temporary file's path, in the target's folder. */
  readonly temporaryPath: string;
  /** The target's path. */
  readonly path: string;
  /** Writes all of `bytes` at the file's current position. */
  write(bytes: Uint8Array): Promise<void>;
  /** Closes the file and renames it over the target; removes it if that fails. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file; the target is untouched. */
  abort(): Promise<void>;
}

/** The target's path as a string, from a path or a `file:` URL. */
export function filePath(path: string | URL): string {
  return typeof path === "string" ? path : fileURLToPath(path);
}

/** The error for a failed write: names the function, the path and the cause. */
function writeError(fn: string, target: string, error: unknown): Error {
  if (error instanceof Deno.errors.NotFound) {
    return new Error(
      `${fn}: ${target}: the folder ${
        dirname(target)
      } does not exist; create it first`,
      { cause: error },
    );
  }
  return new Error(
    `${fn}: ${target}: cannot be written (${(error as Error).message})`,
    { cause: error },
  );
}

/**
 * Opens a temporary file beside `path` for an atomic write. `fn` names the
 * public function in error messages, which always name the target. Needs
 * `--allow-write` on the folder, and `--allow-read` for the rename.
 *
 * @example
 * ```ts
 * import { openAtomicFile } from "./_atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * const out = await openAtomicFile("example", `${dir}/a.bin`);
 * await out.write(new Uint8Array([1, 2, 3]));
 * await out.commit();
 * const bytes = await Deno.readFile(`${dir}/a.bin`);
 * if (bytes.length !== 3) throw new Error("not committed");
 * console.log(bytes.length); // 3
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function openAtomicFile(
  fn: string,
  path: string | URL,
  options: AtomicFileOptions = {},
): Promise<AtomicFile> {
  const target = filePath(path);
  const folder = dirname(target);
  const temporaryPath = join(
    folder,
    `.${basename(target)}.${crypto.randomUUID()}${options.suffix ?? ".tmp"}`,
  );
  let file: Deno.FsFile;
  try {
    if (options.createFolder) await Deno.mkdir(folder, { recursive: true });
    file = await Deno.open(temporaryPath, {
      read: true,
      write: true,
      createNew: true,
    });
  } catch (error) {
    throw writeError(fn, target, error);
  }
  let open = true;
  const close = () => {
    if (!open) return false;
    open = false;
    file.close();
    return true;
  };
  const abort = async () => {
    if (!close()) return;
    await Deno.remove(temporaryPath).catch(() => {});
  };
  return {
    file,
    temporaryPath,
    path: target,
    async write(bytes) {
      try {
        for (let done = 0; done < bytes.length;) {
          done += await file.write(bytes.subarray(done));
        }
      } catch (error) {
        await abort();
        throw writeError(fn, target, error);
      }
    },
    async commit() {
      if (!open) return;
      try {
        close();
        await Deno.rename(temporaryPath, target);
      } catch (error) {
        await Deno.remove(temporaryPath).catch(() => {});
        throw writeError(fn, target, error);
      }
    },
    abort,
  };
}

/**
 * Writes `content` to `path` atomically (see {@linkcode openAtomicFile}).
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./_atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic("example", `${dir}/a/b.txt`, "hello", { createFolder: true });
 * const text = await Deno.readTextFile(`${dir}/a/b.txt`);
 * if (text !== "hello") throw new Error(text);
 * console.log(text); // hello
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomic(
  fn: string,
  path: string | URL,
  content: Uint8Array | string,
  options: AtomicFileOptions = {},
): Promise<void> {
  const out = await openAtomicFile(fn, path, options);
  await out.write(
    typeof content === "string" ? new TextEncoder().encode(content) : content,
  );
  await out.commit();
}
