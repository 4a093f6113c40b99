/**
 * Test helper: makes writes through `Deno.FsFile` fail part-way, as a full
 * disk would, so that every writer built on `lib/_atomic_write.ts` can be
 * checked to leave the old file intact and no temporary file behind.
 *
 * @module
 */

/**
 * Runs `action` while every `Deno.FsFile` write fails with a "No space left
 * on device" error once `allowedBytes` bytes have been written in total
 * (the writes before that go through, so the failure lands mid-file).
 * Returns how many writes failed; restores the real write afterwards.
 */
export async function withFailingWrites(
  allowedBytes: number,
  action: () => Promise<unknown>,
): Promise<{ failures: number; error: unknown }> {
  const prototype = Deno.FsFile.prototype;
  const realWrite = prototype.write;
  let written = 0;
  let failures = 0;
  prototype.write = function (this: Deno.FsFile, bytes: Uint8Array) {
    if (written + bytes.length > allowedBytes) {
      failures++;
      const room = Math.max(0, allowedBytes - written);
      written = allowedBytes;
      if (room > 0) {
        // A short write first, as a filling disk gives, then the failure.
        return realWrite.call(this, bytes.subarray(0, room));
      }
      return Promise.reject(new Error("No space left on device (os error 28)"));
    }
    written += bytes.length;
    return realWrite.call(this, bytes);
  };
  try {
    await action();
    return { failures, error: undefined };
  } catch (error) {
    return { failures, error };
  } finally {
    prototype.write = realWrite;
  }
}

/** The names in `folder` that look like temporary files of an atomic write. */
export async function temporaryFilesIn(folder: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    if (/^\..*\.(tmp|part)$/.test(entry.name)) names.push(entry.name);
  }
  return names.sort();
}
