/**
 * Private: how many threads a kernel uses, and buffers that worker threads
 * can share.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { bufferOf } from "./_shared_buffers.ts";

/** At most this many threads by default: beyond it memory bandwidth, not cores, limits. */
export const MAX_DEFAULT_THREADS = 8;
/** Below this many voxels the work is shorter than starting a worker (a few ms). */
export const PARALLEL_MIN_VOXELS = 1 << 17;

/**
 * Resolves the `threads` option: a positive integer as given, or by default
 * the number of logical cores (at most 8), and 1 for small inputs.
 */
export function resolveThreads(
  fn: string,
  threads: unknown,
  voxels: number,
): number {
  if (threads === undefined) {
    if (voxels < PARALLEL_MIN_VOXELS) return 1;
    const cores = globalThis.navigator?.hardwareConcurrency ?? 1;
    return Math.max(1, Math.min(cores, MAX_DEFAULT_THREADS));
  }
  if (
    typeof threads !== "number" || !Number.isInteger(threads) || threads < 1
  ) {
    throw argumentError(
      fn,
      "threads",
      threads,
      "a positive integer (1: no worker threads)",
    );
  }
  return threads;
}

/** A float array of `length`, in a SharedArrayBuffer when `shared` (for worker threads; see `sharedBuffer`). */
export function floatArray(
  length: number,
  float32: boolean,
  shared: boolean,
): Float64Array | Float32Array {
  const bytes = length * (float32 ? 4 : 8);
  const buffer = bufferOf(bytes, shared);
  return float32
    ? new Float32Array(buffer, 0, length)
    : new Float64Array(buffer, 0, length);
}

/**
 * `values` if they are a float array in a SharedArrayBuffer, else a copy in
 * one (float32 if they are, else float64), for worker threads to read.
 */
export function sharedFloats(
  values: ArrayLike<number>,
): Float64Array | Float32Array {
  const float32 = values instanceof Float32Array;
  if (
    (float32 || values instanceof Float64Array) &&
    values.buffer instanceof SharedArrayBuffer
  ) {
    return values;
  }
  const copy = floatArray(values.length, float32, true);
  copy.set(values);
  return copy;
}
