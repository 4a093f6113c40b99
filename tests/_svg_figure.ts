/**
 * Reads a figure file written by `saveFigure` for tests: checks it is a standalone,
 * well-formed SVG and returns its text and the size of each embedded PNG.
 *
 * @module
 */
import assert from "node:assert/strict";
import { decode } from "npm:fast-png@8.0.0";
import { XMLValidator } from "npm:fast-xml-parser@5.12.1";

/** What a test needs to know of one SVG figure file. */
export interface SvgFigureFile {
  readonly svg: string;
  /** Every embedded PNG image, decoded, in document order. */
  readonly images: { width: number; height: number }[];
}

/** Validates the SVG at `path` and decodes its embedded PNGs. */
export async function readSvgFigure(path: string): Promise<SvgFigureFile> {
  const svg = await Deno.readTextFile(path);
  assert.equal(XMLValidator.validate(svg), true, `${path} is well-formed XML`);
  assert.match(
    svg,
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/,
    `${path} is a standalone SVG`,
  );
  const images = [...svg.matchAll(/href="data:image\/png;base64,([^"]*)"/g)]
    .map((match) => {
      const png = decode(
        Uint8Array.from(atob(match[1]), (c) => c.charCodeAt(0)),
      );
      return { width: png.width, height: png.height };
    });
  return { svg, images };
}

/** True when `image` shows a `rows` x `cols` grid at an integer upscale (crisp cells). */
export function showsGrid(
  image: { width: number; height: number },
  rows: number,
  cols: number,
) {
  const scale = image.width / cols;
  return Number.isInteger(scale) && scale >= 1 && image.height === rows * scale;
}
