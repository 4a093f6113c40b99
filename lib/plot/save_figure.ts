/**
 * `saveFigure`: writes a figure as SVG, or as PNG rasterised by resvg.
 *
 * PNG rendering uses npm:@resvg/resvg-wasm (WebAssembly, loaded through the
 * module graph), chosen over the Node-API build npm:@resvg/resvg-js because it
 * needs no `--allow-ffi`, no platform-specific binary package and works when
 * `mod.ts` is imported by URL. WebAssembly cannot see system fonts, so the
 * text font is read from a system font file (needs `--allow-read` on it).
 *
 * @module
 */

import { checkOptionsObject } from "../_options_object.ts";
import { initResvgWasm, Resvg } from "./_deps.ts";
import { argumentError } from "../_errors.ts";
import type { Figure } from "./figure.ts";
import { writeFileAtomic } from "../_atomic_write.ts";
import resvgWasm from "./_resvg_wasm.js";

/** Options of {@linkcode saveFigure}. */
export interface SaveFigureOptions {
  /** PNG only: device pixels per CSS pixel (default 2, for crisp text). */
  scale?: number;
  /**
   * PNG only: TrueType/OpenType files for text; the first readable one's family
   * stands in for `sans-serif` (default: DejaVu Sans, Liberation Sans or Arial
   * at their usual system paths).
   */
  fontFiles?: readonly { path: string; family: string }[];
}

/** Usual system paths of each fallback family, tried in this order. */
const DEFAULT_FONT_PATHS: readonly [string, readonly string[]][] = [
  ["DejaVu Sans", [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
  ]],
  ["Liberation Sans", [
    "/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf",
  ]],
  ["Arial", [
    "/System/Library/Fonts/Supplemental/Arial.ttf",
    "C:\\Windows\\Fonts\\arial.ttf",
  ]],
];

const DEFAULT_FONTS: readonly { path: string; family: string }[] =
  DEFAULT_FONT_PATHS.flatMap(([family, paths]) =>
    paths.map((path) => ({ path, family }))
  );

let wasmReady: Promise<void> | undefined;

async function readFonts(
  candidates: readonly { path: string; family: string }[],
) {
  const buffers: Uint8Array[] = [];
  let family: string | undefined;
  for (const candidate of candidates) {
    try {
      buffers.push(await Deno.readFile(candidate.path));
      family ??= candidate.family;
    } catch {
      // Missing file or no read permission: try the next candidate.
    }
  }
  if (family === undefined) {
    throw new Error(
      `saveFigure: no font file could be read for PNG text (tried ${
        candidates.map((c) => c.path).join(", ")
      }); ` +
        `install fonts-dejavu-core, grant --allow-read on a font, or pass options.fontFiles`,
    );
  }
  return { buffers, family };
}

/**
 * Renders a figure's SVG to PNG bytes with resvg at `scale` device pixels per
 * CSS pixel.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { imshow } from "./imshow.ts";
 * import { renderPng } from "./save_figure.ts";
 *
 * const figure = imshow(ndarray(new Float64Array([0, 1, 2, 3]), [2, 2]), { ticks: false, colorbar: false });
 * const png = await renderPng(figure, { scale: 1, fontFiles: [] });
 * const signature = new TextDecoder().decode(png.subarray(1, 4));
 * if (signature !== "PNG") throw new Error(signature);
 * console.log(signature); // PNG
 * ```
 */
export async function renderPng(
  figure: Figure,
  options: SaveFigureOptions = {},
): Promise<Uint8Array> {
  checkFigure("renderPng", figure);
  checkOptionsObject("renderPng", options, ["scale", "fontFiles"]);
  const scale = options.scale ?? 2;
  if (!(Number.isFinite(scale) && scale > 0 && scale <= 8)) {
    throw argumentError(
      "renderPng",
      "options.scale",
      options.scale,
      "a number in (0, 8]",
    );
  }
  wasmReady ??= initResvgWasm(resvgWasm);
  await wasmReady;
  // A figure without text needs no font; otherwise text would silently vanish.
  const hasText = /<text[\s>]/.test(figure.svg);
  const fonts = hasText
    ? await readFonts(options.fontFiles ?? DEFAULT_FONTS)
    : { buffers: [], family: "" };
  const renderer = new Resvg(figure.svg, {
    fitTo: { mode: "zoom", value: scale },
    font: {
      fontBuffers: fonts.buffers,
      loadSystemFonts: false,
      defaultFontFamily: fonts.family,
      sansSerifFamily: fonts.family,
    },
  });
  const rendered = renderer.render();
  const png = rendered.asPng();
  rendered.free();
  renderer.free();
  return png;
}

function checkFigure(fn: string, figure: unknown): asserts figure is Figure {
  const svg = (figure as Partial<Figure> | null)?.svg;
  if (typeof svg !== "string" || !svg.startsWith("<svg")) {
    throw argumentError(fn, "figure", figure, "a Figure with an svg string");
  }
}

/**
 * Writes a figure to `path`: the standalone SVG when the path ends in `.svg`,
 * a PNG rendered by resvg (see {@linkcode renderPng}) when it ends in `.png`.
 * The write is atomic (temporary file in the same folder, then rename); the
 * parent folder is created if missing.
 *
 * @example
 * ```ts
 * import ndarray from "npm:ndarray@1.1.1";
 * import { imshow } from "./imshow.ts";
 * import { saveFigure } from "./save_figure.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".svg" });
 * await saveFigure(path, imshow(ndarray(new Uint8Array([0, 255]), [1, 2])));
 * const isSvg = (await Deno.readTextFile(path)).startsWith("<svg");
 * if (!isSvg) throw new Error("not an SVG document");
 * console.log(isSvg); // true
 * await Deno.remove(path);
 * ```
 */
export async function saveFigure(
  path: string,
  figure: Figure,
  options: SaveFigureOptions = {},
): Promise<void> {
  const fn = "saveFigure";
  checkOptionsObject(fn, options, ["scale", "fontFiles"]);
  if (typeof path !== "string" || !/\.(svg|png)$/i.test(path)) {
    throw argumentError(
      fn,
      "path",
      path,
      'a file path ending in ".svg" or ".png"',
    );
  }
  checkFigure(fn, figure);
  const content = /\.svg$/i.test(path)
    ? figure.svg
    : await renderPng(figure, options);
  await writeFileAtomic(fn, path, content, { createFolder: true });
}
