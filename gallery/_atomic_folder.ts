/**
 * Replaces a whole folder at once: its new contents are written into a
 * temporary sibling folder, which is renamed into place only once complete, so
 * a failed or interrupted build leaves the previous site as it was. The
 * folder-level counterpart of `lib/_atomic_write.ts` (which the files inside
 * are still written with), and the only one in the gallery.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";

/**
 * Calls `write` with a new, empty temporary folder beside `path`, then swaps
 * that folder in for `path` (which need not exist yet) and removes the old
 * one. When `write` or the swap fails, the temporary folder is removed, `path`
 * keeps its previous contents, and the error names `fn` and `path` (paths
 * inside the temporary folder in the cause's message are given as paths under
 * `path`). Between the two renames of the swap `path` is briefly missing, never
 * half-written.
 *
 * @example
 * ```ts
 * import { writeFolderAtomic } from "./_atomic_folder.ts";
 *
 * const parent = await Deno.makeTempDir();
 * await writeFolderAtomic("example", `${parent}/site`, (folder) =>
 *   Deno.writeTextFile(`${folder}/index.html`, "first"));
 * const error = await writeFolderAtomic("example", `${parent}/site`, async (folder) => {
 *   await Deno.writeTextFile(`${folder}/index.html`, "second");
 *   throw new Error("disk full");
 * }).catch((e) => e);
 * const kept = await Deno.readTextFile(`${parent}/site/index.html`);
 * if (kept !== "first" || !error.message.includes("disk full")) throw new Error(kept);
 * console.log(kept); // first
 * await Deno.remove(parent, { recursive: true });
 * ```
 */
export async function writeFolderAtomic<T>(
  fn: string,
  path: string,
  write: (folder: string) => Promise<T>,
): Promise<T> {
  const parent = dirname(path);
  const temporary = join(
    parent,
    `.${basename(path)}.${crypto.randomUUID()}.tmp`,
  );
  const previous = join(
    parent,
    `.${basename(path)}.${crypto.randomUUID()}.old.tmp`,
  );
  let result: T;
  let hadPrevious = false;
  try {
    await Deno.mkdir(parent, { recursive: true });
    await Deno.mkdir(temporary);
    result = await write(temporary);
    hadPrevious = await Deno.rename(path, previous).then(
      () => true,
      (error) => {
        if (error instanceof Deno.errors.NotFound) return false;
        throw error;
      },
    );
    try {
      await Deno.rename(temporary, path);
    } catch (error) {
      if (hadPrevious) await Deno.rename(previous, path);
      throw error;
    }
  } catch (error) {
    await Deno.remove(temporary, { recursive: true }).catch(() => {});
    const message = String((error as Error)?.message ?? error)
      .replaceAll(temporary, path);
    throw new Error(
      `${fn}: ${path}: cannot be written, its previous contents are kept (${message})`,
      { cause: error },
    );
  }
  if (hadPrevious) await Deno.remove(previous, { recursive: true });
  return result;
}
