/**
 * Private argument checks shared by the filters (and the structure tensor).
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { gaussianRadius } from "./_gaussian.ts";

/** Returns `axis` if it is an integer in [0, ndim) (negative counts from the end). */
export function checkAxis(fn: string, axis: unknown, ndim: number): number {
  if (
    typeof axis !== "number" || !Number.isInteger(axis) || axis < -ndim ||
    axis >= ndim
  ) {
    throw argumentError(
      fn,
      "axis",
      axis,
      `an integer in [${-ndim}, ${ndim - 1}] for a ${ndim}-D image`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/** Returns one sigma per axis from a scalar or a list; each finite and >= 0. */
export function checkSigma(fn: string, sigma: unknown, ndim: number): number[] {
  return checkPerAxis(fn, "sigma", sigma, ndim, false);
}

/**
 * One number for all `ndim` axes, or a list of one per axis; each finite and
 * `> 0` when `positive`, else `>= 0`. Returns one per axis.
 */
export function checkPerAxis(
  fn: string,
  name: string,
  value: unknown,
  ndim: number,
  positive: boolean,
): number[] {
  const expected = `a finite number ${
    positive ? "> 0" : ">= 0"
  } or a list of ${ndim} of them (one per axis)`;
  const ok = (s: unknown) =>
    typeof s === "number" && Number.isFinite(s) && (positive ? s > 0 : s >= 0);
  if (typeof value === "number") {
    if (!ok(value)) throw argumentError(fn, name, value, expected);
    return new Array<number>(ndim).fill(value);
  }
  if (
    (Array.isArray(value) || ArrayBuffer.isView(value)) &&
    (value as ArrayLike<unknown>).length === ndim &&
    Array.from(value as ArrayLike<unknown>).every(ok)
  ) {
    return Array.from(value as ArrayLike<number>);
  }
  throw argumentError(fn, name, value, expected);
}

/** Throws unless `value` is a finite number. */
export function checkFinite(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw argumentError(fn, name, value, "a finite number");
  }
  return value;
}

/**
 * Most taps a Gaussian kernel may have: a radius of 2^23 voxels (sigma about
 * 2·10^6 at truncate 4), 128 MB of weights, and as many operations per voxel.
 */
const MAX_KERNEL_TAPS = 2 ** 24 + 1;

/**
 * Throws unless the Gaussian of every axis's sigma (in voxels) and
 * `truncate` has at most `MAX_KERNEL_TAPS` taps, before anything is
 * allocated. `name` is the option the sigma came from (`sigma`, or
 * `sigma / spacing`).
 */
export function checkKernelSize(
  fn: string,
  sigmas: readonly number[],
  truncate: number,
  name = "sigma",
): void {
  sigmas.forEach((sigma, axis) => {
    const taps = 2 * gaussianRadius(sigma, truncate) + 1;
    if (!(taps <= MAX_KERNEL_TAPS)) {
      throw new RangeError(
        `${fn}: ${name} ${sigma} along axis ${axis} with truncate ${truncate} gives a kernel of ${taps} taps, more than ${MAX_KERNEL_TAPS} (a radius of ${
          (MAX_KERNEL_TAPS - 1) / 2
        } voxels)`,
      );
    }
  });
}
