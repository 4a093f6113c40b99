/**
 * Filters with `scipy.ndimage` semantics: 1-D correlation, Gaussian and Sobel,
 * with all five boundary modes.
 *
 * @module
 */

export type { BoundaryMode } from "./boundary_mode.ts";
export { correlate1d, type Correlate1dOptions } from "./correlate1d.ts";
export {
  gaussianFilter,
  type GaussianFilterOptions,
} from "./gaussian_filter.ts";
export { sobel, type SobelOptions } from "./sobel.ts";
