import assert from "node:assert/strict";
// Test-only decoders, pinned here rather than in lib/deps.ts.
import { decode } from "npm:fast-png@8.0.0";
import { XMLValidator } from "npm:fast-xml-parser@5.12.1";
import { type NdArray, ndarray } from "../lib/deps.ts";
import type { Figure } from "../lib/plot/figure.ts";
import { saveFigure } from "../lib/plot/save_figure.ts";
import { orientationMap } from "../lib/plot/orientation_map.ts";
import { directionColor } from "../lib/plot/direction_color.ts";
import {
  orientationDistribution,
  orientationHistogram,
} from "../lib/plot/orientation_distribution.ts";
import { glyphSegments, vectorGlyphs } from "../lib/plot/vector_glyphs.ts";

/** Checks a figure is well-formed standalone SVG with its title; returns its PNGs decoded. */
function checkFigure(figure: Figure, title: string) {
  assert.equal(XMLValidator.validate(figure.svg), true, "well-formed XML");
  assert.match(figure.svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.ok(
    figure.svg.includes(`width="${figure.width}" height="${figure.height}"`),
  );
  assert.equal(figure.title, title);
  assert.ok(figure.svg.includes(`<title>${title}</title>`), "title element");
  assert.ok(figure.svg.includes(`>${title}</text>`), "title text");
  const hrefs = [...figure.svg.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
  assert.ok(hrefs.every((h) => h.startsWith("data:image/png;base64,")));
  return hrefs.map((h) => {
    const png = decode(
      Uint8Array.from(atob(h.slice(22)), (c) => c.charCodeAt(0)),
    );
    return { width: png.width, data: png.data as Uint8Array };
  });
}

const rgbAt = (
  png: { width: number; data: Uint8Array },
  x: number,
  y: number,
) => [
  ...png.data.subarray((y * png.width + x) * 4, (y * png.width + x) * 4 + 4),
];

/**
 * A d-D eigenvector field `[d, d, ...shape]` with `vector(index)` (axis
 * order) as rank 0 at every voxel; other ranks zero.
 */
function field(
  shape: number[],
  vector: (index: number) => number[],
): NdArray {
  const d = shape.length;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(d * d * n);
  for (let i = 0; i < n; i++) {
    vector(i).forEach((v, c) => (data[c * n + i] = v));
  }
  return ndarray(data, [d, d, ...shape]);
}

/** Every distinct RGBA colour of the first embedded PNG (the image panel). */
function panelColors(figure: Figure, title: string): string[] {
  const [panel] = checkFigure(figure, title);
  const colors = new Set<string>();
  for (let i = 0; i < panel.data.length; i += 4) {
    colors.add(panel.data.subarray(i, i + 4).join());
  }
  return [...colors];
}

Deno.test("orientationMap: hue is twice the in-plane angle (x red, y cyan, 45° chartreuse), saturation anisotropy, value intensity", () => {
  const s = Math.SQRT1_2;
  const cases: [number[], string][] = [
    [[0, 1], "255,0,0,255"], // along x: 0° → hue 0
    [[0, -1], "255,0,0,255"], // -v is the same orientation
    [[1, 0], "0,255,255,255"], // along y (rows): 90° → hue 180
    [[-s, s], "128,255,0,255"], // up-right on screen: 45° → hue 90
    [[s, s], "128,0,255,255"], // down-right: 135° → hue 270
  ];
  for (const [vector, rgba] of cases) {
    const figure = orientationMap(field([3, 4], () => vector), {
      title: "Map",
    });
    assert.deepEqual(panelColors(figure, "Map"), [rgba], String(vector));
  }
  // Saturation 0.5 and value from the plane's range: min black, max full.
  const intensity = ndarray(new Float64Array([0, 10, 10, 10]), [2, 2]);
  const anisotropy = ndarray(new Float64Array(4).fill(0.5), [2, 2]);
  const [panel] = checkFigure(
    orientationMap(field([2, 2], () => [0, 1]), {
      anisotropy,
      intensity,
      title: "Map",
    }),
    "Map",
  );
  assert.deepEqual(rgbAt(panel, 0, 0), [0, 0, 0, 255]);
  assert.deepEqual(rgbAt(panel, panel.width - 1, 0), [255, 128, 128, 255]);
  // The legend names the saturation's measure: "anisotropy", or what the caller says.
  const legend = (options: { anisotropyLabel?: string }) =>
    orientationMap(field([2, 2], () => [0, 1]), { anisotropy, ...options }).svg;
  assert.ok(legend({}).includes(">radius: anisotropy<"));
  assert.ok(
    legend({ anisotropyLabel: "coherence" }).includes(">radius: coherence<"),
  );
  assert.ok(
    !legend({ anisotropyLabel: "coherence" }).includes("radius: anisotropy"),
  );
  assert.throws(
    () => legend({ anisotropyLabel: 3 as unknown as string }),
    /anisotropyLabel/,
  );
});

Deno.test("orientationMap and directionColor on a 3-D field draw the chosen plane's (y, x) components", () => {
  // Plane 0 along x, plane 1 along y; the z component must not matter.
  const vectors = field(
    [2, 3, 3],
    (i) => i < 9 ? [0.6, 0, 0.8] : [0.6, 0.8, 0],
  );
  const map = (plane: number) =>
    panelColors(orientationMap(vectors, { plane, title: "P" }), "P");
  assert.deepEqual(map(0), ["255,0,0,255"]);
  assert.deepEqual(map(1), ["0,255,255,255"]);
  const colors = (v: number[], weight?: number) =>
    panelColors(
      directionColor(field([1, 2, 2], () => v), {
        plane: 0,
        weight: weight === undefined
          ? undefined
          : ndarray(new Float64Array(4).fill(weight), [1, 2, 2]),
        title: "D",
      }),
      "D",
    );
  assert.deepEqual(colors([0, 0, 1]), ["255,0,0,255"]); // x: red
  assert.deepEqual(colors([0, 0, -1]), ["255,0,0,255"]); // sign ignored
  assert.deepEqual(colors([0, 1, 0]), ["0,255,0,255"]); // y: green
  assert.deepEqual(colors([1, 0, 0]), ["0,0,255,255"]); // z: blue
  assert.deepEqual(colors([0.6, 0, 0.8], 0.5), ["102,0,77,255"]);
});

Deno.test("orientationHistogram: z-aligned (either sign) fills the centre cell; the equator at azimuth 0 the outer ring's +X cell", () => {
  const bins = 5;
  const cells = 1 + 3 * bins * (bins + 1);
  const alongZ = orientationHistogram(
    field([2, 2, 1], (i) => [i % 2 ? -1 : 1, 0, 0]),
    { bins },
  );
  assert.equal(alongZ.values.length, cells);
  assert.equal(alongZ.values[0], 4);
  assert.equal(alongZ.total, 4);
  // Equator, azimuth 0 (+x): outer ring, sector 0, which is centred on +X.
  const outerStart = 1 + 3 * bins * (bins - 1);
  const alongX = orientationHistogram(field([1, 1, 3], () => [0, 0, 1]), {
    bins,
  });
  assert.equal(alongX.values[outerStart], 3);
  // Tilted 30° from +Z towards +Y, i.e. azimuth 90°: ring of radius
  // sqrt(2)·sin(15°) = 0.366, so ring 2 of 5 (bounds sqrt(7/91), sqrt(19/91)).
  const tilted = orientationHistogram(
    field([1, 1, 1], () => [Math.cos(Math.PI / 6), Math.sin(Math.PI / 6), 0]),
    { bins },
  );
  const ring2Start = 1 + 3 * 2 * 1;
  assert.equal(tilted.values[ring2Start + 3], 1); // sector 3 of 12: 90°
  // Weights add, NaN weights are skipped.
  const weighted = orientationHistogram(
    field([1, 1, 2], () => [0, 0, 1]),
    { bins, weight: ndarray(new Float64Array([0.25, NaN]), [1, 1, 2]) },
  );
  assert.equal(weighted.values[outerStart], 0.25);
  assert.equal(weighted.total, 0.25);
});

Deno.test("orientationHistogram: a uniform distribution over the sphere gives equal cell weights (equal-area projection and cells)", () => {
  let seed = 12345;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const samples = 60000;
  // Uniform on the whole sphere (Archimedes: z uniform), so folding matters too.
  const vectors = field([1, 1, samples], () => {
    const z = 2 * random() - 1;
    const phi = 2 * Math.PI * random();
    const s = Math.sqrt(1 - z * z);
    return [z, s * Math.sin(phi), s * Math.cos(phi)];
  });
  const { values, total } = orientationHistogram(vectors, { bins: 6 });
  assert.equal(total, samples);
  const expected = samples / values.length;
  const chiSquare = values.reduce(
    (sum, v) => sum + (v - expected) ** 2 / expected,
    0,
  );
  // 126 degrees of freedom: mean 126, standard deviation about 16.
  assert.ok(chiSquare < 126 + 6 * 16, `chi-square ${chiSquare}`);
});

Deno.test("orientationDistribution: the Schmidt net puts the equator's +x weight at the rim beside the X label, with Z at the centre", () => {
  const figure = orientationDistribution(
    field([1, 1, 4], () => [0, 0, 1]),
    { bins: 4, title: "Net" },
  );
  // The colour bar is a 1-pixel-wide strip; the disk is the square PNG.
  const disk = checkFigure(figure, "Net").find((png) => png.width > 1)!;
  const middle = disk.width / 2;
  const yellow = [253, 231, 37, 255]; // viridis' last colour: the densest cell
  const dark = [68, 1, 84, 255]; // viridis' first: empty cells
  assert.deepEqual(rgbAt(disk, disk.width - 3, middle), yellow);
  assert.deepEqual(rgbAt(disk, 2, middle), dark);
  assert.deepEqual(rgbAt(disk, middle, middle), dark);
  assert.deepEqual(rgbAt(disk, 0, 0), [0, 0, 0, 0], "outside the disk");
  // +y on the equator lands on the bottom rim, beside the Y label.
  const alongY = checkFigure(
    orientationDistribution(field([1, 1, 4], () => [0, 1, 0]), {
      bins: 4,
      title: "Net",
    }),
    "Net",
  ).find((png) => png.width > 1)!;
  assert.deepEqual(rgbAt(alongY, middle, alongY.width - 3), yellow);
  assert.deepEqual(rgbAt(alongY, middle, 2), dark);
  const labelX = (text: string) =>
    Number(
      figure.svg.match(new RegExp(`<text x="([\\d.]+)"[^>]*>${text}<`))![1],
    );
  assert.ok(labelX("X") > labelX("Z") + 100, "X on the right rim");
  assert.ok(Math.abs(labelX("Y") - labelX("Z")) < 1, "Y below the centre");
  assert.ok(figure.svg.includes(">density (1 = uniform)<"));
});

Deno.test("orientationDistribution 2-D: a rose of orientations in [0°, 180°), weighted", () => {
  const vectors = field([1, 3], (i) => (i < 2 ? [0, 1] : [1, 0]));
  const { values } = orientationHistogram(vectors, { bins: 18 });
  assert.equal(values[0], 2); // along x: 0°
  assert.equal(values[9], 1); // along y: 90°
  const weighted = orientationHistogram(vectors, {
    bins: 4,
    weight: ndarray(new Float64Array([1, 1, 5]), [1, 3]),
  });
  assert.deepEqual([...weighted.values], [2, 0, 5, 0]);
  const figure = orientationDistribution(vectors, { title: "Rose" });
  checkFigure(figure, "Rose");
  // Two wedges (the orientation and its opposite) per non-empty bin.
  const wedges = figure.svg.match(/fill="#4c78a8"/) &&
    figure.svg.match(/<path d="([^"]*)" fill="#4c78a8"/)![1].match(/M/g)!;
  assert.equal(wedges!.length, 4);
});

Deno.test("glyphSegments: centred on each step's pixel, along the in-plane vector, 0.9·step·anisotropy long", () => {
  const angle = (30 * Math.PI) / 180; // 30° counterclockwise on screen
  const vectors = field([8, 8], () => [-Math.sin(angle), Math.cos(angle)]);
  const anisotropy = ndarray(new Float64Array(64).fill(0.5), [8, 8]);
  const { x1, y1, x2, y2 } = glyphSegments(vectors, { step: 4, anisotropy });
  assert.equal(x1.length, 4);
  const centres: string[] = [];
  for (let i = 0; i < x1.length; i++) {
    assert.ok(Math.abs(Math.hypot(x2[i] - x1[i], y2[i] - y1[i]) - 1.8) < 1e-12);
    const drawn = (Math.atan2(-(y2[i] - y1[i]), x2[i] - x1[i]) * 180) / Math.PI;
    assert.ok(Math.abs(drawn - 30) < 1e-9, String(drawn));
    centres.push(`${(y1[i] + y2[i]) / 2},${(x1[i] + x2[i]) / 2}`);
  }
  assert.deepEqual(centres, ["1,1", "1,5", "5,1", "5,5"]);
  // A 3-D field: the plane's (y, x) components, normalised.
  const tilted = glyphSegments(field([2, 1, 1], () => [0.8, 0, 0.6]), {
    plane: 1,
  });
  const ends = [tilted.x1[0], tilted.x2[0], tilted.y1[0], tilted.y2[0]];
  [-0.45, 0.45, 0, 0].forEach((v, k) =>
    assert.ok(Math.abs(ends[k] - v) < 1e-12)
  );
  const figure = vectorGlyphs(vectors, {
    step: 4,
    anisotropy,
    background: ndarray(Float64Array.from({ length: 64 }, (_, i) => i), [8, 8]),
    title: "Glyphs",
  });
  const [background] = checkFigure(figure, "Glyphs");
  assert.deepEqual(rgbAt(background, 0, 0), [0, 0, 0, 255]); // imshow's gray
  const link = figure.svg.match(/aria-label="link"[^]*?<\/g>/)![0];
  assert.equal(link.match(/<path/g)!.length, 4);
});

Deno.test("the orientation figures name the bad argument", () => {
  const good2 = field([2, 2], () => [0, 1]);
  const good3 = field([2, 2, 2], () => [0, 0, 1]);
  const cases: [() => unknown, RegExp][] = [
    [
      () => orientationMap(ndarray(new Float64Array(24), [2, 3, 2, 2])),
      /^orientationMap: vectors must be an eigenvector ndarray \[d, d, \.\.\.shape\]/,
    ],
    [
      () => orientationMap(good3),
      /^orientationMap: plane must be a z index in \[0, 1\]/,
    ],
    [
      () => orientationMap(good2, { plane: 0 }),
      /^orientationMap: plane must be undefined/,
    ],
    [
      () => orientationMap(good2, { rank: 2 }),
      /^orientationMap: rank must be an integer in \[0, 1\], got 2/,
    ],
    [
      () =>
        orientationMap(good2, {
          anisotropy: ndarray(new Float64Array(3), [3]),
        }),
      /^orientationMap: anisotropy must be an ndarray of shape \[2, 2\]/,
    ],
    [
      () => orientationMap(good2, { intensity: [1, 2] as unknown as NdArray }),
      /^orientationMap: intensity must be/,
    ],
    [
      () => directionColor(good2, { plane: 0 }),
      /^directionColor: vectors must be .* d = 3 /,
    ],
    [
      () => directionColor(good3, { plane: 2 }),
      /^directionColor: plane must be an integer in \[0, 1\], got 2/,
    ],
    [
      () =>
        directionColor(good3, {
          plane: 0,
          weight: ndarray(new Float64Array(2), [2]),
        }),
      /^directionColor: weight must be an ndarray of shape \[2, 2\] or \[2, 2, 2\]/,
    ],
    [
      () => orientationHistogram(good3, { bins: 0 }),
      /^orientationHistogram: bins must be an integer/,
    ],
    [
      () => orientationDistribution(good3, { title: 3 as unknown as string }),
      /^orientationDistribution: title must be a string, got 3/,
    ],
    [
      () => vectorGlyphs(good2, { step: 1.5 }),
      /^vectorGlyphs: step must be an integer >= 1, got 1.5/,
    ],
    [() => vectorGlyphs(good2, { width: 5 }), /^vectorGlyphs: width must be/],
    [
      () =>
        glyphSegments(
          ndarray(new Float64Array(4), [2, 2, 2, 2]).hi(2, 2, 2, 3),
        ),
      /^glyphSegments: vectors must be/,
    ],
  ];
  for (const [call, message] of cases) {
    assert.throws(call, { name: "TypeError", message });
  }
});

Deno.test("every orientation figure renders to PNG through saveFigure", async () => {
  const folder = await Deno.makeTempDir();
  const vectors = field([1, 6, 6], (i) => [0.3, Math.sin(i), Math.cos(i)]);
  const figures = [
    orientationMap(vectors, { plane: 0, title: "a" }),
    directionColor(vectors, { plane: 0, title: "b" }),
    orientationDistribution(vectors, { title: "c" }),
    vectorGlyphs(vectors, { plane: 0, title: "d" }),
  ];
  for (const [i, figure] of figures.entries()) {
    const path = `${folder}/${i}.png`;
    await saveFigure(path, figure, { scale: 1 });
    const png = decode(await Deno.readFile(path));
    assert.equal(png.width, figure.width);
  }
  await Deno.remove(folder, { recursive: true });
});
