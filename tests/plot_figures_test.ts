import assert from "node:assert/strict";
// Test-only decoders, pinned here rather than in lib/deps.ts.
import { decode } from "npm:fast-png@8.0.0";
import { XMLValidator } from "npm:fast-xml-parser@5.12.1";
import { type NdArray, ndarray } from "../lib/deps.ts";
import {
  barChart,
  type Figure,
  imshow,
  imshowFacets,
  lineChart,
  planeRow,
  volumeView,
} from "../lib/plot/mod.ts";

/** Checks a figure is a standalone, well-formed SVG document and returns its embedded PNGs, decoded. */
function checkFigure(figure: Figure) {
  assert.equal(XMLValidator.validate(figure.svg), true, "well-formed XML");
  assert.match(
    figure.svg,
    /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" xmlns:xlink="http:\/\/www\.w3\.org\/1999\/xlink" width="(\d+)" height="(\d+)"/,
  );
  assert.ok(
    figure.svg.includes(`width="${figure.width}" height="${figure.height}"`),
  );
  const hrefs = [...figure.svg.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
  assert.ok(
    hrefs.every((h) => h.startsWith("data:image/png;base64,")),
    "no external references",
  );
  return hrefs.map((h) => {
    const image = decode(
      Uint8Array.from(atob(h.slice(22)), (c) => c.charCodeAt(0)),
    );
    return {
      width: image.width,
      height: image.height,
      channels: image.channels,
      data: image.data as Uint8Array,
    };
  });
}

type Png = ReturnType<typeof checkFigure>[number];
const pixel = (
  png: Png,
  x: number,
  y: number,
) => [
  ...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4),
];
const ramp = (rows: number, cols: number) =>
  ndarray(Float64Array.from({ length: rows * cols }, (_, i) => i), [
    rows,
    cols,
  ]);

Deno.test("imshow: 30x30 crisp cells at an integer upscale, row 0 on top, gray ends black and white", () => {
  const figure = imshow(ramp(30, 30), {
    vmin: 0,
    vmax: 899,
    title: "A ramp",
    labels: { x: "col", y: "row", color: "intensity" },
  });
  const [image, colorbar] = checkFigure(figure);
  assert.equal(figure.kind, "image");
  for (const text of [">A ramp<", ">col<", ">row<", ">intensity<"]) {
    assert.ok(figure.svg.includes(text), text);
  }
  assert.ok(figure.svg.includes('image-rendering="pixelated"'));
  const scale = image.width / 30;
  assert.ok(
    Number.isInteger(scale) && scale >= 1 && image.height === 30 * scale,
  );
  assert.equal(image.channels, 4);
  assert.deepEqual(pixel(image, 0, 0), [0, 0, 0, 255]);
  assert.deepEqual(pixel(image, image.width - 1, image.height - 1), [
    255,
    255,
    255,
    255,
  ]);
  // Every cell is a uniform scale x scale block of its value's color.
  for (const [r, c] of [[0, 1], [3, 17], [29, 0]]) {
    const expected = pixel(image, c * scale, r * scale);
    assert.deepEqual(
      pixel(image, c * scale + scale - 1, r * scale + scale - 1),
      expected,
    );
    const gray = Math.round(
      Math.min(255, Math.floor(((r * 30 + c) / 899) * 256)),
    );
    assert.equal(expected[0], gray, `cell ${r},${c}`);
  }
  // The color bar is a 256-step gradient, vmax at the top.
  assert.deepEqual([colorbar.width, colorbar.height], [1, 256]);
  assert.deepEqual(pixel(colorbar, 0, 0), [255, 255, 255, 255]);
  assert.deepEqual(pixel(colorbar, 0, 255), [0, 0, 0, 255]);
});

Deno.test("imshow: ticks at pixel centers and axis labels; ticks: false and colorbar: false drop them", () => {
  const figure = imshow(ramp(30, 30), { labels: { x: "col", y: "row" } });
  const ticks =
    [...figure.svg.matchAll(/aria-label="x-axis tick label"[^>]*>(.*?)<\/g>/g)][
      0
    ][1];
  assert.deepEqual([...ticks.matchAll(/>(\d+)</g)].map((m) => Number(m[1])), [
    0,
    5,
    10,
    15,
    20,
    25,
  ]);
  const bare = imshow(ramp(30, 30), { ticks: false, colorbar: false });
  assert.ok(!bare.svg.includes("axis tick"));
  assert.equal(checkFigure(bare).length, 1);
});

Deno.test("imshow: viridis ends, clamping outside [vmin, vmax], NaN transparent", () => {
  const values = new Float32Array([-10, 0, 0.5, 1, 50, Number.NaN]);
  const [image] = checkFigure(
    imshow(ndarray(values, [1, 6]), { cmap: "viridis", vmin: 0, vmax: 1 }),
  );
  const scale = image.width / 6;
  const at = (c: number) => pixel(image, c * scale, 0);
  assert.deepEqual(at(0), [0x44, 0x01, 0x54, 255]);
  assert.deepEqual(at(1), [0x44, 0x01, 0x54, 255]);
  assert.deepEqual(at(3), [0xfd, 0xe7, 0x25, 255]);
  assert.deepEqual(at(4), [0xfd, 0xe7, 0x25, 255]);
  assert.equal(at(5)[3], 0);
});

Deno.test("imshow: views draw like their dense copies and inputs are not changed", () => {
  const base = ramp(6, 8);
  const before = Float64Array.from(base.data as Float64Array);
  const view = base.transpose(1, 0).step(-1, 2); // 8x3, negative and stepped strides
  const dense = ndarray(new Float64Array(8 * 3), [8, 3]);
  for (let r = 0; r < 8; r++) {
    for (let c = 0; c < 3; c++) dense.set(r, c, view.get(r, c));
  }
  assert.equal(
    imshow(view, { title: "v" }).svg,
    imshow(dense, { title: "v" }).svg,
  );
  assert.deepEqual(base.data, before);
  const ints = ndarray(new Uint16Array([0, 65535, 300, 4]), [2, 2]);
  assert.equal(
    imshow(ints).svg,
    imshow(ndarray(new Float64Array([0, 65535, 300, 4]), [2, 2])).svg,
  );
});

Deno.test("imshow: bad input is rejected naming the function, argument and value", () => {
  assert.throws(() => imshow(ndarray(new Float64Array(4), [4])), {
    name: "TypeError",
    message:
      "imshow: image must be a 2-D ndarray with every dimension >= 1, got ndarray of shape [4]",
  });
  assert.throws(
    () => imshow(ndarray(new Float64Array(8), [2, 2, 2])),
    /imshow: image must be a 2-D ndarray/,
  );
  assert.throws(
    () => imshow([[1, 2]] as unknown as NdArray),
    /^TypeError: imshow: image must be an ndarray over a Uint8, .* typed array, got \[\[1, 2\]\]$/,
  );
  assert.throws(() => imshow(ramp(2, 2), { vmin: 3, vmax: 1 }), {
    message: "imshow: vmin must be <= vmax (1), got 3",
  });
  assert.throws(
    () => imshow(ramp(2, 2), { vmin: Number.NaN }),
    /imshow: vmin must be a finite number, got NaN/,
  );
  assert.throws(
    () => imshow(ramp(2, 2), { cmap: "jet" as "gray" }),
    /imshow: cmap must be one of/,
  );
  assert.throws(
    () => imshow(ramp(2, 2), { width: 5 }),
    /imshow: width must be/,
  );
});

Deno.test("every figure function refuses an ndarray whose view runs past its storage, naming itself and the argument", () => {
  // 9 elements over a storage of 4: reading it would give undefined (NaN).
  const outside = ndarray(new Float64Array(4), [3, 3]);
  const inside = ndarray(new Float64Array(9), [3, 3]);
  const expect = (fn: string, argument: string) => ({
    name: "TypeError",
    message:
      `${fn}: ${argument} must be an ndarray whose view lies inside its storage (offset 0 and stride [3, 1] reach indices 0 to 8, data length 4), got ndarray of shape [3, 3]`,
  });
  assert.throws(() => imshow(outside), expect("imshow", "image"));
  assert.throws(
    () => imshowFacets([inside, outside]),
    expect("imshowFacets", "images[1]"),
  );
  assert.throws(
    () => planeRow([outside], { titles: ["a"] }),
    expect("planeRow", "images[0]"),
  );
  assert.throws(
    () => volumeView(ndarray(new Float64Array(4), [1, 3, 3])),
    {
      name: "TypeError",
      message:
        "volumeView: volume must be an ndarray whose view lies inside its storage (offset 0 and stride [9, 3, 1] reach indices 0 to 8, data length 4), got ndarray of shape [1, 3, 3]",
    },
  );
  // The same shapes inside their storage draw.
  assert.equal(imshow(inside).kind, "image");
  assert.equal(
    volumeView(ndarray(new Float64Array(9), [1, 3, 3]), { width: 200 }).kind,
    "volume",
  );
});

Deno.test("imshowFacets: one shared color scale, facet titles, panels of different sizes", () => {
  const small = ndarray(new Float64Array([0, 5, 5, 10]), [2, 2]);
  const wide = ndarray(
    Float64Array.from({ length: 8 * 30 }, (_, i) => (i === 0 ? 5 : 20)),
    [8, 30],
  );
  const figure = imshowFacets([small, wide], {
    facetLabel: "rank",
    title: "Eigenvalues for plane Z = 1.",
    cmap: "magma",
  });
  assert.equal(figure.kind, "facets");
  const [a, b, colorbar] = checkFigure(figure);
  for (
    const text of [">rank=0<", ">rank=1<", ">Eigenvalues for plane Z = 1.<"]
  ) assert.ok(figure.svg.includes(text));
  const scaleA = a.width / 2;
  const scaleB = b.width / 30;
  assert.equal(a.height, 2 * scaleA);
  assert.equal(b.height, 8 * scaleB);
  // Value 5 is at (0, 1) in the first panel and (0, 0) in the second: same color.
  assert.deepEqual(pixel(a, scaleA, 0), pixel(b, 0, 0));
  assert.deepEqual(pixel(a, 0, 0), [0, 0, 4, 255]); // global minimum 0
  assert.deepEqual(pixel(b, b.width - 1, 0), [0xfc, 0xfd, 0xbf, 255]); // global maximum 20
  assert.equal(colorbar.height, 256);
  const titled = imshowFacets([small, small], {
    titles: ["X-Z", "Y-Z"],
    vmin: 0,
    vmax: 100,
  });
  assert.ok(titled.svg.includes(">X-Z<") && titled.svg.includes(">Y-Z<"));
  assert.throws(
    () => imshowFacets([small], { titles: ["a", "b"] }),
    /imshowFacets: titles must be 1 strings/,
  );
  assert.throws(
    () => imshowFacets([]),
    /imshowFacets: images must be a non-empty array/,
  );
  assert.throws(
    () => imshowFacets([small, ramp(1, 1).pick(0)]),
    /imshowFacets: images\[1\] must be a 2-D ndarray/,
  );
});

Deno.test("planeRow: titled panels without ticks, each scaled to its own range", () => {
  const low = ndarray(new Float64Array([0, 1, 1, 0]), [2, 2]);
  const high = ndarray(new Float64Array([0, 100, 100, 0]), [2, 2]);
  const figure = planeRow([low, high, low], {
    titles: ["Plane = 5", "Plane = 8", "Plane = 11"],
  });
  const pngs = checkFigure(figure);
  assert.equal(pngs.length, 3);
  for (const text of [">Plane = 5<", ">Plane = 8<", ">Plane = 11<"]) {
    assert.ok(figure.svg.includes(text));
  }
  assert.ok(!figure.svg.includes("axis tick"));
  const scale = pngs[0].width / 2;
  assert.deepEqual(pixel(pngs[0], scale, 0), [255, 255, 255, 255]);
  assert.deepEqual(pixel(pngs[1], scale, 0), [255, 255, 255, 255]);
  assert.throws(
    () => planeRow([low], undefined as unknown as { titles: string[] }),
    /planeRow: options must be/,
  );
  assert.throws(
    () => planeRow([low], { titles: [] }),
    /planeRow: titles must be 1 strings/,
  );
});

Deno.test("volumeView: a ray-cast rendering with an outlined opaque slice", () => {
  const volume = ndarray(
    Float32Array.from({ length: 8 * 30 * 30 }, (_, i) => i % 30),
    [8, 30, 30],
  );
  const figure = volumeView(volume, {
    opacity: 0.5,
    slice: 4,
    title: "Sample",
    width: 300,
  });
  assert.equal(figure.kind, "volume");
  const [render, colorbar] = checkFigure(figure);
  assert.ok(figure.svg.includes(">Sample<") && figure.svg.includes("#ff8c1a"));
  assert.ok(
    render.width > 300 && render.height > 100 && colorbar.height === 256,
  );
  const alphas = (png: Png) => png.data.filter((_, i) => i % 4 === 3);
  assert.ok(alphas(render).some((a) => a === 255), "opaque slice pixels");
  // Nothing visible without opacity and without a slice.
  const empty =
    checkFigure(volumeView(volume, { opacity: 0, slice: -1, width: 300 }))[0];
  assert.ok(alphas(empty).every((a) => a === 0));
  assert.throws(
    () => volumeView(ramp(3, 3)),
    /volumeView: volume must be a 3-D ndarray/,
  );
  assert.throws(
    () => volumeView(volume, { slice: 8 }),
    /volumeView: slice must be a number in \[-1, 7\], got 8/,
  );
  assert.throws(
    () => volumeView(volume, { opacity: 2 }),
    /volumeView: opacity must be a number in \[0, 1\]/,
  );
});

Deno.test("barChart and lineChart: titled charts with labels; bad fields are rejected", () => {
  const bars = barChart([{ step: "sobel", ms: 4.2 }, {
    step: "eigen",
    ms: 30.1,
  }], {
    x: "step",
    y: "ms",
    title: "Time per step",
    labels: { y: "time (ms)" },
  });
  checkFigure(bars);
  for (
    const text of [
      ">Time per step<",
      ">sobel<",
      ">eigen<",
      ">time (ms)<",
      ">30.1<",
    ]
  ) {
    assert.ok(bars.svg.includes(text), text);
  }
  const rows = [8, 16, 32].flatMap((
    n,
  ) => [{ n, ms: n, impl: "a" }, { n, ms: 2 * n, impl: "b & c" }]);
  const lines = lineChart(rows, {
    x: "n",
    y: "ms",
    series: "impl",
    title: "Scaling",
    logX: true,
    logY: true,
  });
  checkFigure(lines);
  assert.ok(
    lines.svg.includes(">Scaling<") && lines.svg.includes(">b &amp; c<"),
  );
  assert.throws(
    () => barChart([{ a: 1 }], { x: "step", y: "a" }),
    /barChart: x must be the name of a field/,
  );
  assert.throws(
    () => barChart([], { x: "a", y: "b" }),
    /barChart: rows must be a non-empty array/,
  );
  assert.throws(
    () => lineChart([{ n: 0, ms: 1 }], { x: "n", y: "ms", logX: true }),
    /lineChart: rows\[\]\.n \(x\) must be a positive finite number \(log scale\), got 0/,
  );
});
