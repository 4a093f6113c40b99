/**
 * Private boundary handling: validation of mode names and the source index of
 * every padded position, computed once per pass (not per sample).
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { BoundaryMode } from "./boundary_mode.ts";

const MODES: readonly BoundaryMode[] = [
  "reflect",
  "mirror",
  "nearest",
  "wrap",
  "constant",
];

/** Throws unless `mode` names one of the five boundary modes. */
export function checkMode(
  fn: string,
  mode: unknown,
): asserts mode is BoundaryMode {
  if (!MODES.includes(mode as BoundaryMode)) {
    throw argumentError(
      fn,
      "mode",
      mode,
      `one of ${MODES.map((m) => `"${m}"`).join(", ")}`,
    );
  }
}

/**
 * Index into a line of length `n` that position `i` (any integer, possibly far
 * outside [0, n)) takes its value from, or -1 for `cval` (constant mode).
 */
export function sourceIndex(i: number, n: number, mode: BoundaryMode): number {
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case "constant":
      return -1;
    case "nearest":
      return i < 0 ? 0 : n - 1;
    case "wrap":
      return ((i % n) + n) % n;
    case "reflect": {
      const period = 2 * n;
      const m = ((i % period) + period) % period;
      return m < n ? m : period - 1 - m;
    }
    case "mirror": {
      if (n === 1) return 0;
      const period = 2 * n - 2;
      const m = ((i % period) + period) % period;
      return m < n ? m : period - m;
    }
  }
}
