/**
 * Embeds an SVG figure in a gallery page: inlined, so the client script can
 * zoom, pan and read out the values the figure carries (`data-stria-values`,
 * see lib/plot/_value_grid.ts) even from file://, where it could not fetch the
 * file; with alt text from the figure's `<title>` and `<desc>`; and never
 * drawn smaller than the scale at which its smallest text is 10 CSS px (a
 * narrower screen scrolls it horizontally instead).
 *
 * @module
 */

import { decodeEntities, escapeHtml } from "./_markdown.ts";

/** Smallest text size, in CSS px, a figure may be shrunk to. */
export const MIN_TEXT_PX = 10;

const ACTIVE_CONTENT = /<script|<foreignObject|\son[a-z]+\s*=|javascript:/i;

/**
 * What a figure shows, for alt text: its `<title>` and `<desc>` ("" for none).
 *
 * @example
 * ```ts
 * import { figureAltText } from "./_figure_embed.ts";
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg"><title>Plane &amp; box</title><desc>Image of 2 rows.</desc></svg>';
 * console.log(figureAltText(svg, "fallback")); // Plane & box. Image of 2 rows.
 * ```
 */
export function figureAltText(svg: string, fallback: string): string {
  const title = /<title>([^<]*)<\/title>/.exec(svg)?.[1];
  const desc = /<desc>([^<]*)<\/desc>/.exec(svg)?.[1];
  const head = title ? decodeEntities(title) : fallback;
  if (!desc) return head;
  return `${head}${/[.!?]$/.test(head) ? "" : "."} ${decodeEntities(desc)}`;
}

/**
 * The HTML for one SVG figure. With its text, the SVG is inlined (root gets
 * `role="img"` and the alt text as `aria-label`) inside a horizontally
 * scrollable frame whose minimum width keeps the smallest `font-size` at
 * {@linkcode MIN_TEXT_PX}; without it, or when the SVG holds active content
 * (scripts, event handlers), an `<img>` of the file.
 *
 * @example
 * ```ts
 * import { embedFigure } from "./_figure_embed.ts";
 * const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100" font-size="11"><title>Ramp</title></svg>';
 * const html = embedFigure({ svg, href: "out/ramp.svg", title: "Ramp" });
 * console.log(html.includes('min-width:182px'), html.includes('aria-label="Ramp"')); // true true
 * console.log(embedFigure({ href: "out/ramp.svg", title: "Ramp" }).includes("<img")); // true
 * ```
 */
export function embedFigure(spec: {
  svg?: string;
  href: string;
  title: string;
}): string {
  const { svg, href, title } = spec;
  const caption = `<figcaption>${
    escapeHtml(title)
  } · <a href="${href}">SVG</a></figcaption>`;
  const size = svg && /^<svg [^>]*\bwidth="([\d.]+)"[^>]*\bheight="([\d.]+)"/
    .exec(svg);
  if (!svg || !size || ACTIVE_CONTENT.test(svg)) {
    return `<figure class="figure"><a href="${href}"><img src="${href}" alt="${
      escapeHtml(svg ? figureAltText(svg, title) : title)
    }"></a>${caption}</figure>`;
  }
  const width = Number(size[1]);
  const fonts = [...svg.matchAll(/font-size="([\d.]+)"/g)].map((m) =>
    Number(m[1])
  );
  // Without text, any scale keeps the rule.
  const minWidth = fonts.length
    ? Math.ceil((width * MIN_TEXT_PX) / Math.min(...fonts))
    : 0;
  const inline = svg.replace(
    /^<svg /,
    `<svg role="img" aria-label="${
      escapeHtml(figureAltText(svg, title))
    }" class="figure-svg" style="max-width:${width}px;min-width:${minWidth}px" `,
  );
  return `<figure class="figure stria-figure"><div class="figure-scroll">${inline}</div>${caption}</figure>`;
}
