/**
 * Private option checks shared by the structure-tensor functions.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";

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
