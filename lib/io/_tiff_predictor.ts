/**
 * Undoes the TIFF predictors applied before compression: horizontal
 * differencing (Predictor 2, TIFF 6.0 section 14) and the floating-point
 * predictor (Predictor 3, Adobe Photoshop TIFF Technical Note 3).
 *
 * @module
 */

/**
 * Whether `undoPredictor` handles `predictor` for these samples: 1 (none), 2
 * on 8, 16 or 32-bit samples, 3 on floats.
 */
export function canUndoPredictor(
  predictor: number,
  bitsPerSample: number,
  float: boolean,
): boolean {
  return predictor === 1 || (predictor === 2 && bitsPerSample <= 32) ||
    (predictor === 3 && float);
}

/**
 * Undoes `predictor` in place on a decompressed block whose rows hold
 * `rowSamples` samples of `bytesPerSample` bytes (at most 4 for predictor
 * 2; `block` aligned to them), interleaved by `stride`
 * samples per pixel. Predictor 2 works on samples already in native
 * (little-endian) order; predictor 3 takes the bytes as stored, in either
 * file byte order, and leaves native-order floats.
 */
export function undoPredictor(
  predictor: number,
  block: Uint8Array,
  rowSamples: number,
  stride: number,
  bytesPerSample: number,
): void {
  const rowBytes = rowSamples * bytesPerSample;
  const rows = Math.floor(block.length / rowBytes);
  if (predictor === 2) {
    const samples = sampleView(block, bytesPerSample, rows * rowSamples);
    for (let row = 0; row < rows; row++) {
      const end = (row + 1) * rowSamples;
      for (let at = row * rowSamples + stride; at < end; at++) {
        // Typed-array assignment wraps modulo 2^bits, as the predictor's sums do.
        samples[at] += samples[at - stride];
      }
    }
  } else if (predictor === 3) {
    const shuffled = new Uint8Array(rowBytes);
    for (let row = 0; row < rows; row++) {
      const bytes = block.subarray(row * rowBytes, (row + 1) * rowBytes);
      for (let at = stride; at < rowBytes; at++) {
        bytes[at] += bytes[at - stride];
      }
      // The row holds every sample's most significant byte, then the next, ...
      shuffled.set(bytes);
      for (let sample = 0; sample < rowSamples; sample++) {
        for (let byte = 0; byte < bytesPerSample; byte++) {
          bytes[sample * bytesPerSample + byte] =
            shuffled[(bytesPerSample - byte - 1) * rowSamples + sample];
        }
      }
    }
  }
}

function sampleView(
  block: Uint8Array,
  bytesPerSample: number,
  length: number,
): Uint8Array | Uint16Array | Uint32Array {
  const { buffer, byteOffset } = block;
  if (bytesPerSample === 1) return block.subarray(0, length);
  return bytesPerSample === 2
    ? new Uint16Array(buffer, byteOffset, length)
    : new Uint32Array(buffer, byteOffset, length);
}
