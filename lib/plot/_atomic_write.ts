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
