import assert from "node:assert/strict";
import {
  COLORMAP_NAMES,
  colormapColor,
  colormapIndex,
  colormapLut,
  type ColormapName,
} from "../lib/plot/mod.ts";

interface Reference {
  vmin: number;
  vmax: number;
  values: number[];
  colors: Record<ColormapName, number[][]>;
  second: { vmin: number; vmax: number; values: number[]; viridis: number[][] };
}

const reference: Reference = JSON.parse(
  await Deno.readTextFile(
    new URL("./fixtures/plot/matplotlib_colors.json", import.meta.url),
  ),
);

const hex = (rgb: number[]) =>
  `#${rgb.map((c) => c.toString(16).padStart(2, "0")).join("")}`;

Deno.test("colormap endpoints are matplotlib's", () => {
  const ends = (name: ColormapName) => {
    const lut = colormapLut(name);
    return [hex([...lut.subarray(0, 3)]), hex([...lut.subarray(765, 768)])];
  };
  assert.deepEqual(ends("gray"), ["#000000", "#ffffff"]);
  assert.deepEqual(ends("viridis"), ["#440154", "#fde725"]);
  assert.deepEqual(ends("magma"), ["#000004", "#fcfdbf"]);
  assert.deepEqual(COLORMAP_NAMES, ["gray", "viridis", "magma"]);
});

Deno.test("colors match matplotlib 3.6.3 (Normalize + bytes=True), clamping outside [vmin, vmax]", () => {
  for (const name of COLORMAP_NAMES) {
    const got = reference.values.map((v) =>
      colormapColor(name, v, reference.vmin, reference.vmax)
    );
    assert.deepEqual(got, reference.colors[name].map(hex), name);
  }
  const { vmin, vmax, values, viridis } = reference.second;
  assert.deepEqual(
    values.map((v) => colormapColor("viridis", v, vmin, vmax)),
    viridis.map(hex),
  );
});

Deno.test("colormapIndex: NaN has no color, a zero-width range maps to the first entry", () => {
  assert.deepEqual(colormapIndex(Number.NaN, 0, 1), -1);
  assert.deepEqual(colormapIndex(5, 5, 5), 0);
  assert.deepEqual(colormapIndex(-Infinity, 0, 1), 0);
  assert.deepEqual(colormapIndex(Infinity, 0, 1), 255);
});

Deno.test("colormapLut returns a copy", () => {
  const lut = colormapLut("magma");
  lut.fill(7);
  assert.deepEqual(colormapLut("magma")[0], 0);
});

Deno.test("unknown colormap names are rejected with the name and the choices", () => {
  assert.throws(() => colormapLut("jet" as ColormapName), {
    name: "TypeError",
    message:
      'colormapLut: cmap must be one of "gray", "viridis", "magma", got "jet"',
  });
  assert.throws(
    () => colormapColor("Viridis" as ColormapName, 0, 0, 1),
    /^TypeError: colormapColor: cmap/,
  );
});
