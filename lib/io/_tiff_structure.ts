/**
 * Checks a TIFF's header and walks its chain of image file directories (IFDs)
 * before any decoding, so that empty, foreign, truncated and looping files fail
 * with a message that says what was expected and what was found.
 *
 * @module
 */

/** What the header and the IFD chain say about a file. */
export interface TiffStructure {
  littleEndian: boolean;
  bigTiff: boolean;
  /** Byte offset of every IFD (one per page), in file order. */
  ifdOffsets: number[];
}

/** Reads the header and every IFD offset of `bytes`; throws a descriptive Error otherwise. */
export function readTiffStructure(
  fn: string,
  name: string,
  buffer: ArrayBuffer,
): TiffStructure {
  const size = buffer.byteLength;
  const fail = (message: string) => new Error(`${fn}: ${name}: ${message}`);
  if (size === 0) {
    throw fail("the file is empty (0 bytes); expected a TIFF file");
  }
  if (size < 8) {
    throw fail(
      `the file is ${size} bytes long; a TIFF header alone takes 8 bytes`,
    );
  }
  const view = new DataView(buffer);
  const mark = String.fromCharCode(view.getUint8(0), view.getUint8(1));
  if (mark !== "II" && mark !== "MM") {
    throw fail(
      `not a TIFF file: expected the byte-order mark "II" or "MM" at byte 0, found ${
        showBytes(buffer)
      }`,
    );
  }
  const littleEndian = mark === "II";
  const version = view.getUint16(2, littleEndian);
  if (version !== 42 && version !== 43) {
    throw fail(
      `not a TIFF file: expected version 42 (TIFF) or 43 (BigTIFF) at byte 2, found ${version}`,
    );
  }
  const bigTiff = version === 43;
  if (bigTiff && size < 16) {
    throw fail(
      `the file is ${size} bytes long; a BigTIFF header alone takes 16 bytes`,
    );
  }
  const readOffset = (at: number) =>
    bigTiff
      ? readUint64(view, at, littleEndian, fail)
      : view.getUint32(at, littleEndian);
  const countBytes = bigTiff ? 8 : 2;
  const entryBytes = bigTiff ? 20 : 12;
  const offsetBytes = bigTiff ? 8 : 4;

  const ifdOffsets: number[] = [];
  const seen = new Set<number>();
  let offset = readOffset(bigTiff ? 8 : 4);
  while (offset !== 0) {
    const page = ifdOffsets.length;
    if (seen.has(offset)) {
      throw fail(
        `corrupt file: IFD ${
          page - 1
        } links back to the IFD at byte offset ${offset} (a loop)`,
      );
    }
    if (offset + countBytes > size) {
      throw fail(
        `the file is truncated: IFD ${page} should start at byte offset ${offset} but the file has ${size} bytes`,
      );
    }
    const count = bigTiff
      ? readUint64(view, offset, littleEndian, fail)
      : view.getUint16(offset, littleEndian);
    const end = offset + countBytes + count * entryBytes + offsetBytes;
    if (end > size) {
      throw fail(
        `the file is truncated: IFD ${page} (${count} entries) spans bytes ${offset}..${end} but the file has ${size} bytes`,
      );
    }
    seen.add(offset);
    ifdOffsets.push(offset);
    offset = readOffset(end - offsetBytes);
  }
  if (ifdOffsets.length === 0) {
    throw fail("the file holds no image: its first IFD offset is 0");
  }
  return { littleEndian, bigTiff, ifdOffsets };
}

function readUint64(
  view: DataView,
  at: number,
  littleEndian: boolean,
  fail: (m: string) => Error,
): number {
  const value = view.getBigUint64(at, littleEndian);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw fail(
      `corrupt file: 64-bit value ${value} at byte ${at} is too large`,
    );
  }
  return Number(value);
}

/** The first bytes of a file as hex and printable text, e.g. `25 50 44 46 ("%PDF")`. */
function showBytes(buffer: ArrayBuffer): string {
  const head = new Uint8Array(buffer, 0, Math.min(4, buffer.byteLength));
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, "0")).join(
    " ",
  );
  const text = Array.from(
    head,
    (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : "."),
  ).join("");
  return `${hex} (${JSON.stringify(text)})`;
}
