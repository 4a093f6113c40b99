/**
 * Private option checks shared by the structure-tensor functions.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { checkMode } from "../filters/_boundary.ts";
import { checkFinite, checkSigma } from "../filters/_options.ts";
import type { BoundaryMode } from "../filters/boundary_mode.ts";

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
  sigmas: number[];
  mode: BoundaryMode;
  cval: number;
  precision: Precision;
}

/**
 * Checks the options shared by the structure-tensor functions (sigma, mode,
 * cval, precision) for an image of `ndim` dimensions, with their defaults.
 */
export function checkTensorOptions(
  fn: string,
  options: {
    sigma?: number | readonly number[];
    mode?: BoundaryMode;
    cval?: number;
    precision?: Precision;
  },
  ndim: number,
): TensorSettings {
  const { sigma = 1, mode = "constant", cval = 0 } = options;
  const sigmas = checkSigma(fn, sigma, ndim);
  checkMode(fn, mode);
  checkFinite(fn, "cval", cval);
  return {
    sigmas,
    mode,
    cval,
    precision: checkPrecision(fn, options.precision),
  };
}
