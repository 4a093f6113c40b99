// volumeView's geometry: where a known voxel lands in the rendering, which way
// the default camera looks, and that the opaque slice is plane k, drawn and
// outlined where plane k is. Positions are measured on the rendered PNG against
// the silhouette of the whole box, so they hold whatever the padding or size.
import assert from "node:assert/strict";
// Test-only decoder, pinned here rather than in lib/deps.ts.
import { decode } from "npm:fast-png@8.0.0";
import { type NdArray, ndarray } from "../lib/deps.ts";
import {
  colormapColor,
  volumeView,
  type VolumeViewOptions,
} from "../lib/plot/mod.ts";

const SHAPE = [4, 5, 6] as const; // planes, rows, cols: no two alike
const SIZES = { Z: 2, Y: 1, X: 1.5 }; // anisotropic, so no two axes scale alike

/** A volume of NaN (empty) with `value` where `where(z, y, x)` holds. */
function volumeWhere(
  where: (z: number, y: number, x: number) => boolean,
  value: (z: number) => number = () => 1,
): NdArray {
  const [planes, rows, cols] = SHAPE;
  const data = new Float32Array(planes * rows * cols).fill(NaN);
  for (let z = 0; z < planes; z++) {
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        if (where(z, y, x)) data[(z * rows + y) * cols + x] = value(z);
      }
    }
  }
  return ndarray(data, [planes, rows, cols]);
}

interface Render {
  width: number;
  height: number;
  data: Uint8Array;
  svg: string;
}

function render(volume: NdArray, options: VolumeViewOptions): Render {
  const figure = volumeView(volume, {
    physicalSizes: SIZES,
    vmin: 0,
    vmax: 1,
    width: 300,
    ...options,
  });
  const href = figure.svg.match(/href="data:image\/png;base64,([^"]*)"/)![1];
  const png = decode(Uint8Array.from(atob(href), (c) => c.charCodeAt(0)));
  assert.equal(png.channels, 4);
  return {
    width: png.width,
    height: png.height,
    data: png.data as Uint8Array,
    svg: figure.svg,
  };
}

/** Centroid and bounding box (max exclusive) of the pixels with alpha >= `minAlpha`. */
function region(png: Render, minAlpha: number) {
  let count = 0, sx = 0, sy = 0;
  let left = Infinity, right = -Infinity, top = Infinity, bottom = -Infinity;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      if (png.data[(y * png.width + x) * 4 + 3] < minAlpha) continue;
      count++;
      sx += x + 0.5;
      sy += y + 0.5;
      left = Math.min(left, x);
      right = Math.max(right, x + 1);
      top = Math.min(top, y);
      bottom = Math.max(bottom, y + 1);
    }
  }
  assert.ok(count > 0, "something is drawn");
  return { x: sx / count, y: sy / count, left, right, top, bottom, count };
}

const everything = volumeWhere(() => true);
const voxel = (k: number, j: number, i: number) =>
  volumeWhere((z, y, x) => z === k && y === j && x === i);
const opaque = { opacity: 1, slice: -1 };

function assertNear(actual: number, expected: number, what: string) {
  assert.ok(
    Math.abs(actual - expected) <= 1.5,
    `${what}: ${actual.toFixed(2)} px, expected ${expected.toFixed(2)} px`,
  );
}

// Each view looks along one axis; the box's silhouette spans the other two, so
// voxel (k, j, i) must sit in cell (i, k), (j, k) or (i, j) of that grid.
const VIEWS = [
  {
    name: "front (azimuth -90, elevation 0): col to the right, plane up",
    camera: { azimuth: -90, elevation: 0 },
    across: 2, // screen x follows col
    upwards: 0, // screen y (up) follows plane
  },
  {
    name: "side (azimuth 0, elevation 0): row to the right, plane up",
    camera: { azimuth: 0, elevation: 0 },
    across: 1,
    upwards: 0,
  },
  {
    name: "top (azimuth -90, elevation 90): col to the right, row up",
    camera: { azimuth: -90, elevation: 90 },
    across: 2,
    upwards: 1,
  },
];

for (const view of VIEWS) {
  Deno.test(`volumeView ${view.name}: a bright voxel lands in its cell`, () => {
    const box = region(render(everything, { ...opaque, ...view.camera }), 128);
    const cellX = (box.right - box.left) / SHAPE[view.across];
    const cellY = (box.bottom - box.top) / SHAPE[view.upwards];
    for (const at of [[0, 0, 0], [3, 4, 5], [1, 3, 4], [2, 0, 5]]) {
      const spot = region(
        render(voxel(at[0], at[1], at[2]), { ...opaque, ...view.camera }),
        128,
      );
      assertNear(
        spot.x,
        box.left + (at[view.across] + 0.5) * cellX,
        `voxel ${at} across`,
      );
      assertNear(
        spot.y,
        box.bottom - (at[view.upwards] + 0.5) * cellY,
        `voxel ${at} upwards`,
      );
    }
  });
}

Deno.test("volumeView physicalSizes give the box its proportions; physicalUnit adds each axis's length to its name", () => {
  const ratio = (camera: VolumeViewOptions) => {
    const box = region(render(everything, { ...opaque, ...camera }), 128);
    return (box.right - box.left) / (box.bottom - box.top);
  };
  const [planes, rows, cols] = SHAPE;
  const front = ratio({ azimuth: -90, elevation: 0 });
  const top = ratio({ azimuth: -90, elevation: 90 });
  assert.ok(
    Math.abs(front / ((cols * SIZES.X) / (planes * SIZES.Z)) - 1) < 0.01,
    `front: ${front}`,
  );
  assert.ok(
    Math.abs(top / ((cols * SIZES.X) / (rows * SIZES.Y)) - 1) < 0.01,
    `top: ${top}`,
  );
  const { svg } = render(everything, { physicalUnit: "µm" });
  for (
    const name of ["col (X)", "9 µm", "row (Y)", "5 µm", "plane (Z)", "8 µm"]
  ) {
    assert.ok(svg.includes(`>${name}<`), name);
  }
  assert.ok(!render(everything, {}).svg.includes("µm"));
  assert.throws(
    () => volumeView(everything, { physicalSizes: { Y: Number.NaN } }),
    /^TypeError: volumeView: physicalSizes\.Y must be a positive finite number, got NaN$/,
  );
});

Deno.test("volumeView default camera (azimuth -60, elevation 30) looks from +X, -Y, +Z: col runs right and down, row right and up, plane straight up", () => {
  const at = (k: number, j: number, i: number) =>
    region(render(voxel(k, j, i), opaque), 128);
  const origin = at(0, 0, 0);
  const alongCol = at(0, 0, 5);
  const alongRow = at(0, 4, 0);
  const alongPlane = at(3, 0, 0);
  // Screen y grows downwards.
  assert.ok(alongCol.x > origin.x + 10 && alongCol.y > origin.y + 2, "col");
  assert.ok(
    alongCol.y - origin.y < alongCol.x - origin.x,
    "col: more right than down",
  );
  assert.ok(alongRow.x > origin.x + 10 && alongRow.y < origin.y - 10, "row");
  assertNear(alongPlane.x, origin.x, "plane: straight up");
  assert.ok(alongPlane.y < origin.y - 10, "plane: up");
});

Deno.test("volumeView slice k shows plane k's values, not k - 1 or k + 1", () => {
  // Plane z holds the value z; gray over [0, 3] gives each plane its own shade.
  const planes = volumeWhere(() => true, (z) => z);
  for (let k = 0; k < SHAPE[0]; k++) {
    const png = render(planes, { opacity: 0, slice: k, vmin: 0, vmax: 3 });
    const expected = colormapColor("gray", k, 0, 3);
    const seen = new Set<string>();
    for (let p = 0; p < png.width * png.height; p++) {
      if (png.data[p * 4 + 3] !== 255) continue;
      seen.add(
        `#${
          [...png.data.subarray(p * 4, p * 4 + 3)].map((c) =>
            c.toString(16).padStart(2, "0")
          ).join("")
        }`,
      );
    }
    assert.deepEqual([...seen], [expected], `slice ${k}`);
  }
});

/** The mean of the orange outline's path points, in PNG px (the PNG is at 2x). */
function outlineCenter(svg: string) {
  const paths = [
    ...svg.matchAll(/<path[^>]*stroke="#ff8c1a"[^>]*d="([^"]*)"/g),
    ...svg.matchAll(/<path[^>]*d="([^"]*)"[^>]*stroke="#ff8c1a"/g),
  ];
  assert.equal(paths.length, 4, "four outline sides");
  const numbers = paths.flatMap((m) =>
    (m[1].match(/-?\d+(\.\d+)?/g) ?? []).map(Number)
  );
  let sx = 0, sy = 0;
  for (let i = 0; i < numbers.length; i += 2) {
    sx += numbers[i];
    sy += numbers[i + 1];
  }
  const points = numbers.length / 2;
  return { x: (2 * sx) / points, y: (2 * sy) / points };
}

Deno.test("volumeView slice k is drawn and outlined where plane k is", () => {
  const slab = (k: number) =>
    region(render(volumeWhere((z) => z === k), opaque), 128);
  for (let k = 0; k < SHAPE[0]; k++) {
    const png = render(everything, { opacity: 0, slice: k });
    const slice = region(png, 255);
    // A slab and its middle plane project around the same center.
    const plane = slab(k);
    assertNear(slice.x, plane.x, `slice ${k} x`);
    assertNear(slice.y, plane.y, `slice ${k} y`);
    const outline = outlineCenter(png.svg);
    assertNear(outline.x, slice.x, `outline ${k} x`);
    assertNear(outline.y, slice.y, `outline ${k} y`);
  }
});
