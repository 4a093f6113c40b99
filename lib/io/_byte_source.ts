/**
 * Random access to a file's bytes, in memory or through an open file handle:
 * what the TIFF directory reader and page decoder read from, so that
 * `readTiff` (whole file in memory) and `openTiffPlanes` (a file handle) share
 * them.
 *
 * @module
 */

/** A file's bytes, read by range. */
export interface ByteSource {
  /** The file's length in bytes. */
  readonly size: number;
  /**
   * The `length` bytes from `offset`. They may be a view of the source's own
   * storage: copy before modifying. Calls must not overlap (await each).
   */
  readAt(offset: number, length: number): Promise<Uint8Array>;
}

/** Builds the error for a failed read, naming the function and the file. */
export type Fail = (message: string) => Error;

function checkRange(
  offset: number,
  length: number,
  size: number,
  fail: Fail,
): void {
  if (offset + length > size) {
    throw fail(
      `the file is truncated: expected bytes ${offset}..${
        offset + length
      } but the file has ${size} bytes`,
    );
  }
}

/** A source over bytes in memory; reads are views of `bytes`, never copies. */
export function memorySource(bytes: Uint8Array, fail: Fail): ByteSource {
  return {
    size: bytes.length,
    readAt(offset, length) {
      checkRange(offset, length, bytes.length, fail);
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
}

/** A source over an open file of `size` bytes; each read seeks, then reads into new bytes. */
export function fileSource(
  file: Deno.FsFile,
  size: number,
  fail: Fail,
): ByteSource {
  return {
    size,
    async readAt(offset, length) {
      checkRange(offset, length, size, fail);
      const bytes = new Uint8Array(length);
      await file.seek(offset, Deno.SeekMode.Start);
      for (let done = 0; done < length;) {
        const read = await file.read(bytes.subarray(done));
        if (read === null) {
          throw fail(`unexpected end of file at byte ${offset + done}`);
        }
        done += read;
      }
      return bytes;
    },
  };
}
