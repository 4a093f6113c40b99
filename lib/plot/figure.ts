/**
 * The figure type every stria plotting function returns.
 *
 * @module
 */

/** What a figure shows; the gallery uses it to pick a caption style. */
export type FigureKind =
  | "image"
  | "facets"
  | "planes"
  | "volume"
  | "bar"
  | "line";

/**
 * A finished figure: a standalone SVG document (root `<svg>` with `xmlns` and
 * `xmlns:xlink`, fonts as the generic stack `system-ui, sans-serif`, images as
 * embedded PNG data URIs, no external references) and its size in CSS pixels.
 * It is always well-formed XML: in every text the caller gives (titles,
 * labels, categories, series names...), each character XML 1.0 does not allow
 * (U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE, U+FFFF, a lone
 * surrogate) is drawn as U+FFFD "�". Write it with `saveFigure` (SVG or PNG).
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import type { Figure } from "./figure.ts";
 * import { imshow } from "./imshow.ts";
 * const figure: Figure = imshow(ndarray(new Float64Array([0, 1]), [1, 2]));
 * if (figure.kind !== "image" || !(figure.width > 0)) throw new Error(figure.kind);
 * console.log(figure.kind, figure.width > 0); // image true
 * ```
 */
export interface Figure {
  /** What the figure shows. */
  readonly kind: FigureKind;
  /** The figure's title ("" when it has none). */
  readonly title: string;
  /** Width in CSS pixels. */
  readonly width: number;
  /** Height in CSS pixels. */
  readonly height: number;
  /** The standalone SVG document. */
  readonly svg: string;
}
