// Renders every kind of stria figure from synthetic data to SVG and PNG, to look
// at them: deno run --allow-read --allow-write scripts/render_figures_preview.ts [--out DIR]
import { parseArgs } from "node:util";
import { ndarray } from "../lib/deps.ts";
import {
  barChart,
  imshow,
  imshowFacets,
  lineChart,
  planeRow,
  saveFigure,
  volumeView,
} from "../lib/plot/mod.ts";

const { values } = parseArgs({
  options: { out: { type: "string", default: "/tmp/stria-figures" } },
});
const out = values.out!;

// A kidney-like synthetic volume: smooth blobs plus a bright tilted sheet.
const [planes, rows, cols] = [16, 64, 64];
const data = new Uint16Array(planes * rows * cols);
for (let z = 0; z < planes; z++) {
  for (let y = 0; y < rows; y++) {
    for (let x = 0; x < cols; x++) {
      const blob = Math.sin(x / 5) * Math.cos(y / 7) * Math.cos(z / 4);
      const sheet = Math.exp(-(((x - 0.6 * y - 10 - z) / 3) ** 2));
      data[(z * rows + y) * cols + x] = Math.round(
        68 + 1500 * (blob + 1) + 2000 * sheet,
      );
    }
  }
}
const volume = ndarray(data, [planes, rows, cols]);
const sample = volume.lo(5, 20, 25).hi(8, 30, 30);

const figures = {
  "1_middle_plane": imshow(volume.pick(8, null, null), {
    vmin: 68,
    vmax: 4095,
    labels: { x: "col", y: "row", color: "intensity" },
  }),
  "2_planes": planeRow([0, 3, 6].map((k) => sample.pick(k, null, null)), {
    titles: ["Plane = 5", "Plane = 8", "Plane = 11"],
  }),
  "3_bottom_slice": imshow(sample.pick(0, null, null), {
    title: "Interactive view of bottom slice of sample data.",
  }),
  "4_eigen": imshowFacets(
    [0, 1, 2].map((k) => sample.pick(k + 1, null, null)),
    {
      facetLabel: "rank",
      title: "Eigenvalues for plane Z = 1.",
      cmap: "viridis",
    },
  ),
  "6_longitudinal": imshowFacets([
    sample.pick(null, 16, null),
    sample.pick(null, null, 16),
  ], {
    facetLabel: "longitudinal",
    cmap: "magma",
  }),
  "7_volume": volumeView(sample, {
    opacity: 0.5,
    slice: 4,
    title: "3D view of the sample",
  }),
  "8_bar": barChart([
    { step: "gaussian", ms: 12.5 },
    { step: "sobel", ms: 4.2 },
    { step: "eigen", ms: 30.1 },
  ], {
    x: "step",
    y: "ms",
    title: "Time per step",
    labels: { x: "step", y: "time (ms)" },
  }),
  "9_line": lineChart(
    [32, 64, 128, 256].flatMap((n) => [
      { n, ms: n * n * 0.001, impl: "stria" },
      { n, ms: n * n * 0.0015, impl: "scikit-image" },
    ]),
    {
      x: "n",
      y: "ms",
      series: "impl",
      title: "Scaling",
      labels: { x: "edge length", y: "time (ms)" },
      logX: true,
      logY: true,
    },
  ),
};
for (const [name, figure] of Object.entries(figures)) {
  await saveFigure(`${out}/${name}.svg`, figure);
  await saveFigure(`${out}/${name}.png`, figure);
  console.log(`${out}/${name}.png  ${figure.width}x${figure.height}`);
}
