/**
 * A minimal zip writer (PKWARE APPNOTE 6.3: local headers, deflated data,
 * central directory; no zip64, so each file and the archive stay under
 * 4 GiB) for the gallery's "download all examples" archive.
 *
 * @module
 */

import { crc32, deflateRawSync } from "node:zlib";

/** One file of an archive. */
export interface ZipEntry {
  /** Path inside the archive, `/`-separated. */
  readonly name: string;
  readonly data: Uint8Array;
}

// 1980-01-01 00:00 in MS-DOS date/time: a fixed stamp, so equal inputs give equal archives.
const DOS_TIME = 0;
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const UTF8_NAMES = 1 << 11;

/**
 * The zip archive of `entries`, each deflated (or stored when deflating does
 * not make it smaller), with UTF-8 names and a fixed timestamp.
 *
 * @throws {RangeError} when a name is empty, absolute or repeated, or the archive would need zip64.
 *
 * @example
 * ```ts
 * import { zipArchive } from "./_zip.ts";
 *
 * const text = new TextEncoder().encode("hello ".repeat(100));
 * const zip = zipArchive([{ name: "a/hello.txt", data: text }]);
 * // Local file header signature "PK\x03\x04", end of central directory "PK\x05\x06".
 * if (zip[0] !== 0x50 || zip.length >= text.length) throw new Error("not a smaller zip");
 * console.log(zip[0] === 0x50 && zip[1] === 0x4b && zip[2] === 3, zip.length < text.length); // true true
 * ```
 */
export function zipArchive(entries: readonly ZipEntry[]): Uint8Array {
  if (entries.length > 0xffff) {
    throw new RangeError("zip archive of more than 65535 files needs zip64");
  }
  const encoder = new TextEncoder();
  const seen = new Set<string>();
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (const entry of entries) {
    if (
      entry.name === "" || entry.name.startsWith("/") || seen.has(entry.name)
    ) {
      throw new RangeError(
        `zip entry name must be non-empty, relative and unique, got ${
          JSON.stringify(entry.name)
        }`,
      );
    }
    seen.add(entry.name);
    const name = encoder.encode(entry.name);
    const deflated = deflateRawSync(entry.data);
    const stored = deflated.length >= entry.data.length;
    const body = stored ? entry.data : new Uint8Array(deflated);
    const crc = crc32(entry.data) >>> 0;
    if (offset + 30 + name.length + body.length > 0xffffffff) {
      throw new RangeError("zip archive larger than 4 GiB needs zip64");
    }
    const fields = (header: DataView, at: number) => {
      header.setUint16(at, 20, true); // version needed: 2.0 (deflate)
      header.setUint16(at + 2, UTF8_NAMES, true);
      header.setUint16(at + 4, stored ? 0 : 8, true);
      header.setUint16(at + 6, DOS_TIME, true);
      header.setUint16(at + 8, DOS_DATE, true);
      header.setUint32(at + 10, crc, true);
      header.setUint32(at + 14, body.length, true);
      header.setUint32(at + 18, entry.data.length, true);
      header.setUint16(at + 22, name.length, true);
    };
    const local = new Uint8Array(30 + name.length + body.length);
    const localView = new DataView(local.buffer);
    localView.setUint32(0, 0x04034b50, true);
    fields(localView, 4);
    local.set(name, 30);
    local.set(body, 30 + name.length);
    const central = new Uint8Array(46 + name.length);
    const centralView = new DataView(central.buffer);
    centralView.setUint32(0, 0x02014b50, true);
    centralView.setUint16(4, 20, true); // made by: version 2.0
    fields(centralView, 6);
    centralView.setUint32(42, offset, true);
    central.set(name, 46);
    locals.push(local);
    centrals.push(central);
    offset += local.length;
  }
  const directorySize = centrals.reduce((sum, c) => sum + c.length, 0);
  const end = new Uint8Array(22);
  const endView = new DataView(end.buffer);
  endView.setUint32(0, 0x06054b50, true);
  endView.setUint16(8, entries.length, true);
  endView.setUint16(10, entries.length, true);
  endView.setUint32(12, directorySize, true);
  endView.setUint32(16, offset, true);
  const archive = new Uint8Array(offset + directorySize + end.length);
  let at = 0;
  for (const part of [...locals, ...centrals, end]) {
    archive.set(part, at);
    at += part.length;
  }
  return archive;
}
