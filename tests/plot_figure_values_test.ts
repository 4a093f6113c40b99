/**
 * What the 2-D image figures carry for viewers: the values behind each panel
 * (`data-stria-values`), a `<desc>` saying what the figure shows, and colour
 * bars with ticks at both ends.
 */
import assert from "node:assert/strict";
import { XMLValidator } from "npm:fast-xml-parser@5.12.1";
import { parseHTML } from "../lib/plot/_deps.ts";
import { ndarray } from "../lib/deps.ts";
import { imshow, imshowFacets, planeRow, volumeView } from "../lib/plot/mod.ts";

interface Grid {
  format: string;
  version: number;
  title: string;
  value: string;
  rows: number;
  cols: number;
  x: { name: string; size: number; unit?: string };
  y: { name: string; size: number; unit?: string };
  dtype: "uint16" | "float32";
  data: string;
}

/** The value grids of a figure's panels, in document order, with their values decoded. */
function grids(svg: string): (Grid & { values: number[] })[] {
  const { document } = parseHTML(svg) as unknown as { document: Document };
  return Array.from(document.querySelectorAll("svg[data-stria-values]")).map(
    (node) => {
      const grid = JSON.parse(node.getAttribute("data-stria-values")!) as Grid;
      const bytes = Uint8Array.from(atob(grid.data), (c) => c.charCodeAt(0));
      const view = new DataView(bytes.buffer);
      const width = grid.dtype === "uint16" ? 2 : 4;
      const values = Array.from(
        { length: bytes.length / width },
        (_, i) =>
          width === 2
            ? view.getUint16(i * 2, true)
            : view.getFloat32(i * 4, true),
      );
      return { ...grid, values };
    },
  );
}

/** The tick labels of the figure's colour bar: the right-hand axis of the last panel. */
function colorbarTickLabels(svg: string): string[] {
  const { document } = parseHTML(svg) as unknown as { document: Document };
  const parts = document.querySelectorAll("svg > svg");
  const bar = parts[parts.length - 1];
  return Array.from(
    bar.querySelectorAll('g[aria-label="y-axis tick label"] text'),
    (t) => t.textContent ?? "",
  );
}

Deno.test("imshow carries its values, axes and units for a readout, as uint16 when exact", () => {
  const values = Float64Array.from({ length: 12 }, (_, i) => 100 * i);
  const figure = imshow(ndarray(values, [3, 4]), {
    labels: { color: "intensity" },
    physicalSizes: { Y: 0.5, X: 0.25 },
    physicalUnit: "µm",
  });
  const [grid, ...others] = grids(figure.svg);
  assert.equal(others.length, 0);
  assert.deepEqual(
    { ...grid, data: undefined, values: undefined },
    {
      format: "stria-values",
      version: 1,
      title: "",
      value: "intensity",
      rows: 3,
      cols: 4,
      x: { name: "x", size: 0.25, unit: "µm" },
      y: { name: "y", size: 0.5, unit: "µm" },
      dtype: "uint16",
      data: undefined,
      values: undefined,
    },
  );
  assert.deepEqual(grid.values, [...values]);
  // Integers outside uint16's range need float32.
  for (const outside of [-1, 65536]) {
    const [wide] = grids(
      imshow(ndarray(new Float64Array([outside, 2]), [1, 2])).svg,
    );
    assert.deepEqual([wide.dtype, wide.values], ["float32", [outside, 2]]);
  }
});

Deno.test("imshowFacets: one value grid per panel, named by its title; float values as float32", () => {
  const a = ndarray(new Float64Array([0.5, -1.25, 3, 4]), [2, 2]);
  const b = ndarray(new Float64Array([1, 2, 3, 4, 5, 6]), [2, 3]);
  const figure = imshowFacets([a, b], {
    titles: ["X-Z at row 2 & <z>", "Y-Z at col 3"],
    labels: { x: "col", y: "plane", color: "eigenvalue" },
  });
  assert.equal(XMLValidator.validate(figure.svg), true, "well-formed XML");
  const [first, second] = grids(figure.svg);
  assert.equal(first.title, "X-Z at row 2 & <z>");
  assert.equal(first.dtype, "float32");
  assert.deepEqual(first.values, [0.5, -1.25, 3, 4]);
  assert.deepEqual([second.title, second.rows, second.cols], [
    "Y-Z at col 3",
    2,
    3,
  ]);
  assert.deepEqual(second.x, { name: "col", size: 1 });
  assert.deepEqual(second.y, { name: "plane", size: 1 });
  assert.deepEqual(second.values, [1, 2, 3, 4, 5, 6]);
});

Deno.test("image figures describe what they show in <desc>: panels, colour, range, axes", () => {
  const image = imshow(ndarray(new Float64Array([68, 4095]), [1, 2]), {
    title: "Plane 3",
    labels: { x: "col", y: "row", color: "intensity" },
  });
  assert.match(
    image.svg,
    /<desc>Image of 1 rows × 2 columns; colour shows intensity \(gray colormap, 68 to 4095\); x axis: col, y axis: row\.<\/desc>/,
  );
  const row = planeRow([
    ndarray(new Float64Array(4), [2, 2]),
    ndarray(new Float64Array(4), [2, 2]),
  ], { titles: ["Z = 0", "Z = 1"] });
  assert.match(
    row.svg,
    /<desc>2 panels \(Z = 0: 2 rows × 2 columns; Z = 1: 2 rows × 2 columns\), each on its own colour scale; colour shows value \(gray colormap\); x axis: col, y axis: row\.<\/desc>/,
  );
});

Deno.test("colour bars have a tick at both ends of the range", () => {
  const cases: [number, number, string[]][] = [
    [68, 4095, ["68", "4095"]],
    [0, 0.164321, ["0", "0.1643"]],
    [1.23e-7, 9.9e-5, ["1.23e-7", "9.9e-5"]],
  ];
  for (const [vmin, vmax, ends] of cases) {
    const figure = imshow(ndarray(new Float64Array([vmin, vmax]), [1, 2]));
    const labels = colorbarTickLabels(figure.svg);
    assert.deepEqual(
      [labels[0], labels.at(-1)],
      ends,
      `imshow [${vmin}, ${vmax}]: ${labels}`,
    );
    const volume = volumeView(
      ndarray(new Float64Array([vmin, vmax, vmin, vmax]), [1, 2, 2]),
      { width: 240 },
    );
    const volumeLabels = colorbarTickLabels(volume.svg);
    assert.deepEqual([volumeLabels[0], volumeLabels.at(-1)], ends);
  }
});
