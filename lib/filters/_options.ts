/**
 * Private argument checks shared by the filters (and the structure tensor).
 *
 * @module
 */

import { argumentError } from "../_errors.ts";

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
  const expected =
    `a finite number >= 0 or a list of ${ndim} of them (one per axis)`;
  const ok = (s: unknown) =>
    typeof s === "number" && Number.isFinite(s) && s >= 0;
  if (typeof sigma === "number") {
    if (!ok(sigma)) throw argumentError(fn, "sigma", sigma, expected);
    return new Array<number>(ndim).fill(sigma);
  }
  if (
    (Array.isArray(sigma) || ArrayBuffer.isView(sigma)) &&
    (sigma as ArrayLike<unknown>).length === ndim &&
    Array.from(sigma as ArrayLike<unknown>).every(ok)
  ) {
    return Array.from(sigma as ArrayLike<number>);
  }
  throw argumentError(fn, "sigma", sigma, expected);
}

/** Throws unless `value` is a finite number. */
export function checkFinite(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw argumentError(fn, name, value, "a finite number");
  }
  return value;
}
