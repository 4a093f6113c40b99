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
import {
  BIGTIFF_ONLY_FIELDS,
  FIELD,
  FIELD_BYTES,
  fieldName,
  SIGNED_FIELDS,
  SINGLE_VALUED_TAGS,
  TAG,
  TAG_FIELDS,
  tagName,
} from "./_tiff_tags.ts";

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

/** Byte range [start, end) of a part of the file, and its name for errors. */
interface Part {
  start: number;
  end: number;
  name: string;
}

/**
 * Reads the header and every IFD of `source`; `fail` builds errors naming the
 * function and the file. Besides truncation and loops, it refuses IFDs that
 * overlap the header or each other, known tags of a field type or value count
 * they cannot have, and strips or tiles that lie outside the file or over its
 * header, IFDs or tag values: whatever a page then says about its pixels
 * points into the file's pixel data.
 */
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
  const header = await source.readAt(0, Math.min(16, size), "the header");
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
  const headerBytes = bigTiff ? 16 : 8;
  const countBytes = bigTiff ? 8 : 2;
  const entryBytes = bigTiff ? 20 : 12;

  const pages: TiffDirectory[] = [];
  const seen = new Set<number>();
  const ifds: Part[] = [{ start: 0, end: headerBytes, name: "the header" }];
  const values: Part[] = [];
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
    if (offset < headerBytes) {
      throw fail(
        `corrupt file: IFD ${page} should start at byte offset ${offset}, inside the ${headerBytes}-byte header`,
      );
    }
    if (offset + countBytes > size) {
      throw fail(
        `the file is truncated: IFD ${page} should start at byte offset ${offset} but the file has ${size} bytes`,
      );
    }
    seen.add(offset);
    const countView = viewOf(
      await source.readAt(offset, countBytes, `the entry count of IFD ${page}`),
    );
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
    insertApart(ifds, { start: offset, end, name: `IFD ${page}` }, fail);
    const entries = viewOf(
      await source.readAt(entriesAt, end - entriesAt, `IFD ${page}`),
    );
    const tags = new Map<number, TagValues>();
    for (let entry = 0; entry < count; entry++) {
      const at = entry * entryBytes;
      const tag = entries.getUint16(at, littleEndian);
      if (!KNOWN_TAGS.has(tag)) continue;
      const type = entries.getUint16(at + 2, littleEndian);
      const name = `the ${tagName(tag)} entry of IFD ${page}`;
      if (tags.has(tag)) {
        throw fail(`corrupt file: IFD ${page} has two ${tagName(tag)} entries`);
      }
      const allowed = TAG_FIELDS[tag].filter((field) =>
        bigTiff || !BIGTIFF_ONLY_FIELDS.has(field)
      );
      if (!allowed.includes(type)) {
        throw fail(
          `corrupt file: ${name} has field type ${type}; expected ${
            allowed.map(fieldName).join(" or ")
          }`,
        );
      }
      const valueCount = reader.offset(entries, at + 4, entriesAt);
      const expectedCount = SINGLE_VALUED_TAGS.has(tag) ? "1" : "at least 1";
      if (
        SINGLE_VALUED_TAGS.has(tag)
          ? valueCount !== 1
          : valueCount === 0 && type !== FIELD.ASCII
      ) {
        throw fail(
          `corrupt file: ${name} holds ${valueCount} values; expected ${expectedCount}`,
        );
      }
      const byteLength = FIELD_BYTES[type] * valueCount;
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
        values.push({
          start: from,
          end: from + byteLength,
          name: `the ${tagName(tag)} values of IFD ${page}`,
        });
        data = viewOf(
          await source.readAt(
            from,
            byteLength,
            `the ${tagName(tag)} values of IFD ${page}`,
          ),
        );
        dataAt = from;
      }
      const read = reader.values(data, type, valueCount, dataAt);
      if (SIGNED_FIELDS.has(type) && (read as number[]).some((v) => v < 0)) {
        throw fail(
          `corrupt file: ${name} holds the negative value ${
            (read as number[]).find((v) => v < 0)
          }; expected a size, count, offset or code`,
        );
      }
      tags.set(tag, read);
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
  const blocks = pages.flatMap((directory, page) =>
    blocksOf(directory, page, size, fail)
  );
  // Pages may share tag values or blocks (the same bytes), never overlap
  // them otherwise: a strip moved into the header, an IFD, tag values or
  // another strip is refused, not read as pixels.
  checkApart([...ifds, ...unique(values), ...unique(blocks)], fail);
  return { littleEndian, bigTiff, pages };
}

/** The strips and tiles of page `page` that hold bytes; throws if one lies past the end of the file. */
function blocksOf(
  directory: TiffDirectory,
  page: number,
  size: number,
  fail: Fail,
): Part[] {
  const blocks: Part[] = [];
  for (
    const [kind, offsetsTag, countsTag] of [
      ["strip", TAG.StripOffsets, TAG.StripByteCounts],
      ["tile", TAG.TileOffsets, TAG.TileByteCounts],
    ] as const
  ) {
    const offsets = numbersOf(directory, offsetsTag) ?? [];
    const byteCounts = numbersOf(directory, countsTag) ?? [];
    const count = Math.min(offsets.length, byteCounts.length);
    for (let block = 0; block < count; block++) {
      const start = offsets[block];
      const end = start + byteCounts[block];
      const name = `page ${page} ${kind} ${block}`;
      if (end > size) {
        throw fail(
          `the file is truncated: ${name} spans bytes ${start}..${end} but the file has ${size} bytes`,
        );
      }
      if (end > start) blocks.push({ start, end, name });
    }
  }
  return blocks;
}

/** One part per byte range: the first named. */
function unique(parts: readonly Part[]): Part[] {
  const byRange = new Map<string, Part>();
  for (const part of parts) {
    const range = `${part.start}..${part.end}`;
    if (!byRange.has(range)) byRange.set(range, part);
  }
  return [...byRange.values()];
}

/**
 * Inserts `part` into `sorted`, parts sorted by start that do not overlap,
 * or throws naming the part it overlaps: at once, so that a chain of
 * overlapping IFDs stops at the first and all IFDs read fit in the file.
 */
function insertApart(sorted: Part[], part: Part, fail: Fail): void {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle].start < part.start) low = middle + 1;
    else high = middle;
  }
  const before = sorted[low - 1];
  const after = sorted[low];
  if (before !== undefined && before.end > part.start) {
    throw fail(overlap(part, before));
  }
  if (after !== undefined && after.start < part.end) {
    throw fail(overlap(part, after));
  }
  sorted.splice(low, 0, part);
}

/** Throws when two of `parts` overlap, naming both. */
function checkApart(parts: readonly Part[], fail: Fail): void {
  const sorted = [...parts].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i].start < sorted[i - 1].end) {
      throw fail(overlap(sorted[i], sorted[i - 1]));
    }
  }
}

/** The message for two overlapping parts, the one that starts first (or ends first) first. */
function overlap(part: Part, other: Part): string {
  const [first, second] = [part, other].sort((a, b) =>
    a.start - b.start || a.end - b.end
  );
  return `corrupt file: ${first.name} (bytes ${first.start}..${first.end}) and ${second.name} (bytes ${second.start}..${second.end}) overlap`;
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
