/**
 * What the comparison scripts share: the raw files their subprocesses
 * exchange (uint16 volumes in, float64 results out), the warm-up before a
 * timed run, the median of runs, and the alternation of timed subprocesses.
 *
 * @module
 */

import { type NdArray, ndarray } from "../lib/deps.ts";
import { PARALLEL_MIN_VOXELS } from "../lib/parallel/_threads.ts";

/**
 * The volume a timed subprocess computes first: it warms the JIT (scikit-image's
 * compiled code needs no warming) and, as large as `PARALLEL_MIN_VOXELS`, it
 * runs on every thread, so the worker pool is up before the timed run, as in
 * any session after its first call (a cold pool adds about 55 ms, measured).
 */
export const WARM_UP_SHAPE: readonly number[] = [
  8,
  128,
  PARALLEL_MIN_VOXELS / 1024,
];

/** The median of `values` (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A raw little-endian uint16 volume of `shape`. */
export function readRawVolume(
  path: string,
  shape: number[],
): NdArray<Uint16Array> {
  const bytes = Deno.readFileSync(path);
  return ndarray(
    new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2),
    shape,
  );
}

/** A raw little-endian float64 file. */
export function readFloat64(path: string): Float64Array {
  const bytes = Deno.readFileSync(path);
  return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 8);
}

/**
 * Runs `runs` rounds of one subprocess per side (`sides[name](round)` starts
 * it), the sides in turn, the order reversed every other round so that no
 * side always runs first after another's allocations; returns each side's
 * results in round order. One timed run per process: each starts from a
 * fresh heap and its peak memory is its own.
 */
export async function alternateRuns<T>(
  runs: number,
  sides: Record<string, (round: number) => Promise<T>>,
): Promise<Record<string, T[]>> {
  const names = Object.keys(sides);
  const results: Record<string, T[]> = Object.fromEntries(
    names.map((name) => [name, []]),
  );
  for (let round = 0; round < runs; round++) {
    const order = round % 2 === 0 ? names : [...names].reverse();
    for (const name of order) results[name].push(await sides[name](round));
  }
  return results;
}
