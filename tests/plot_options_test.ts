// Every figure function refuses an options object it cannot read: an unknown key (a
// misspelling, or another library's option) names the key and the known ones; null
// and non-objects are refused.
import assert from "node:assert/strict";
import { ndarray } from "../lib/deps.ts";
import {
  barChart,
  directionColor,
  imshow,
  imshowFacets,
  lineChart,
  orientationDistribution,
  orientationHistogram,
  orientationMap,
  planeRow,
  renderPng,
  saveFigure,
  vectorGlyphs,
  volumeView,
} from "../lib/plot/mod.ts";

const image = ndarray(new Float64Array(16).map((_, i) => i), [4, 4]);
const volume = ndarray(new Float64Array(64).map((_, i) => i), [4, 4, 4]);
const vectors2 = ndarray(
  new Float64Array(64).map((_, i) => (i < 16 || i >= 48 ? 1 : 0)),
  [2, 2, 4, 4],
);
const vectors3 = ndarray(new Float64Array(9 * 64).fill(0.5), [3, 3, 4, 4, 4]);
const rows = [{ x: "a", y: 1 }, { x: "b", y: 2 }];

/** Each figure call with `extra` merged into options that it otherwise accepts. */
const calls: [string, (extra: object) => unknown][] = [
  ["imshow", (extra) => imshow(image, { ...extra })],
  ["imshowFacets", (extra) => imshowFacets([image, image], { ...extra })],
  ["planeRow", (extra) => planeRow([image], { titles: ["p"], ...extra })],
  ["barChart", (extra) => barChart(rows, { x: "x", y: "y", ...extra })],
  ["lineChart", (extra) => lineChart(rows, { x: "y", y: "y", ...extra })],
  ["volumeView", (extra) => volumeView(volume, { ...extra })],
  ["orientationMap", (extra) => orientationMap(vectors2, { ...extra })],
  [
    "directionColor",
    (extra) => directionColor(vectors3, { plane: 0, ...extra }),
  ],
  ["vectorGlyphs", (extra) => vectorGlyphs(vectors2, { ...extra })],
  [
    "orientationHistogram",
    (extra) => orientationHistogram(vectors2, { ...extra }),
  ],
  [
    "orientationDistribution",
    (extra) => orientationDistribution(vectors2, { ...extra }),
  ],
];

Deno.test("every figure function names an unknown option key and accepts its own", () => {
  for (const [fn, call] of calls) {
    call({});
    assert.throws(
      () => call({ colour: "red" }),
      (error: Error) =>
        error.message.startsWith(
          `${fn}: options has no key "colour" (got "red"); its keys are `,
        ),
      fn,
    );
  }
});

Deno.test("renderPng and saveFigure refuse unknown and non-object options", async () => {
  const figure = imshow(image);
  await assert.rejects(
    () => renderPng(figure, { dpi: 300 } as never),
    /renderPng: options has no key "dpi" \(got 300\); its keys are scale, fontFiles/,
  );
  await assert.rejects(
    () => saveFigure("figure.svg", figure, null as never),
    /saveFigure: options must be an object with keys among scale, fontFiles, got null/,
  );
});
