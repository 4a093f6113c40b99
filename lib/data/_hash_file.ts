/**
 * Streaming sha256 of a file (Web Crypto's digest needs the whole buffer).
 *
 * @module
 */

import { createHash } from "node:crypto";

/** The lowercase hex sha256 of the file at `path`, or undefined if there is no such file. */
export async function hashFileIfExists(
  path: string,
): Promise<string | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const hash = createHash("sha256");
  // The readable stream closes the file when it ends or errors.
  for await (const chunk of file.readable) hash.update(chunk);
  return hash.digest("hex");
}
