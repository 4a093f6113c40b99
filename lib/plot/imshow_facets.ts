/**
 * `imshowFacets`: several images side by side on one shared color scale, as
 * plotly's `px.imshow(..., facet_col=...)` draws them.
 *
 * @module
 */

import { checkOptionsObject } from "../_options_object.ts";
import type { NdArray } from "../deps.ts";
import { argumentError } from "../_errors.ts";
import type { ColormapName } from "./colormaps.ts";
import type { Figure } from "./figure.ts";
import {
  type ImageLabels,
  layoutImages,
  type PhysicalAxesOptions,
} from "./_image_grid.ts";

/** Options of {@linkcode imshowFacets}. */
export interface ImshowFacetsOptions extends PhysicalAxesOptions {
  /** Panel titles, one per image (default `${facetLabel}=${index}`). */
  titles?: readonly string[];
  /** Name of the facet dimension for default titles, e.g. "rank" (default "facet"). */
  facetLabel?: string;
  /** Figure title (default none). */
  title?: string;
  /** Lower end of the shared color range (default: finite minimum over all images). */
  vmin?: number;
  /** Upper end of the shared color range (default: finite maximum over all images). */
  vmax?: number;
  /** Colormap (default "gray"). */
  cmap?: ColormapName;
  /** Axis and color bar labels. */
  labels?: ImageLabels;
  /** Figure width in CSS pixels (default 300 per panel + 100). */
  width?: number;
  /** Draw axes with ticks at pixel centers (default true). */
  ticks?: boolean;
  /** Draw the shared color bar (default true). */
  colorbar?: boolean;
}

/**
 * Draws 2-D images side by side, left to right, with per-panel titles and ONE
 * shared color scale and color bar: the same value has the same color in every
 * panel. Panels may differ in size; every panel uses the same on-screen pixel
 * size so their scales compare. Colors, clamping and NaN as in `imshow`.
 *
 * Reference: plotly.express `imshow` with `facet_col` (Plotly Technologies,
 * https://plotly.com/python/imshow/).
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { imshowFacets } from "./imshow_facets.ts";
 *
 * const a = ndarray(new Float64Array([0, 1, 2, 3]), [2, 2]);
 * const b = ndarray(new Float64Array([4, 5, 6, 7, 8, 9]), [2, 3]);
 * const figure = imshowFacets([a, b], { facetLabel: "rank", title: "Two maps", cmap: "magma" });
 * const titled = figure.svg.includes("rank=1");
 * if (!titled) throw new Error("facet title rank=1 missing");
 * console.log(titled); // true
 * ```
 */
export function imshowFacets(
  images: readonly NdArray[],
  options: ImshowFacetsOptions = {},
): Figure {
  checkOptionsObject("imshowFacets", options, [
    "titles",
    "facetLabel",
    "title",
    "vmin",
    "vmax",
    "cmap",
    "labels",
    "width",
    "ticks",
    "colorbar",
    "physicalSizes",
    "physicalUnit",
  ]);
  const facetLabel = options.facetLabel ?? "facet";
  if (typeof facetLabel !== "string") {
    throw argumentError("imshowFacets", "facetLabel", facetLabel, "a string");
  }
  const count = Array.isArray(images) ? images.length : 0;
  return layoutImages("imshowFacets", images, {
    ...options,
    kind: "facets",
    titles: options.titles ??
      Array.from({ length: count }, (_, i) => `${facetLabel}=${i}`),
    sharedScale: true,
  });
}
