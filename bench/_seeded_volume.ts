/**
 * The seeded 12-bit test volume that the benchmarks and the scikit-image
 * comparison share, so their numbers describe the same input.
 *
 * @module
 */

import { type NdArray, ndarray } from "../lib/deps.ts";

/** A seeded Z, Y, X uint16 volume with smooth structure and noise, like a confocal stack. */
export function seededVolume(shape: readonly number[]): NdArray<Uint16Array> {
  const [planes, rows, cols] = shape;
  const data = new Uint16Array(planes * rows * cols);
  let state = 20261124;
  let i = 0;
  for (let z = 0; z < planes; z++) {
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++, i++) {
        state = (state * 1664525 + 1013904223) >>> 0;
        const structure = 1500 +
          1200 * Math.sin(x / 9 + z / 3) * Math.cos(y / 13);
        data[i] = Math.max(
          0,
          Math.min(4095, Math.round(structure + (state >>> 24) * 4)),
        );
      }
    }
  }
  return ndarray(data, [...shape]);
}
