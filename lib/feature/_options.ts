/**
 * Private option checks shared by the structure-tensor functions.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { checkOptionsObject } from "../_options_object.ts";
import { checkMode } from "../filters/_boundary.ts";
import {
  checkFinite,
  checkKernelSize,
  checkPerAxis,
  checkSigma,
} from "../filters/_options.ts";
import type { BoundaryMode } from "../filters/boundary_mode.ts";
import type { TensorWindowOptions } from "./tensor_window_options.ts";

/** Numeric precision of the stored intermediate and output arrays. */
export type Precision = "float64" | "float32";

/** Returns the precision option, default `"float64"`. */
export function checkPrecision(fn: string, precision: unknown): Precision {
  if (precision === undefined) return "float64";
  if (precision !== "float64" && precision !== "float32") {
    throw argumentError(fn, "precision", precision, `"float64" or "float32"`);
  }
  return precision;
}

/** The structure tensor's options, checked: the settings every path computes with. */
export interface TensorSettings {
  /** The Gaussian's sigma along each axis, in voxels. */
  sigmas: number[];
  /** A voxel's physical size along each axis, or null: sizes of 1, results as scikit-image's. */
  spacing: number[] | null;
  mode: BoundaryMode;
  cval: number;
  precision: Precision;
}

/** The keys of `TensorWindowOptions`, with `precision`, which every tensor function takes. */
const TENSOR_KEYS = ["sigma", "spacing", "mode", "cval", "precision"] as const;

/**
 * scikit-image's `structure_tensor` smooths with SciPy's default truncate:
 * kernels of radius `trunc(4·sigma + 0.5)`.
 */
export const TENSOR_TRUNCATE = 4;

/**
 * Checks a structure-tensor function's options object: a plain object whose
 * keys are the shared ones (sigma, spacing, mode, cval, precision) or
 * `otherKeys` (the function's own, which it checks), then the shared options
 * for an image of `ndim` dimensions, with their defaults, and that their
 * Gaussian kernels can be allocated. With `spacing`, sigma is in the same
 * physical units and is returned in voxels: `sigma[a] / spacing[a]`.
 */
export function checkTensorOptions(
  fn: string,
  options: TensorWindowOptions & { precision?: Precision },
  ndim: number,
  otherKeys: readonly string[],
): TensorSettings {
  checkOptionsObject(fn, options, [...TENSOR_KEYS, ...otherKeys]);
  const { sigma = 1, mode = "constant", cval = 0 } = options;
  const physical = checkSigma(fn, sigma, ndim);
  const spacing = options.spacing === undefined
    ? null
    : checkPerAxis(fn, "spacing", options.spacing, ndim, true);
  checkMode(fn, mode);
  checkFinite(fn, "cval", cval);
  const sigmas = spacing === null
    ? physical
    : physical.map((s, axis) => s / spacing[axis]);
  checkKernelSize(
    fn,
    sigmas,
    TENSOR_TRUNCATE,
    spacing === null ? "sigma" : "sigma / spacing",
  );
  return {
    sigmas,
    spacing,
    mode,
    cval,
    precision: checkPrecision(fn, options.precision),
  };
}
