/**
 * `planeRow`: a row of image panels without axes, as a matplotlib
 * `plt.subplots(1, n)` row of `imshow` calls.
 *
 * @module
 */

import { checkOptionsObject } from "../_options_object.ts";
import type { NdArray } from "../deps.ts";
import type { ColormapName } from "./colormaps.ts";
import type { Figure } from "./figure.ts";
import { layoutImages, type PhysicalAxesOptions } from "./_image_grid.ts";

/** Options of {@linkcode planeRow}. */
export interface PlaneRowOptions extends PhysicalAxesOptions {
  /** Panel titles, one per image, e.g. `["Plane = 5", "Plane = 8", "Plane = 11"]`. */
  titles: readonly string[];
  /** Figure title (default none). */
  title?: string;
  /** Colormap (default "gray"). */
  cmap?: ColormapName;
  /** Lower color bound for every panel (default: each panel's own finite minimum). */
  vmin?: number;
  /** Upper color bound for every panel (default: each panel's own finite maximum). */
  vmax?: number;
  /** Figure width in CSS pixels (default 300 per panel + 100). */
  width?: number;
  /** Draw axes with ticks (default false, as `ax.set_xticks([])`). */
  ticks?: boolean;
}

/**
 * Draws 2-D images in a row of titled panels without ticks or color bar. Like
 * separate matplotlib `imshow` calls, each panel scales its colors to its own
 * finite min and max unless `vmin`/`vmax` are given. Colors, clamping and NaN
 * as in `imshow`.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { planeRow } from "./plane_row.ts";
 *
 * const planes = [0, 1, 2].map((k) => ndarray(Float64Array.from({ length: 9 }, (_, i) => i * k), [3, 3]));
 * const figure = planeRow(planes, { titles: ["Plane = 5", "Plane = 8", "Plane = 11"] });
 * const titled = figure.svg.includes("Plane = 8");
 * if (!titled) throw new Error("panel title missing");
 * console.log(titled); // true
 * ```
 */
export function planeRow(
  images: readonly NdArray[],
  options: PlaneRowOptions,
): Figure {
  checkOptionsObject("planeRow", options, [
    "titles",
    "title",
    "cmap",
    "vmin",
    "vmax",
    "width",
    "ticks",
    "physicalSizes",
    "physicalUnit",
  ]);
  return layoutImages("planeRow", images, {
    ...options,
    kind: "planes",
    labels: {},
    ticks: options.ticks ?? false,
    colorbar: false,
    sharedScale: false,
  });
}
