/**
 * Copies the uncompressed strips of one page straight into the output bytes,
 * swapping big-endian samples in place: the common layout of microscopy stacks
 * (ImageJ and tifffile write it by default), about ten times faster than
 * decoding sample by sample.
 *
 * @module
 */

/** What the copy needs to know about the page. */
export interface StripLayout {
  width: number;
  height: number;
  samplesPerPixel: number;
  bytesPerSample: number;
  /** Samples stored as separate planes (PlanarConfiguration 2). */
  planar: boolean;
  rowsPerStrip: number;
  offsets: ArrayLike<number>;
  byteCounts: ArrayLike<number>;
}

/**
 * Fills `target` (the page's values in native little-endian byte order, YXS or
 * SYX) from the strips of `file`; `fail` builds the error for a short strip.
 */
export function copyUncompressedStrips(
  file: Uint8Array,
  littleEndian: boolean,
  layout: StripLayout,
  target: Uint8Array,
  fail: (message: string) => Error,
): void {
  const { width, height, samplesPerPixel, bytesPerSample, planar } = layout;
  const rowsPerStrip = Math.min(layout.rowsPerStrip, height);
  const stripsPerPlane = Math.ceil(height / rowsPerStrip);
  const planes = planar ? samplesPerPixel : 1;
  const rowBytes = width * (planar ? 1 : samplesPerPixel) * bytesPerSample;
  const expectedStrips = planes * stripsPerPlane;
  if (layout.offsets.length !== expectedStrips) {
    throw fail(
      `expected ${expectedStrips} strips of ${rowsPerStrip} rows, found ${layout.offsets.length}`,
    );
  }
  for (let plane = 0; plane < planes; plane++) {
    for (let strip = 0; strip < stripsPerPlane; strip++) {
      const index = plane * stripsPerPlane + strip;
      const rows = Math.min(rowsPerStrip, height - strip * rowsPerStrip);
      const bytes = rows * rowBytes;
      if (layout.byteCounts[index] < bytes) {
        throw fail(
          `strip ${index} holds ${
            layout.byteCounts[index]
          } bytes, expected ${bytes} for ${rows} rows`,
        );
      }
      const from = Number(layout.offsets[index]);
      target.set(
        file.subarray(from, from + bytes),
        plane * height * rowBytes + strip * rowsPerStrip * rowBytes,
      );
    }
  }
  if (!littleEndian && bytesPerSample > 1) swapBytes(target, bytesPerSample);
}

/** Reverses the byte order of each `width`-byte sample of `bytes`, in place. */
export function swapBytes(bytes: Uint8Array, width: number): void {
  for (let at = 0; at < bytes.length; at += width) {
    for (let low = at, high = at + width - 1; low < high; low++, high--) {
      const byte = bytes[low];
      bytes[low] = bytes[high];
      bytes[high] = byte;
    }
  }
}
