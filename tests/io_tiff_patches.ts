/**
 * Test helper: patches TIFFs (either byte order, classic or BigTIFF) to make
 * damaged or self-contradicting files, and says where their pixel blocks lie.
 * It walks well-formed files only: the originals, before any damage.
 *
 * @module
 */

/** One IFD entry of a file: where it lies and what it says. */
export interface IfdEntry {
  /** Index of the IFD (page) holding the entry. */
  page: number;
  tag: number;
  type: number;
  count: number;
  /** Byte offset of the entry's type field. */
  typeAt: number;
  /** Byte offset of the entry's count field. */
  countAt: number;
  /** Byte offset of the entry's value-or-offset field. */
  valueAt: number;
}

/** The layout of a well-formed TIFF's header and IFD chain. */
export interface TiffMap {
  littleEndian: boolean;
  bigTiff: boolean;
  /** Byte offset of every IFD. */
  ifds: number[];
  /** Byte offset of each IFD's link to the next IFD. */
  nextAt: number[];
  entries: IfdEntry[];
}

/** Byte offset of every IFD of a TIFF. */
export function ifdOffsets(bytes: Uint8Array): number[] {
  return mapTiff(bytes).ifds;
}

/** The header, IFDs and entries of a well-formed TIFF. */
export function mapTiff(bytes: Uint8Array): TiffMap {
  const view = viewOf(bytes);
  const littleEndian = bytes[0] === 0x49;
  const bigTiff = view.getUint16(2, littleEndian) === 43;
  const offsetAt = (at: number) =>
    readOffset(view, { littleEndian, bigTiff }, at);
  const map: TiffMap = {
    littleEndian,
    bigTiff,
    ifds: [],
    nextAt: [],
    entries: [],
  };
  const entryBytes = bigTiff ? 20 : 12;
  for (let at = offsetAt(bigTiff ? 8 : 4); at !== 0;) {
    const count = bigTiff ? offsetAt(at) : view.getUint16(at, littleEndian);
    const first = at + (bigTiff ? 8 : 2);
    for (let entry = 0; entry < count; entry++) {
      const entryAt = first + entryBytes * entry;
      map.entries.push({
        page: map.ifds.length,
        tag: view.getUint16(entryAt, littleEndian),
        type: view.getUint16(entryAt + 2, littleEndian),
        count: offsetAt(entryAt + 4),
        typeAt: entryAt + 2,
        countAt: entryAt + 4,
        valueAt: entryAt + (bigTiff ? 12 : 8),
      });
    }
    map.ifds.push(at);
    const nextAt = first + entryBytes * count;
    map.nextAt.push(nextAt);
    at = offsetAt(nextAt);
  }
  return map;
}

/** The integer values (BYTE, SHORT, LONG or LONG8) of `entry`. */
export function entryValues(
  bytes: Uint8Array,
  map: TiffMap,
  entry: IfdEntry,
): number[] {
  const view = viewOf(bytes);
  const width = { 1: 1, 3: 2, 4: 4, 16: 8 }[entry.type];
  if (width === undefined) {
    throw new Error(`tag ${entry.tag} has field type ${entry.type}`);
  }
  const inline = entry.count * width <= (map.bigTiff ? 8 : 4);
  const from = inline ? entry.valueAt : readOffset(view, map, entry.valueAt);
  return Array.from({ length: entry.count }, (_, i) => {
    const at = from + i * width;
    switch (width) {
      case 1:
        return view.getUint8(at);
      case 2:
        return view.getUint16(at, map.littleEndian);
      case 4:
        return view.getUint32(at, map.littleEndian);
      default:
        return Number(view.getBigUint64(at, map.littleEndian));
    }
  });
}

/** The [start, end) byte ranges of every strip and tile of a well-formed TIFF. */
export function blockRanges(bytes: Uint8Array): [number, number][] {
  const map = mapTiff(bytes);
  const ranges: [number, number][] = [];
  for (const [offsetsTag, countsTag] of [[273, 279], [324, 325]]) {
    for (const offsets of map.entries.filter((e) => e.tag === offsetsTag)) {
      const counts = map.entries.find((e) =>
        e.tag === countsTag && e.page === offsets.page
      );
      if (counts === undefined) continue;
      const starts = entryValues(bytes, map, offsets);
      const lengths = entryValues(bytes, map, counts);
      starts.forEach((start, i) => ranges.push([start, start + lengths[i]]));
    }
  }
  return ranges;
}

/** Writes `value` as the file's offset (LONG, or LONG8 in BigTIFF) at byte `at`. */
export function writeOffset(
  bytes: Uint8Array,
  map: Pick<TiffMap, "littleEndian" | "bigTiff">,
  at: number,
  value: number,
): void {
  const view = viewOf(bytes);
  if (map.bigTiff) view.setBigUint64(at, BigInt(value), map.littleEndian);
  else view.setUint32(at, value, map.littleEndian);
}

/** A copy of `bytes` with the (inline, first) SHORT, LONG or LONG8 value of `tag` in IFD `page` set to `value`. */
export function patchTag(
  bytes: Uint8Array,
  page: number,
  tag: number,
  value: number,
): Uint8Array {
  const patched = bytes.slice();
  const map = mapTiff(patched);
  const entry = map.entries.find((e) => e.page === page && e.tag === tag);
  if (entry === undefined) throw new Error(`tag ${tag} not in IFD ${page}`);
  const view = viewOf(patched);
  if (entry.type === 3) view.setUint16(entry.valueAt, value, map.littleEndian);
  else if (entry.type === 16) {
    view.setBigUint64(entry.valueAt, BigInt(value), map.littleEndian);
  } else view.setUint32(entry.valueAt, value, map.littleEndian);
  return patched;
}

/** A copy of `bytes` with the field type of `tag` in IFD `page` set to `type`. */
export function patchType(
  bytes: Uint8Array,
  page: number,
  tag: number,
  type: number,
): Uint8Array {
  const patched = bytes.slice();
  const map = mapTiff(patched);
  const entry = map.entries.find((e) => e.page === page && e.tag === tag);
  if (entry === undefined) throw new Error(`tag ${tag} not in IFD ${page}`);
  viewOf(patched).setUint16(entry.typeAt, type, map.littleEndian);
  return patched;
}

/** A copy of `bytes` with the value count of `tag` in IFD `page` set to `count`. */
export function patchCount(
  bytes: Uint8Array,
  page: number,
  tag: number,
  count: number,
): Uint8Array {
  const patched = bytes.slice();
  const map = mapTiff(patched);
  const entry = map.entries.find((e) => e.page === page && e.tag === tag);
  if (entry === undefined) throw new Error(`tag ${tag} not in IFD ${page}`);
  writeOffset(patched, map, entry.countAt, count);
  return patched;
}

function readOffset(
  view: DataView,
  map: Pick<TiffMap, "littleEndian" | "bigTiff">,
  at: number,
): number {
  return map.bigTiff
    ? Number(view.getBigUint64(at, map.littleEndian))
    : view.getUint32(at, map.littleEndian);
}

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
