/**
 * Every figure is well-formed XML whatever text the caller gives: characters
 * XML 1.0 does not allow become U+FFFD (lib/plot/_svg.ts), markup characters
 * are escaped. Well-formed is checked three ways: every code point (and every
 * numeric character reference) is an XML 1.0 `Char`, checked here by code
 * point since a lone surrogate would be replaced anyway on its way to UTF-8;
 * fast-xml-parser's XMLValidator accepts it; and resvg's parser (roxmltree, a
 * strict XML 1.0 parser that refuses U+0001, U+FFFE and `&#1;`) reads it when
 * `saveFigure` writes the PNG.
 *
 * @module
 */
import assert from "node:assert/strict";
import { XMLValidator } from "fast-xml-parser";
import { type NdArray, ndarray } from "../lib/deps.ts";
import type { Figure } from "../lib/plot/figure.ts";
import { imshow } from "../lib/plot/imshow.ts";
import { imshowFacets } from "../lib/plot/imshow_facets.ts";
import { planeRow } from "../lib/plot/plane_row.ts";
import { volumeView } from "../lib/plot/volume_view.ts";
import { barChart } from "../lib/plot/bar_chart.ts";
import { lineChart } from "../lib/plot/line_chart.ts";
import { orientationMap } from "../lib/plot/orientation_map.ts";
import { directionColor } from "../lib/plot/direction_color.ts";
import { orientationDistribution } from "../lib/plot/orientation_distribution.ts";
import { vectorGlyphs } from "../lib/plot/vector_glyphs.ts";
import { saveFigure } from "../lib/plot/save_figure.ts";
import { saveView } from "../lib/plot/view.ts";

/**
 * A text named `name` with U+0001, U+0007, U+FFFE, a lone low and a lone high
 * surrogate, U+FFFF, U+000B, U+001F, the markup characters and a surrogate
 * pair (which XML allows).
 */
const hostile = (name: string) =>
  `${name}\u0001\u0007\uFFFE\uDC00\uD800!\uFFFF\u000B\u001F<&"'>\u{1F52C}`;

/** How `hostile(name)` reads in the SVG: each disallowed character as U+FFFD, `<` and `&` escaped. */
const shown = (name: string) =>
  `${name}\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD!\uFFFD\uFFFD\uFFFD&lt;&amp;`;

/** The first code point that is not an XML 1.0 `Char`, directly or as a character reference. */
function nonXmlCharacter(svg: string): number | undefined {
  const references = [...svg.matchAll(/&#(x[0-9a-f]+|[0-9]+);/gi)].map((m) =>
    String.fromCodePoint(
      m[1][0].toLowerCase() === "x"
        ? parseInt(m[1].slice(1), 16)
        : parseInt(m[1], 10),
    )
  );
  // for..of walks code points: a pair is one, a lone surrogate comes alone.
  for (const char of [...svg, ...references]) {
    const c = char.codePointAt(0)!;
    const allowed = c === 0x9 || c === 0xa || c === 0xd ||
      (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
      c >= 0x10000;
    if (!allowed) return c;
  }
  return undefined;
}

/** Checks `figure` is well-formed XML three ways and shows each named text. */
async function checkFigure(figure: Figure, names: readonly string[]) {
  const bad = nonXmlCharacter(figure.svg);
  assert.equal(bad?.toString(16), undefined, "a character XML does not allow");
  assert.equal(XMLValidator.validate(figure.svg), true, "XMLValidator");
  for (const name of names) {
    assert.ok(figure.svg.includes(shown(name)), `${name} shown`);
  }
  assert.ok(figure.svg.includes("\u{1F52C}"), "a surrogate pair is kept");
  const dir = await Deno.makeTempDir({ prefix: "stria-svg-text-" });
  try {
    await saveFigure(`${dir}/figure.svg`, figure);
    assert.equal(await Deno.readTextFile(`${dir}/figure.svg`), figure.svg);
    // resvg parses the SVG as strict XML before it draws anything.
    await saveFigure(`${dir}/figure.png`, figure, { scale: 0.25 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const ramp = (shape: number[]) =>
  ndarray(
    Float64Array.from(
      { length: shape.reduce((a, b) => a * b, 1) },
      (_, i) => i,
    ),
    shape,
  );

/** A d-D eigenvector field `[d, d, ...shape]`: rank 0 along the last axis everywhere. */
function field(shape: number[]): NdArray {
  const d = shape.length;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(d * d * n);
  data.fill(1, (d - 1) * n, d * n);
  return ndarray(data, [d, d, ...shape]);
}

const figures: [string, () => Figure, string[]][] = [
  ["imshow", () =>
    imshow(ramp([4, 5]), {
      title: hostile("title"),
      labels: { x: hostile("x"), y: hostile("y"), color: hostile("color") },
    }), ["title", "x", "y", "color"]],
  ["imshow in physical units", () =>
    imshow(ramp([4, 5]), {
      physicalSizes: { Y: 0.5, X: 0.5 },
      physicalUnit: hostile("unit"),
    }), ["unit"]],
  ["imshowFacets", () =>
    imshowFacets([ramp([3, 3]), ramp([3, 3])], {
      title: hostile("title"),
      titles: [hostile("first"), hostile("second")],
    }), ["title", "first", "second"]],
  [
    "imshowFacets facetLabel",
    () => imshowFacets([ramp([3, 3])], { facetLabel: hostile("facet") }),
    [
      "facet",
    ],
  ],
  ["planeRow", () =>
    planeRow([ramp([3, 3]), ramp([3, 3])], {
      title: hostile("title"),
      titles: [hostile("first"), hostile("second")],
    }), ["title", "first", "second"]],
  ["volumeView", () =>
    volumeView(ramp([3, 4, 5]), {
      title: hostile("title"),
      colorLabel: hostile("color"),
      physicalSizes: { Z: 1, Y: 1, X: 1 },
      physicalUnit: hostile("unit"),
      width: 300,
    }), ["title", "color", "unit"]],
  [
    "barChart",
    () =>
      barChart([{ step: hostile("category"), ms: 3 }, { step: "b", ms: 4 }], {
        x: "step",
        y: "ms",
        title: hostile("title"),
        labels: { x: hostile("x"), y: hostile("y") },
      }),
    ["title", "category", "x", "y"],
  ],
  ["lineChart", () =>
    lineChart(
      [1, 2].map((n) => ({ n, [hostile("field")]: n, s: hostile("series") })),
      {
        x: "n",
        y: hostile("field"),
        series: "s",
        title: hostile("title"),
        labels: { x: hostile("x") },
      },
    ), ["title", "field", "series", "x"]],
  ["orientationMap", () =>
    orientationMap(field([3, 4]), {
      title: hostile("title"),
      anisotropy: ramp([3, 4]),
      anisotropyLabel: hostile("anisotropy"),
    }), ["title", "anisotropy"]],
  [
    "directionColor",
    () =>
      directionColor(field([2, 3, 4]), { plane: 0, title: hostile("title") }),
    [
      "title",
    ],
  ],
  [
    "orientationDistribution 2-D",
    () => orientationDistribution(field([3, 4]), { title: hostile("title") }),
    [
      "title",
    ],
  ],
  [
    "orientationDistribution 3-D",
    () =>
      orientationDistribution(field([2, 3, 4]), { title: hostile("title") }),
    [
      "title",
    ],
  ],
  [
    "vectorGlyphs",
    () => vectorGlyphs(field([4, 4]), { title: hostile("title"), step: 2 }),
    [
      "title",
    ],
  ],
];

for (const [name, make, names] of figures) {
  Deno.test(`${name}: hostile text gives well-formed SVG, drawn with U+FFFD`, async () => {
    await checkFigure(make(), names);
  });
}

Deno.test("saveView: hostile text is kept exactly, the file valid UTF-8 and JSON", async () => {
  const dir = await Deno.makeTempDir({ prefix: "stria-svg-text-" });
  try {
    const path = `${dir}/v.view.json`;
    await saveView(path, {
      title: hostile("title"),
      panels: [{
        title: hostile("panel"),
        label: hostile("label"),
        volume: ramp([2, 2, 2]),
      }],
    });
    const text = new TextDecoder("utf-8", { fatal: true }).decode(
      await Deno.readFile(path),
    );
    const view = JSON.parse(text);
    assert.deepEqual(
      [view.title, view.panels[0].title, view.panels[0].label],
      [hostile("title"), hostile("panel"), hostile("label")],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
