/**
 * `imshow`: one 2-D image with a color bar, as matplotlib's `imshow` draws it.
 *
 * @module
 */

import { checkOptionsObject } from "../_options_object.ts";
import type { NdArray } from "../deps.ts";
import type { ColormapName } from "./colormaps.ts";
import type { Figure } from "./figure.ts";
import {
  type ImageLabels,
  layoutImages,
  type PhysicalAxesOptions,
} from "./_image_grid.ts";

export type { ImageLabels, PhysicalAxesOptions } from "./_image_grid.ts";

/** Options of {@linkcode imshow}. */
export interface ImshowOptions extends PhysicalAxesOptions {
  /** Value drawn with the colormap's first color (default: the image's finite minimum). */
  vmin?: number;
  /** Value drawn with the colormap's last color (default: the image's finite maximum). */
  vmax?: number;
  /** Colormap (default "gray"). */
  cmap?: ColormapName;
  /** Figure title (default none). */
  title?: string;
  /** Axis and color bar labels, e.g. `{ x: "col", y: "row", color: "intensity" }`. */
  labels?: ImageLabels;
  /** Figure width in CSS pixels (default 560); the height follows from the pixels' aspect. */
  width?: number;
  /** Draw axes with ticks at pixel centers (default true). */
  ticks?: boolean;
  /** Draw a color bar (default true). */
  colorbar?: boolean;
}

/**
 * Draws a 2-D image (rows x cols ndarray of any dtype or view) as matplotlib's
 * `imshow(image, cmap, vmin, vmax)` does: row 0 at the top, square pixels,
 * ticks at pixel centers 0..n-1, and a color bar. With `physicalSizes`,
 * pixels are drawn X wide and Y tall (matplotlib's `extent`) and the axes are
 * in physical units: "x (µm)". Values map to the
 * colormap's 256 entries by matplotlib's rule (`floor((v - vmin) / (vmax -
 * vmin) * 256)`, clamped, so values outside [vmin, vmax] take the end colors);
 * NaN pixels are transparent (matplotlib's default "bad" color).
 *
 * The image is embedded as a PNG of the exact pixel grid upscaled by an integer
 * factor (nearest neighbour) and drawn with `image-rendering: pixelated`, so a
 * 30x30 sample shows 30x30 crisp cells in any renderer.
 *
 * Reference: J. D. Hunter, "Matplotlib: A 2D Graphics Environment",
 * Computing in Science & Engineering 9(3), 2007 (`Axes.imshow`).
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { imshow } from "./imshow.ts";
 *
 * const image = ndarray(Float64Array.from({ length: 12 }, (_, i) => i), [3, 4]);
 * const figure = imshow(image, { cmap: "viridis", title: "Ramp", labels: { x: "col", y: "row", color: "value" } });
 * const standalone = figure.svg.startsWith("<svg xmlns=");
 * if (!standalone || !figure.svg.includes("Ramp")) throw new Error(figure.svg.slice(0, 60));
 * console.log(standalone); // true
 * ```
 */
export function imshow(image: NdArray, options: ImshowOptions = {}): Figure {
  checkOptionsObject("imshow", options, [
    "vmin",
    "vmax",
    "cmap",
    "title",
    "labels",
    "width",
    "ticks",
    "colorbar",
    "physicalSizes",
    "physicalUnit",
  ]);
  return layoutImages("imshow", [image], {
    ...options,
    kind: "image",
    titles: [""],
    sharedScale: true,
  });
}
