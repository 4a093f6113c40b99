/**
 * Writes a file so that readers never see it half-written: the bytes go to a
 * temporary file in the same folder, which is then renamed over the target.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** Options of {@linkcode writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** Create the target's folder (recursively) when it is missing; default false. */
  createFolder?: boolean;
}

/**
 * Writes `content` to `path` atomically. `fn` names the public function in error
 * messages; a missing folder is reported by name unless `createFolder` is set.
 * Needs `--allow-write` on the folder, and `--allow-read` for the rename.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./_atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic("example", `${dir}/a/b.txt`, "hello", { createFolder: true });
 * console.log(await Deno.readTextFile(`${dir}/a/b.txt`)); // hello
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomic(
  fn: string,
  path: string | URL,
  content: Uint8Array | string,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const target = typeof path === "string" ? path : fileURLToPath(path);
  const folder = dirname(target);
  if (options.createFolder) await Deno.mkdir(folder, { recursive: true });
  const temporary = join(
    folder,
    `.${basename(target)}.${crypto.randomUUID()}.tmp`,
  );
  const bytes = typeof content === "string"
    ? new TextEncoder().encode(content)
    : content;
  try {
    await Deno.writeFile(temporary, bytes);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `${fn}: ${target}: the folder ${folder} does not exist; create it first`,
        { cause: error },
      );
    }
    throw new Error(
      `${fn}: ${target}: cannot be written (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  try {
    await Deno.rename(temporary, target);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw new Error(
      `${fn}: ${target}: cannot be written (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
}
