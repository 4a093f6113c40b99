/**
 * Test helper: patches little-endian classic TIFFs (as encodeTiff writes them)
 * to make damaged or self-contradicting files.
 *
 * @module
 */

/** Byte offsets of every IFD of a little-endian classic TIFF. */
export function ifdOffsets(bytes: Uint8Array): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const offsets: number[] = [];
  for (
    let at = view.getUint32(4, true);
    at !== 0;
    at = view.getUint32(at + 2 + 12 * view.getUint16(at, true), true)
  ) {
    offsets.push(at);
  }
  return offsets;
}

/** A copy of `bytes` with the (inline) value of `tag` in IFD `page` set to `value`. */
export function patchTag(
  bytes: Uint8Array,
  page: number,
  tag: number,
  value: number,
): Uint8Array {
  const patched = bytes.slice();
  const view = new DataView(patched.buffer);
  const at = ifdOffsets(patched)[page];
  for (let entry = 0; entry < view.getUint16(at, true); entry++) {
    const entryAt = at + 2 + 12 * entry;
    if (view.getUint16(entryAt, true) !== tag) continue;
    if (view.getUint16(entryAt + 2, true) === 3) {
      view.setUint16(entryAt + 8, value, true);
    } else view.setUint32(entryAt + 8, value, true);
    return patched;
  }
  throw new Error(`tag ${tag} not in IFD ${page}`);
}
