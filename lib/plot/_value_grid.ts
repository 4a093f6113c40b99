/**
 * The values behind an image panel, carried inside the figure's SVG so that a
 * viewer (the gallery's client script) can read out the data value under the
 * pointer, not its colour. The panel's `<svg>` element holds them in the
 * attribute `data-stria-values`: JSON of a {@linkcode ValueGrid}. Renderers
 * ignore unknown attributes, so the file stays a plain SVG everywhere else.
 *
 * @module
 */

import { toBase64 } from "./_png.ts";

/** The attribute of a panel's `<svg>` element that holds its {@linkcode ValueGrid}. */
export const VALUE_GRID_ATTRIBUTE = "data-stria-values";

/** One image axis of a value grid: pixel `i` is centred at `i * size`. */
export interface ValueGridAxis {
  /** Axis name as the figure labels it, without the unit, e.g. "col" or "x". */
  readonly name: string;
  /** Length of a pixel step along the axis (1 for pixel axes). */
  readonly size: number;
  /** Unit of `size`, when the axis is in physical units. */
  readonly unit?: string;
}

/** Format "stria-values" version 1: a panel's pixel values and its axes. */
export interface ValueGrid {
  readonly format: "stria-values";
  readonly version: 1;
  /** Panel title ("" when it has none). */
  readonly title: string;
  /** Name of the values, e.g. "intensity" ("" when unnamed). */
  readonly value: string;
  readonly rows: number;
  readonly cols: number;
  /** The column axis. */
  readonly x: ValueGridAxis;
  /** The row axis (row 0 at the top). */
  readonly y: ValueGridAxis;
  /**
   * How `data` stores the values: "uint16" when every value is an integer in
   * [0, 65535] (exact, half the size; camera images), else "float32".
   */
  readonly dtype: "uint16" | "float32";
  /** Base64 of the values, little-endian, row-major. */
  readonly data: string;
}

/**
 * Base64 of values as float32 little-endian (values beyond float32's range
 * become ±Infinity; NaN stays NaN).
 *
 * @example
 * ```ts
 * import { float32Base64 } from "./_value_grid.ts";
 * const encoded = float32Base64(new Float64Array([1]));
 * if (encoded !== "AACAPw==") throw new Error(encoded);
 * console.log(encoded); // AACAPw==
 * ```
 */
export function float32Base64(values: Float64Array): string {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    view.setFloat32(i * 4, values[i], true);
  }
  return toBase64(bytes);
}

function uint16Base64(values: Float64Array): string {
  const bytes = new Uint8Array(values.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) {
    view.setUint16(i * 2, values[i], true);
  }
  return toBase64(bytes);
}

/**
 * The attribute value for a panel: the grid as JSON in which `<`, `>` and
 * `&` are written as JSON escapes, so the markup stays well-formed XML
 * whatever the titles hold (the DOM shim does not escape them in attributes).
 *
 * @example
 * ```ts
 * import { valueGridAttribute } from "./_value_grid.ts";
 * const text = valueGridAttribute({
 *   title: "a < b", value: "", rows: 1, cols: 1,
 *   x: { name: "col", size: 1 }, y: { name: "row", size: 1 },
 *   values: new Float64Array([2]),
 * });
 * if (text.includes("<") || JSON.parse(text).title !== "a < b") throw new Error(text);
 * console.log(JSON.parse(text).dtype, JSON.parse(text).data); // uint16 AgA=
 * ```
 */
export function valueGridAttribute(grid: {
  title: string;
  value: string;
  rows: number;
  cols: number;
  x: ValueGridAxis;
  y: ValueGridAxis;
  values: Float64Array;
}): string {
  const { values, ...rest } = grid;
  const integral = values.every((v) =>
    Number.isInteger(v) && v >= 0 && v <= 65535
  );
  const document: ValueGrid = {
    format: "stria-values",
    version: 1,
    ...rest,
    dtype: integral ? "uint16" : "float32",
    data: integral ? uint16Base64(values) : float32Base64(values),
  };
  return JSON.stringify(document).replace(/</g, "\\u003c").replace(
    />/g,
    "\\u003e",
  ).replace(/&/g, "\\u0026");
}
