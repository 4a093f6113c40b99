/**
 * Server-side rendering of Observable Plot charts through the linkedom DOM shim,
 * and composition of several charts into one standalone SVG document.
 *
 * @module
 */

import { parseHTML, Plot } from "./_deps.ts";

// linkedom's typings describe the result as a browser Window, which Deno's
// default libraries do not declare; the document is all Plot needs.
const shim = parseHTML(
  "<!DOCTYPE html><html><body></body></html>",
) as unknown as { document: unknown };
const document = shim.document as Plot.PlotOptions["document"];

/** Font sizes (CSS px) shared by every figure, close to matplotlib's defaults. */
export const FONT = { tick: 11, label: 12, panelTitle: 13, title: 15 } as const;

/** The generic font stack of every figure. */
export const FONT_FAMILY = "system-ui, sans-serif";

/** The part of the DOM shim's element interface the figures use. */
export interface ShimElement {
  readonly tagName: string;
  readonly outerHTML: string;
  getAttribute(name: string): string | null;
  setAttribute(name: string, value: string): void;
  removeAttribute(name: string): void;
  querySelectorAll(selector: string): ArrayLike<ShimElement>;
  remove(): void;
}

/** A rendered chart, ready to place in a composed figure. */
export interface Part {
  /** The chart's root `<svg>` element (from the DOM shim). */
  readonly element: ShimElement;
  readonly width: number;
  readonly height: number;
}

/**
 * Renders Plot options (without `document`) to an SVG part. Plot's scoped
 * `<style>` is dropped: it only sets HTML display rules, which nested `<svg>`
 * elements must not get.
 *
 * @example
 * ```ts
 * import { Plot } from "./_deps.ts";
 * import { renderPlot } from "./_svg.ts";
 * const part = renderPlot({ width: 200, height: 100, marks: [Plot.frame()] });
 * if (part.width !== 200 || part.height !== 100) throw new Error(`${part.width}x${part.height}`);
 * console.log(part.width, part.height); // 200 100
 * ```
 */
export function renderPlot(options: Plot.PlotOptions): Part {
  const element = Plot.plot({ ...options, document }) as unknown as ShimElement;
  if (element.tagName.toLowerCase() !== "svg") {
    throw new Error(
      "renderPlot: Plot returned a <figure>; pass no title, caption or legend options",
    );
  }
  for (const style of Array.from(element.querySelectorAll("style"))) {
    style.remove();
  }
  element.removeAttribute("class");
  element.setAttribute("font-size", String(FONT.tick));
  return {
    element,
    width: Number(element.getAttribute("width")),
    height: Number(element.getAttribute("height")),
  };
}

/**
 * Escapes text for XML content and attribute values.
 *
 * @example
 * ```ts
 * import { escapeXml } from "./_svg.ts";
 * const escaped = escapeXml('a < b & "c"');
 * if (escaped !== "a &lt; b &amp; &quot;c&quot;") throw new Error(escaped);
 * console.log(escaped); // a &lt; b &amp; &quot;c&quot;
 * ```
 */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

// The complement of XML 1.0's `Char` production in UTF-16: C0 controls other
// than tab, line feed and carriage return, U+FFFE, U+FFFF, and lone surrogates
// (under the `u` flag a surrogate pair is one code point beyond U+FFFF, so only
// unpaired halves match).
const NON_XML_CHARACTER =
  // deno-lint-ignore no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;

/**
 * Replaces each character XML 1.0 does not allow (U+0000–U+0008, U+000B,
 * U+000C, U+000E–U+001F, U+FFFE, U+FFFF, lone surrogates) with U+FFFD, the
 * replacement character; every other character is kept.
 *
 * @example
 * ```ts
 * import { replaceNonXmlCharacters } from "./_svg.ts";
 * const text = replaceNonXmlCharacters("bell \u0007, pair \u{1F52C}, half \uD800");
 * if (text !== "bell \uFFFD, pair \u{1F52C}, half \uFFFD") throw new Error(text);
 * console.log(text); // bell �, pair 🔬, half �
 * ```
 */
export function replaceNonXmlCharacters(text: string): string {
  return text.replace(NON_XML_CHARACTER, "\uFFFD");
}

/** A part placed at (x, y) in the composed figure. */
export interface Placed {
  readonly part: Part;
  readonly x: number;
  readonly y: number;
}

/**
 * Composes placed parts (as nested `<svg>` elements) and optional extra SVG
 * markup under one standalone root with a white background and a centered
 * title, and a `<desc>` saying what it shows when given. Every figure's SVG is made here, so this is where characters XML
 * does not allow are replaced (see {@linkcode replaceNonXmlCharacters}), in
 * the text Plot wrote as in ours.
 *
 * @example
 * ```ts
 * import { composeSvg } from "./_svg.ts";
 * const svg = composeSvg({ width: 100, height: 40, title: "Empty", parts: [] });
 * const standalone = svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"');
 * if (!standalone) throw new Error(svg.slice(0, 60));
 * console.log(standalone); // true
 * ```
 */
export function composeSvg(options: {
  width: number;
  height: number;
  title?: string;
  /** What the figure shows, for assistive technology and alt text (`<desc>`). */
  description?: string;
  titleY?: number;
  parts: readonly Placed[];
  extra?: string;
}): string {
  const width = Math.ceil(options.width);
  const height = Math.ceil(options.height);
  const pieces: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" ` +
    `width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `font-family="${FONT_FAMILY}" font-size="${FONT.tick}" fill="black">`,
  ];
  if (options.title) pieces.push(`<title>${escapeXml(options.title)}</title>`);
  if (options.description) {
    pieces.push(`<desc>${escapeXml(options.description)}</desc>`);
  }
  pieces.push(`<rect width="${width}" height="${height}" fill="white"/>`);
  if (options.title) {
    pieces.push(
      `<text x="${width / 2}" y="${
        options.titleY ?? 22
      }" text-anchor="middle" ` +
        `font-size="${FONT.title}" font-weight="600">${
          escapeXml(options.title)
        }</text>`,
    );
  }
  for (const { part, x, y } of options.parts) {
    part.element.setAttribute("x", String(round(x)));
    part.element.setAttribute("y", String(round(y)));
    part.element.setAttribute("overflow", "visible");
    pieces.push(part.element.outerHTML);
  }
  if (options.extra) pieces.push(options.extra);
  pieces.push("</svg>");
  return replaceNonXmlCharacters(pieces.join(""));
}

/**
 * Rounds a coordinate to 1/100 px to keep the markup short.
 *
 * @example
 * ```ts
 * import { round } from "./_svg.ts";
 * if (round(1 / 3) !== 0.33) throw new Error(String(round(1 / 3)));
 * console.log(round(1 / 3)); // 0.33
 * ```
 */
export function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Tick values along an axis of `n` pixels each `size` long (pixel i centred at
 * i · size; default 1, integer ticks at pixel centers in [0, n - 1]): multiples
 * of a 1-2-5 step no finer than one pixel, chosen so that ticks are at least
 * `minSpacing` CSS px apart on an axis `length` px long. Values are rounded to
 * 12 significant digits, so 3 × 0.1 is 0.3.
 *
 * @example
 * ```ts
 * import { pixelTicks } from "./_svg.ts";
 * const ticks = pixelTicks(30, 300);
 * if (ticks.join() !== "0,5,10,15,20,25") throw new Error(String(ticks));
 * console.log(ticks); // [ 0, 5, 10, 15, 20, 25 ]
 * console.log(pixelTicks(30, 300, 0.1)); // [ 0, 0.5, 1, 1.5, 2, 2.5 ]
 * ```
 */
export function pixelTicks(
  n: number,
  length: number,
  size = 1,
  minSpacing = 40,
): number[] {
  const maxCount = Math.max(2, Math.floor(length / minSpacing));
  const extent = (n - 1) * size;
  // Relative slack for steps and extents that are decimal fractions.
  const slack = 1 + 1e-9;
  let step = size;
  for (let exponent = Math.floor(Math.log10(size));; exponent++) {
    const found = [1, 2, 5].map((m) => m * 10 ** exponent).find((candidate) =>
      candidate * slack >= size &&
      Math.floor((extent * slack) / candidate) + 1 <= maxCount
    );
    if (found !== undefined) {
      step = found;
      break;
    }
  }
  const ticks: number[] = [];
  for (let k = 0; k * step <= extent * slack; k++) {
    ticks.push(Number((k * step).toPrecision(12)));
  }
  return ticks;
}
