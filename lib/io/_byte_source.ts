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
   * The `length` bytes from `offset`; `what` names them for the error when
   * they are not all in the file (e.g. "IFD 2"). They may be a view of the
   * source's own storage: copy before modifying. Calls must not overlap
   * (await each).
   */
  readAt(offset: number, length: number, what?: string): Promise<Uint8Array>;
}

/** Builds the error for a failed read, naming the function and the file. */
export type Fail = (message: string) => Error;

/** Throws unless bytes `offset..offset + length` are whole positions inside a file of `size` bytes. */
function checkRange(
  offset: number,
  length: number,
  size: number,
  what: string | undefined,
  fail: Fail,
): void {
  const span = `bytes ${offset}..${offset + length}`;
  const named = what === undefined ? span : `${what} (${span})`;
  if (
    !Number.isSafeInteger(offset) || !Number.isSafeInteger(length) ||
    offset < 0 || length < 0
  ) {
    throw fail(
      `corrupt file: cannot read ${named}; expected a whole, non-negative offset and length`,
    );
  }
  if (offset + length > size) {
    throw fail(
      `the file is truncated: expected ${named} but the file has ${size} bytes`,
    );
  }
}

/** A source over bytes in memory; reads are views of `bytes`, never copies. */
export function memorySource(bytes: Uint8Array, fail: Fail): ByteSource {
  return {
    size: bytes.length,
    readAt(offset, length, what) {
      // A range outside the file rejects, as a file source's read does.
      try {
        checkRange(offset, length, bytes.length, what, fail);
      } catch (error) {
        return Promise.reject(error);
      }
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
    async readAt(offset, length, what) {
      checkRange(offset, length, size, what, fail);
      const bytes = new Uint8Array(length);
      await file.seek(offset, Deno.SeekMode.Start);
      for (let done = 0; done < length;) {
        const read = await file.read(bytes.subarray(done));
        if (read === null) {
          throw fail(
            `unexpected end of file at byte ${offset + done} while reading ${
              what ?? `bytes ${offset}..${offset + length}`
            }; the file is shorter than the ${size} bytes it had when opened`,
          );
        }
        done += read;
      }
      return bytes;
    },
  };
}
