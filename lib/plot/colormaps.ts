/**
 * Colormaps for figures and interactive views, with matplotlib's exact
 * 256-entry lookup tables (matplotlib 3.6.3, rounded to bytes) and matplotlib's value → index
 * rule, so that stria's images show the same colors as the tutorial's.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { GRAY_HEX, MAGMA_HEX, VIRIDIS_HEX } from "./_colormap_data.ts";

/** Names of the colormaps figures and views accept. */
export type ColormapName = "gray" | "viridis" | "magma";

/** Every accepted colormap name. */
export const COLORMAP_NAMES: readonly ColormapName[] = [
  "gray",
  "viridis",
  "magma",
];

function fromHex(hex: string): Uint8Array {
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < lut.length; i++) {
    lut[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  }
  return lut;
}

const LUTS: Record<ColormapName, Uint8Array> = {
  gray: fromHex(GRAY_HEX),
  viridis: fromHex(VIRIDIS_HEX),
  magma: fromHex(MAGMA_HEX),
};

/**
 * Checks a colormap name at a public boundary and returns it typed.
 *
 * @example
 * ```ts
 * import { checkColormap } from "./colormaps.ts";
 * const name = checkColormap("imshow", "viridis");
 * if (name !== "viridis") throw new Error(name);
 * console.log(name); // viridis
 * ```
 */
export function checkColormap(fn: string, name: unknown): ColormapName {
  if (
    typeof name !== "string" ||
    !(COLORMAP_NAMES as readonly string[]).includes(name)
  ) {
    throw argumentError(
      fn,
      "cmap",
      name,
      `one of ${COLORMAP_NAMES.map((n) => `"${n}"`).join(", ")}`,
    );
  }
  return name as ColormapName;
}

/**
 * The 256-entry RGB lookup table of a colormap: bytes `[r0, g0, b0, r1, ...]`.
 * All three are matplotlib 3.6.3's tables rounded to bytes (`gray` entry i is
 * (i, i, i); viridis runs #440154 to #fde725). The returned table is a
 * copy.
 *
 * @example
 * ```ts
 * import { colormapLut } from "./colormaps.ts";
 * const lut = colormapLut("viridis");
 * // The first colour, #440154:
 * console.log(lut[0], lut[1], lut[2]); // 68 1 84
 * ```
 */
export function colormapLut(name: ColormapName): Uint8Array {
  return LUTS[checkColormap("colormapLut", name)].slice();
}

/**
 * matplotlib's rule for a value's index in a 256-entry table (`Normalize` then
 * `Colormap.__call__`): `t = (value - vmin) / (vmax - vmin)`, index
 * `floor(t * 256)` clamped to [0, 255], so values outside [vmin, vmax] take the
 * end colors. A zero-width range maps every value to index 0, as matplotlib
 * does. NaN gives -1 (no color: drawn transparent).
 *
 * @example
 * ```ts
 * import { colormapIndex } from "./colormaps.ts";
 * const indices = [0, 1, 2].map((value) => colormapIndex(value, 0, 1));
 * if (indices.join() !== "0,255,255") throw new Error(String(indices));
 * console.log(...indices); // 0 255 255
 * ```
 */
export function colormapIndex(
  value: number,
  vmin: number,
  vmax: number,
): number {
  if (Number.isNaN(value)) return -1;
  if (vmax === vmin) return 0;
  const index = Math.floor(((value - vmin) / (vmax - vmin)) * 256);
  return index < 0 ? 0 : index > 255 ? 255 : index;
}

/**
 * The CSS color (`#rrggbb`) of a value under a colormap and range.
 *
 * @example
 * ```ts
 * import { colormapColor } from "./colormaps.ts";
 * const color = colormapColor("viridis", 1, 0, 1);
 * if (color !== "#fde725") throw new Error(color);
 * console.log(color); // #fde725
 * ```
 */
export function colormapColor(
  name: ColormapName,
  value: number,
  vmin: number,
  vmax: number,
): string {
  const lut = LUTS[checkColormap("colormapColor", name)];
  const index = Math.max(0, colormapIndex(value, vmin, vmax));
  return `#${
    [0, 1, 2].map((c) => lut[3 * index + c].toString(16).padStart(2, "0")).join(
      "",
    )
  }`;
}

/**
 * The shared table itself (not a copy), for kernels inside `lib/plot/` that
 * have already validated the name; not part of the public API.
 *
 * @example
 * ```ts
 * import { lutOf } from "./colormaps.ts";
 * const white = lutOf("gray")[255 * 3];
 * if (white !== 255) throw new Error(String(white));
 * console.log(white); // 255
 * ```
 */
export function lutOf(name: ColormapName): Uint8Array {
  return LUTS[name];
}
