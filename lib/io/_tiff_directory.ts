/**
 * The one TIFF directory reader: checks the header (classic TIFF or BigTIFF,
 * either byte order), walks the chain of image file directories (IFDs) and
 * reads the values of the tags stria knows, from any `ByteSource`. Empty,
 * foreign, truncated and looping files fail with a message that says what was
 * expected and what was found.
 *
 * @module
 */

import type { ByteSource, Fail } from "./_byte_source.ts";
import { FIELD, FIELD_BYTES, TAG, tagName } from "./_tiff_tags.ts";

/** A tag's values: numbers (a RATIONAL as numerator, denominator), or the text of an ASCII tag. */
export type TagValues = readonly number[] | string;

/** One page's tags that stria knows, by tag number. */
export type TiffDirectory = ReadonlyMap<number, TagValues>;

/** What the header and the IFD chain of a file say. */
export interface TiffDirectories {
  littleEndian: boolean;
  bigTiff: boolean;
  /** One directory per page, in file order. */
  pages: TiffDirectory[];
}

const KNOWN_TAGS = new Set<number>(Object.values(TAG));

/** Reads the header and every IFD of `source`; `fail` builds errors naming the function and the file. */
export async function readTiffDirectories(
  source: ByteSource,
  fail: Fail,
): Promise<TiffDirectories> {
  const size = source.size;
  if (size === 0) {
    throw fail("the file is empty (0 bytes); expected a TIFF file");
  }
  if (size < 8) {
    throw fail(
      `the file is ${size} bytes long; a TIFF header alone takes 8 bytes`,
    );
  }
  const header = await source.readAt(0, Math.min(16, size));
  const mark = String.fromCharCode(header[0], header[1]);
  if (mark !== "II" && mark !== "MM") {
    throw fail(
      `not a TIFF file: expected the byte-order mark "II" or "MM" at byte 0, found ${
        showBytes(header)
      }`,
    );
  }
  const littleEndian = mark === "II";
  const headerView = viewOf(header);
  const version = headerView.getUint16(2, littleEndian);
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
  const reader = new FieldReader(littleEndian, bigTiff, fail);
  const countBytes = bigTiff ? 8 : 2;
  const entryBytes = bigTiff ? 20 : 12;

  const pages: TiffDirectory[] = [];
  const seen = new Set<number>();
  let offset = reader.offset(headerView, bigTiff ? 8 : 4, 0);
  while (offset !== 0) {
    const page = pages.length;
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
    seen.add(offset);
    const countView = viewOf(await source.readAt(offset, countBytes));
    const count = bigTiff
      ? reader.offset(countView, 0, offset)
      : countView.getUint16(0, littleEndian);
    const entriesAt = offset + countBytes;
    const end = entriesAt + count * entryBytes + reader.offsetBytes;
    if (end > size) {
      throw fail(
        `the file is truncated: IFD ${page} (${count} entries) spans bytes ${offset}..${end} but the file has ${size} bytes`,
      );
    }
    const entries = viewOf(await source.readAt(entriesAt, end - entriesAt));
    const tags = new Map<number, TagValues>();
    for (let entry = 0; entry < count; entry++) {
      const at = entry * entryBytes;
      const tag = entries.getUint16(at, littleEndian);
      const type = entries.getUint16(at + 2, littleEndian);
      if (!KNOWN_TAGS.has(tag) || FIELD_BYTES[type] === undefined) continue;
      const values = reader.offset(entries, at + 4, entriesAt);
      const byteLength = FIELD_BYTES[type] * values;
      const valueAt = at + (bigTiff ? 12 : 8);
      let data: DataView;
      let dataAt = entriesAt + valueAt;
      if (byteLength <= reader.offsetBytes) {
        data = new DataView(
          entries.buffer,
          entries.byteOffset + valueAt,
          byteLength,
        );
      } else {
        const from = reader.offset(entries, valueAt, entriesAt);
        if (from + byteLength > size) {
          throw fail(
            `the file is truncated: the ${
              tagName(tag)
            } values of IFD ${page} span bytes ${from}..${
              from + byteLength
            } but the file has ${size} bytes`,
          );
        }
        data = viewOf(await source.readAt(from, byteLength));
        dataAt = from;
      }
      tags.set(tag, reader.values(data, type, values, dataAt));
    }
    pages.push(tags);
    offset = reader.offset(
      entries,
      end - entriesAt - reader.offsetBytes,
      entriesAt,
    );
  }
  if (pages.length === 0) {
    throw fail("the file holds no image: its first IFD offset is 0");
  }
  return { littleEndian, bigTiff, pages };
}

/** The first value of a numeric tag, or undefined when the page lacks it. */
export function numberOf(
  directory: TiffDirectory,
  tag: number,
): number | undefined {
  const values = directory.get(tag);
  return typeof values === "object" && values.length > 0
    ? values[0]
    : undefined;
}

/** Every value of a numeric tag, or undefined when the page lacks it. */
export function numbersOf(
  directory: TiffDirectory,
  tag: number,
): readonly number[] | undefined {
  const values = directory.get(tag);
  return typeof values === "object" ? values : undefined;
}

/** The text of an ASCII tag, without its trailing NULs, or undefined when the page lacks it. */
export function textOf(
  directory: TiffDirectory,
  tag: number,
): string | undefined {
  const values = directory.get(tag);
  return typeof values === "string" ? values : undefined;
}

/** Decodes offsets, counts and values in the file's byte order and offset size. */
class FieldReader {
  readonly offsetBytes: number;
  constructor(
    readonly littleEndian: boolean,
    readonly bigTiff: boolean,
    readonly fail: Fail,
  ) {
    this.offsetBytes = bigTiff ? 8 : 4;
  }

  /** An offset or count (LONG, or LONG8 in BigTIFF) at `at`; `base` places `view` in the file for errors. */
  offset(view: DataView, at: number, base: number): number {
    return this.bigTiff
      ? this.uint64(view, at, base)
      : view.getUint32(at, this.littleEndian);
  }

  uint64(view: DataView, at: number, base: number): number {
    const value = view.getBigUint64(at, this.littleEndian);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw this.fail(
        `corrupt file: 64-bit value ${value} at byte ${base + at} is too large`,
      );
    }
    return Number(value);
  }

  /** `count` values of field `type` from `view`, which starts at byte `base` of the file. */
  values(
    view: DataView,
    type: number,
    count: number,
    base: number,
  ): TagValues {
    const little = this.littleEndian;
    if (type === FIELD.ASCII) {
      const text = new Uint8Array(view.buffer, view.byteOffset, count);
      return new TextDecoder().decode(text).replace(/\0+$/, "");
    }
    const values: number[] = [];
    for (let i = 0; i < count; i++) {
      switch (type) {
        case FIELD.SHORT:
          values.push(view.getUint16(2 * i, little));
          break;
        case FIELD.SSHORT:
          values.push(view.getInt16(2 * i, little));
          break;
        case FIELD.LONG:
        case FIELD.IFD:
          values.push(view.getUint32(4 * i, little));
          break;
        case FIELD.SLONG:
          values.push(view.getInt32(4 * i, little));
          break;
        case FIELD.RATIONAL:
          values.push(
            view.getUint32(8 * i, little),
            view.getUint32(8 * i + 4, little),
          );
          break;
        case FIELD.SRATIONAL:
          values.push(
            view.getInt32(8 * i, little),
            view.getInt32(8 * i + 4, little),
          );
          break;
        case FIELD.FLOAT:
          values.push(view.getFloat32(4 * i, little));
          break;
        case FIELD.DOUBLE:
          values.push(view.getFloat64(8 * i, little));
          break;
        case FIELD.LONG8:
        case FIELD.IFD8:
          values.push(this.uint64(view, 8 * i, base));
          break;
        case FIELD.SLONG8:
          values.push(Number(view.getBigInt64(8 * i, little)));
          break;
        case FIELD.SBYTE:
          values.push(view.getInt8(i));
          break;
        default: // BYTE, UNDEFINED
          values.push(view.getUint8(i));
      }
    }
    return values;
  }
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** The first bytes of a file as hex and printable text, e.g. `25 50 44 46 ("%PDF")`. */
function showBytes(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 4);
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, "0")).join(
    " ",
  );
  const text = Array.from(
    head,
    (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : "."),
  ).join("");
  return `${hex} (${JSON.stringify(text)})`;
}
