/**
 * Writes a file so that readers never see it half-written: the bytes go to a
 * temporary file in the same folder, which is then renamed over the target.
 *
 * @module
 */

import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * Writes `bytes` to `path` atomically, needing only write permission; a missing
 * folder is reported by name.
 */
export async function writeFileAtomic(
  fn: string,
  path: string | URL,
  bytes: Uint8Array,
): Promise<void> {
  const target = typeof path === "string" ? path : fileURLToPath(path);
  const folder = dirname(target);
  const temporary = join(
    folder,
    `.${basename(target)}.${crypto.randomUUID()}.tmp`,
  );
  try {
    await Deno.writeFile(temporary, bytes);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new Error(
        `${fn}: ${target}: the folder ${folder} does not exist; create it first`,
        { cause: error },
      );
    }
    throw new Error(
      `${fn}: ${target}: cannot be written (${(error as Error).message})`,
      { cause: error },
    );
  }
  try {
    await Deno.rename(temporary, target);
  } catch (error) {
    await Deno.remove(temporary).catch(() => {});
    throw new Error(
      `${fn}: ${target}: cannot be written (${(error as Error).message})`,
      { cause: error },
    );
  }
}
