/**
 * Private Sobel derivative on flat C-contiguous buffers, shared by `sobel`
 * and `structureTensor`.
 *
 * @module
 */

import { correlateAxis } from "./_correlate_axis.ts";
import type { BoundaryMode } from "./boundary_mode.ts";

const DIFFERENCE = new Float64Array([-1, 0, 1]);
const SMOOTHING = new Float64Array([1, 2, 1]);

/**
 * Replaces `data` by its Sobel derivative along `axis`, as
 * `scipy.ndimage.sobel`: the central difference `[-1, 0, 1]` along `axis`,
 * then the smoothing `[1, 2, 1]` along every other axis in increasing order.
 */
export function sobelInPlace(
  data: Float64Array | Float32Array,
  shape: readonly number[],
  axis: number,
  mode: BoundaryMode,
  cval: number,
): void {
  correlateAxis(data, shape, axis, {
    weights: DIFFERENCE,
    origin: 0,
    mode,
    cval,
  });
  for (let other = 0; other < shape.length; other++) {
    if (other !== axis) {
      correlateAxis(data, shape, other, {
        weights: SMOOTHING,
        origin: 0,
        mode,
        cval,
      });
    }
  }
}
