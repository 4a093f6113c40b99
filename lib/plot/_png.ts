/**
 * A minimal PNG encoder (8-bit RGBA, no interlace) for the images embedded in
 * figures: zlib from `node:zlib`, CRC-32 as in the PNG specification (ISO/IEC
 * 15948, annex D).
 *
 * @module
 */

import { deflateSync } from "node:zlib";

const CRC_TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) {
    c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  }
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + payload.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, payload.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(payload, 8);
  view.setUint32(
    8 + payload.length,
    crc32(out.subarray(4, 8 + payload.length)),
  );
  return out;
}

/**
 * Encodes `width * height` RGBA pixels (row-major, 4 bytes each) as a PNG file.
 *
 * @example
 * ```ts
 * import { encodePng } from "./_png.ts";
 * const png = encodePng(new Uint8Array([255, 0, 0, 255]), 1, 1);
 * const signature = new TextDecoder().decode(png.subarray(1, 4));
 * if (signature !== "PNG") throw new Error(signature);
 * console.log(signature); // PNG
 * ```
 */
export function encodePng(
  rgba: Uint8Array,
  width: number,
  height: number,
): Uint8Array {
  const header = new Uint8Array(13);
  const headerView = new DataView(header.buffer);
  headerView.setUint32(0, width);
  headerView.setUint32(4, height);
  header[8] = 8; // bit depth
  header[9] = 6; // color type RGBA
  // Each scanline starts with filter type 0 (none); zlib does the compressing.
  const rowBytes = width * 4;
  const raw = new Uint8Array(height * (rowBytes + 1));
  for (let row = 0; row < height; row++) {
    raw.set(
      rgba.subarray(row * rowBytes, (row + 1) * rowBytes),
      row * (rowBytes + 1) + 1,
    );
  }
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", new Uint8Array(deflateSync(raw))),
    chunk("IEND", new Uint8Array(0)),
  ];
  const out = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * Encodes RGBA pixels as a `data:image/png;base64,...` URI for an SVG `<image>`.
 *
 * @example
 * ```ts
 * import { pngDataUri } from "./_png.ts";
 * const isPng = pngDataUri(new Uint8Array(4), 1, 1).startsWith("data:image/png;base64,iVBOR");
 * if (!isPng) throw new Error("not a PNG data URI");
 * console.log(isPng); // true
 * ```
 */
export function pngDataUri(
  rgba: Uint8Array,
  width: number,
  height: number,
): string {
  return `data:image/png;base64,${toBase64(encodePng(rgba, width, height))}`;
}

/**
 * Base64 of bytes, in chunks so that large images do not overflow the call stack.
 *
 * @example
 * ```ts
 * import { toBase64 } from "./_png.ts";
 * const encoded = toBase64(new TextEncoder().encode("stria"));
 * if (encoded !== "c3RyaWE=") throw new Error(encoded);
 * console.log(encoded); // c3RyaWE=
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  const step = 0x8000;
  for (let i = 0; i < bytes.length; i += step) {
    binary += String.fromCharCode(...bytes.subarray(i, i + step));
  }
  return btoa(binary);
}
