/**
 * How a filter extends the input beyond its edges, as in `scipy.ndimage`. For
 * a line `a b c d`:
 *
 * - `"reflect"`: `d c b a | a b c d | d c b a` (half-sample symmetric, period 2n);
 * - `"mirror"`: `d c b | a b c d | c b a` (whole-sample symmetric, period 2n-2);
 * - `"nearest"`: `a a a | a b c d | d d d`;
 * - `"wrap"`: `b c d | a b c d | a b c` (period n);
 * - `"constant"`: `cval` everywhere outside.
 *
 * Padding wider than the line follows the same periodic rule.
 *
 * @example
 * ```ts
 * import type { BoundaryMode } from "./boundary_mode.ts";
 *
 * const mode: BoundaryMode = "mirror";
 * console.log(mode);
 * ```
 */
export type BoundaryMode =
  | "reflect"
  | "mirror"
  | "nearest"
  | "wrap"
  | "constant";
