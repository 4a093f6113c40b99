/**
 * With `physicalSizes` (and `physicalUnit`), every 2-D figure draws pixels X
 * wide and Y tall, puts its ticks at round physical values over the right
 * pixels, titles its axes in the unit ("x (µm)"), and refuses bad sizes
 * naming the function, the option and the value.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type NdArray, ndarray } from "../lib/deps.ts";
import {
  directionColor,
  type Figure,
  glyphSegments,
  imshow,
  imshowFacets,
  orientationMap,
  planeRow,
  vectorGlyphs,
} from "../lib/plot/mod.ts";

const ROWS = 30;
const COLS = 40;
const ramp = (rows = ROWS, cols = COLS) =>
  ndarray(Float64Array.from({ length: rows * cols }, (_, i) => i), [
    rows,
    cols,
  ]);

/** Unit in-plane vectors `[2, 2, rows, cols]`, rank 0 along +x. */
function planeVectors(rows = ROWS, cols = COLS): NdArray {
  const n = rows * cols;
  const data = new Float64Array(4 * n);
  data.fill(1, n, 2 * n); // rank 0, col component
  data.fill(1, 2 * n, 3 * n); // rank 1, row component
  return ndarray(data, [2, 2, rows, cols]);
}

/** Unit 3-D vectors `[3, 3, 2, rows, cols]`, rank 0 along +x. */
function volumeVectors(rows = ROWS, cols = COLS): NdArray {
  const n = 2 * rows * cols;
  const data = new Float64Array(9 * n);
  data.fill(1, 2 * n, 3 * n);
  data.fill(1, 4 * n, 5 * n);
  data.fill(1, 6 * n, 7 * n);
  return ndarray(data, [3, 3, 2, rows, cols]);
}

/** The first pixel-grid image's frame, in the panel's coordinates. */
function pixelFrame(svg: string) {
  const tag = svg.match(/<image image-rendering="pixelated"[^>]*>/)?.[0];
  assert.ok(tag, "a pixel image");
  const attribute = (name: string) =>
    Number(tag.match(new RegExp(` ${name}="([^"]+)"`))![1]);
  return {
    x: attribute("x"),
    y: attribute("y"),
    width: attribute("width"),
    height: attribute("height"),
  };
}

/** The first panel's tick labels on `axis`, with their position along it. */
function tickLabels(svg: string, axis: "x" | "y") {
  const group = svg.match(
    new RegExp(`aria-label="${axis}-axis tick label"[^>]*>(.*?)</g>`),
  )?.[1];
  assert.ok(group, `${axis} tick labels`);
  return [...group.matchAll(/translate\(([^,]+),([^)]+)\)[^>]*>([^<]*)</g)]
    .map((m) => ({
      label: m[3],
      at: Number(axis === "x" ? m[1] : m[2]),
    }));
}

/** The first panel's axis title on `axis`, or undefined. */
function axisTitle(svg: string, axis: "x" | "y"): string | undefined {
  return svg.match(
    new RegExp(`aria-label="${axis}-axis label"[^>]*><text[^>]*>([^<]*)<`),
  )?.[1];
}

/**
 * Checks that the frame has the physical aspect and that every tick label is a
 * physical value drawn over the centre of the pixel at that value.
 */
function checkPhysicalAxes(
  figure: Figure,
  size: { X: number; Y: number },
  shape = [ROWS, COLS],
) {
  const [rows, cols] = shape;
  const frame = pixelFrame(figure.svg);
  const aspect = (frame.width / frame.height) /
    ((cols * size.X) / (rows * size.Y));
  assert.ok(Math.abs(aspect - 1) < 1e-3, `aspect off by ${aspect}`);
  for (
    const [axis, n, step, start, length] of [
      ["x", cols, size.X, frame.x, frame.width],
      ["y", rows, size.Y, frame.y, frame.height],
    ] as const
  ) {
    const ticks = tickLabels(figure.svg, axis);
    assert.ok(ticks.length >= 2, `${axis}: ${ticks.length} ticks`);
    for (const { label, at } of ticks) {
      assert.match(label, /^\d+(\.\d{1,3})?$/, `${axis} label ${label}`);
      const index = Number(label) / step;
      assert.ok(
        index >= -1e-9 && index <= n - 1 + 1e-9,
        `${axis}: ${label} is outside the image`,
      );
      const expected = start + (index + 0.5) * (length / n);
      assert.ok(
        Math.abs(at - expected) < 0.02,
        `${axis} ${label} at ${at}, expected ${expected}`,
      );
    }
  }
}

Deno.test("imshow: non-square pixels to scale, ticks at physical values, axis titles in the unit", () => {
  const size = { Y: 1, X: 0.25 };
  const figure = imshow(ramp(), { physicalSizes: size, physicalUnit: "µm" });
  checkPhysicalAxes(figure, size);
  assert.equal(axisTitle(figure.svg, "x"), "x (µm)");
  assert.equal(axisTitle(figure.svg, "y"), "y (µm)");
  // Physical values, not pixel indices: the x axis spans 10 µm, not 40 columns.
  const xs = tickLabels(figure.svg, "x").map((t) => Number(t.label));
  assert.ok(Math.max(...xs) <= (COLS - 1) * size.X, String(xs));

  const named = imshow(ramp(), {
    physicalSizes: size,
    physicalUnit: "µm",
    labels: { x: "col", y: "depth" },
  });
  assert.equal(axisTitle(named.svg, "x"), "col (µm)");
  assert.equal(axisTitle(named.svg, "y"), "depth (µm)");

  const unitless = imshow(ramp(), { physicalSizes: { Y: 2, X: 1 } });
  checkPhysicalAxes(unitless, { Y: 2, X: 1 });
  assert.equal(axisTitle(unitless.svg, "x"), "x");

  const unitOnly = imshow(ramp(), { physicalUnit: "nm" });
  checkPhysicalAxes(unitOnly, { Y: 1, X: 1 });
  assert.equal(axisTitle(unitOnly.svg, "y"), "y (nm)");
});

Deno.test("imshow: decimal pixel sizes give short decimal tick labels", () => {
  for (const X of [0.1, 0.05, 0.01, 0.003, 0.3, 1.24, 2.5, 1e4]) {
    const size = { Y: X, X };
    const figure = imshow(ramp(), { physicalSizes: size, physicalUnit: "µm" });
    checkPhysicalAxes(figure, size);
  }
});

Deno.test("pixels drawn to scale still fit the requested width and height", () => {
  for (const size of [{ Y: 1, X: 4 }, { Y: 4, X: 1 }]) {
    const options = { physicalSizes: size, width: 400 };
    for (
      const figure of [
        imshow(ramp(), options),
        orientationMap(planeVectors(), options),
      ]
    ) {
      const frame = pixelFrame(figure.svg);
      assert.ok(figure.width <= 400, `${figure.width} px wide`);
      assert.ok(frame.height <= 0.9 * 400 + 1e-9, `${frame.height} px tall`);
      checkPhysicalAxes(figure, size);
    }
  }
});

Deno.test("without physical sizes the figures keep square pixels and pixel-index ticks", () => {
  const figure = imshow(ramp());
  const frame = pixelFrame(figure.svg);
  assert.ok(Math.abs(frame.width / frame.height - COLS / ROWS) < 1e-9);
  assert.deepEqual(
    tickLabels(figure.svg, "x").map((t) => t.label),
    ["0", "5", "10", "15", "20", "25", "30", "35"],
  );
  assert.equal(axisTitle(figure.svg, "x"), undefined);
  assert.ok(!orientationMap(planeVectors()).svg.includes("x-axis label"));
});

Deno.test("every 2-D figure draws the same physical axes", () => {
  const size = { Z: 5, Y: 0.5, X: 1.5 };
  const options = { physicalSizes: size, physicalUnit: "µm" };
  const figures: [string, Figure][] = [
    ["imshowFacets", imshowFacets([ramp(), ramp()], options)],
    [
      "planeRow",
      planeRow([ramp(), ramp()], {
        titles: ["a", "b"],
        ticks: true,
        ...options,
      }),
    ],
    ["orientationMap", orientationMap(planeVectors(), options)],
    [
      "directionColor",
      directionColor(volumeVectors(), { plane: 1, ...options }),
    ],
    [
      "vectorGlyphs",
      vectorGlyphs(planeVectors(), { background: ramp(), ...options }),
    ],
  ];
  for (const [name, figure] of figures) {
    checkPhysicalAxes(figure, size);
    assert.equal(axisTitle(figure.svg, "x"), "x (µm)", name);
    assert.equal(axisTitle(figure.svg, "y"), "y (µm)", name);
  }
  // planeRow's default has no axes, but keeps the aspect.
  const bare = pixelFrame(
    planeRow([ramp()], { titles: ["a"], ...options }).svg,
  );
  assert.ok(
    Math.abs(bare.width / bare.height - (COLS * 1.5) / (ROWS * 0.5)) < 1e-3,
  );
});

Deno.test("glyphSegments: physical-frame vectors point the same way on pixels drawn to scale", () => {
  const size = { Y: 2, X: 0.5 };
  const angle = Math.PI / 3;
  const n = 3 * 3;
  const data = new Float64Array(4 * n);
  data.fill(Math.sin(angle), 0, n); // rank 0, row component
  data.fill(Math.cos(angle), n, 2 * n); // rank 0, col component
  const vectors = ndarray(data, [2, 2, 3, 3]);
  const step = 3;
  const { x1, x2, y1, y2 } = glyphSegments(vectors, {
    step,
    physicalSizes: size,
  });
  assert.equal(x1.length, 1);
  // Back in physical units, the segment runs along the vector, 0.9 * step pixels of the smaller side long.
  const dx = (x2[0] - x1[0]) * size.X;
  const dy = (y2[0] - y1[0]) * size.Y;
  assert.ok(
    Math.abs(Math.atan2(dy, dx) - angle) < 1e-12,
    `${Math.atan2(dy, dx)}`,
  );
  assert.ok(Math.abs(Math.hypot(dx, dy) - 0.9 * step * size.X) < 1e-12);
  assert.deepEqual([(x1[0] + x2[0]) / 2, (y1[0] + y2[0]) / 2], [1, 1]);
});

Deno.test("bad physical sizes and units are refused, naming the function, the option and the value", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { physicalSizes: { X: -1 } },
      /physicalSizes\.X must be a positive finite number, got -1$/,
    ],
    [
      { physicalSizes: { Y: 0 } },
      /physicalSizes\.Y must be a positive finite number, got 0$/,
    ],
    [
      { physicalSizes: { X: NaN } },
      /physicalSizes\.X must be a positive finite number, got NaN$/,
    ],
    [
      { physicalSizes: { Y: Infinity } },
      /physicalSizes\.Y must be a positive finite number, got Infinity$/,
    ],
    [
      { physicalSizes: { X: "0.5" } },
      /physicalSizes\.X must be a positive finite number, got "0\.5"$/,
    ],
    [
      { physicalSizes: [1, 1] },
      /physicalSizes must be an object such as \{ Z: 1\.25, Y: 1\.24, X: 1\.24 \}, got \[1, 1\]$/,
    ],
    [{ physicalSizes: 0.5 }, /physicalSizes must be an object .*, got 0\.5$/],
    [{ physicalUnit: "" }, /physicalUnit must be a non-empty string, got ""$/],
    [
      { physicalSizes: { X: 1 }, physicalUnit: 1 },
      /physicalUnit must be a non-empty string, got 1$/,
    ],
  ];
  const draw: [string, (options: Record<string, unknown>) => unknown][] = [
    ["imshow", (o) => imshow(ramp(), o)],
    ["imshowFacets", (o) => imshowFacets([ramp()], o)],
    ["planeRow", (o) => planeRow([ramp()], { titles: ["a"], ...o })],
    ["orientationMap", (o) => orientationMap(planeVectors(), o)],
    [
      "directionColor",
      (o) => directionColor(volumeVectors(), { plane: 0, ...o }),
    ],
    ["vectorGlyphs", (o) => vectorGlyphs(planeVectors(), o)],
  ];
  for (const [fn, figure] of draw) {
    for (const [options, message] of cases) {
      assert.throws(() => figure(options), {
        name: "TypeError",
        message: new RegExp(`^${fn}: ${message.source}`),
      });
    }
  }
  assert.throws(
    () => glyphSegments(planeVectors(), { physicalSizes: { X: -1 } }),
    {
      name: "TypeError",
      message:
        /^glyphSegments: physicalSizes\.X must be a positive finite number, got -1$/,
    },
  );
});
