/**
 * Atomic file writes: write a temporary file beside the target, then rename it
 * over the target, so no reader ever sees a half-written file.
 *
 * @module
 */

import { dirname } from "node:path";

/**
 * Writes bytes or text to `path` atomically, creating the parent folder
 * (recursively) if it does not exist.
 *
 * @example
 * ```ts
 * import { writeAtomic } from "./_atomic_write.ts";
 * const dir = await Deno.makeTempDir();
 * await writeAtomic(`${dir}/a/b.txt`, "hello");
 * console.log(await Deno.readTextFile(`${dir}/a/b.txt`)); // hello
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeAtomic(
  path: string,
  content: Uint8Array | string,
): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const temporary = `${path}.${crypto.randomUUID().slice(0, 8)}.tmp`;
  try {
    if (typeof content === "string") {
      await Deno.writeTextFile(temporary, content);
    } else await Deno.writeFile(temporary, content);
    await Deno.rename(temporary, path);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw error;
  }
}
