import assert from "node:assert/strict";
import { imgAsFloat, type NdArray, ndarray } from "../lib/array/mod.ts";
import {
  structureTensor,
  structureTensorEigenvalues,
} from "../lib/feature/mod.ts";
import { correlate1d, gaussianFilter, sobel } from "../lib/filters/mod.ts";
import { valuesOf } from "./_reference_fixtures.ts";

/** A seeded pseudo-random 3-D uint16 volume of shape [6, 7, 9] inside a larger storage. */
function volume(): NdArray<Uint16Array> {
  let state = 12345;
  const data = new Uint16Array(5 + 2 * 6 * 7 * 9);
  for (let i = 0; i < data.length; i++) {
    state = (state * 1103515245 + 12345) >>> 0;
    data[i] = state >>> 20;
  }
  return ndarray(data, [6, 7, 9]);
}

/** The same logical array as `array`, as several differently laid out views. */
function views(array: NdArray<Uint16Array>): [string, NdArray<Uint16Array>][] {
  const [a, b, c] = array.shape;
  const size = a * b * c;
  const values = valuesOf(array);
  // Offset view: the values start 5 elements into the storage.
  const offsetData = new Uint16Array(size + 5);
  offsetData.set(values, 5);
  // Stepped view: every other element of a twice larger storage.
  const stepped = ndarray(new Uint16Array(2 * size), [a, b, 2 * c]).step(
    1,
    1,
    2,
  );
  // Transposed view: storage in axis order (2, 0, 1), transposed back.
  const transposed = ndarray(new Uint16Array(size), [c, a, b]).transpose(
    1,
    2,
    0,
  );
  // Flipped view: storage reversed along axis 1, flipped back.
  const flipped = ndarray(new Uint16Array(size), [a, b, c]).step(1, -1, 1);
  // Sliced view: the middle of a larger volume.
  const sliced = ndarray(new Uint16Array((a + 2) * (b + 3) * (c + 1)), [
    a + 2,
    b + 3,
    c + 1,
  ]).hi(a + 1, b + 2, c)
    .lo(1, 2, 0);
  for (const view of [stepped, transposed, flipped, sliced]) {
    for (let i = 0; i < a; i++) {
      for (let j = 0; j < b; j++) {
        for (let k = 0; k < c; k++) view.set(i, j, k, array.get(i, j, k));
      }
    }
  }
  return [
    ["offset", ndarray(offsetData, [a, b, c], [b * c, c, 1], 5)],
    ["stepped", stepped],
    ["transposed", transposed],
    ["flipped", flipped],
    ["sliced", sliced],
  ];
}

const operations: [string, (image: NdArray) => NdArray[]][] = [
  ["imgAsFloat", (image) => [imgAsFloat(image)]],
  [
    "gaussianFilter",
    (image) => [gaussianFilter(image, [1, 1.5, 2.5], { mode: "mirror" })],
  ],
  ["sobel", (image) => [sobel(image, 1, { mode: "wrap" })]],
  [
    "correlate1d",
    (
      image,
    ) => [
      correlate1d(image, [1, -2, 0.5, 4], 2, { mode: "reflect", origin: 1 }),
    ],
  ],
  [
    "structureTensor",
    (image) => structureTensor(image, { sigma: [1, 1.5, 2.5] }),
  ],
  [
    "structureTensorEigenvalues",
    (
      image,
    ) => [structureTensorEigenvalues(structureTensor(image, { sigma: 1 }))],
  ],
];

for (const [name, operation] of operations) {
  Deno.test(`${name} gives identical results on strided, offset, transposed, sliced and stepped views`, () => {
    const contiguous = volume();
    const expected = operation(contiguous).map(valuesOf);
    for (const [kind, view] of views(contiguous)) {
      const before = Array.from(view.data);
      const actual = operation(view).map(valuesOf);
      assert.deepEqual(actual, expected, `${kind} view`);
      assert.deepEqual(
        Array.from(view.data),
        before,
        `${kind} view's storage was modified`,
      );
    }
  });
}

Deno.test("structureTensorEigenvalues accepts transposed element views", () => {
  const elements = structureTensor(volume(), { sigma: 1 });
  const expected = valuesOf(
    structureTensorEigenvalues(elements).transpose(0, 3, 2, 1),
  );
  const transposed = elements.map((e) => e.transpose(2, 1, 0));
  const actual = valuesOf(structureTensorEigenvalues(transposed));
  assert.deepEqual(actual, expected);
});
