import assert from "node:assert/strict";
import {
  argmax,
  formatArray,
  formatShape,
  imgAsFloat,
  max,
  min,
  ndarray,
  unravelIndex,
} from "../lib/array/mod.ts";
import {
  assertClose,
  casesOf,
  loadArray,
  valuesOf,
} from "./_reference_fixtures.ts";

for (const c of casesOf("imgAsFloat")) {
  Deno.test(`imgAsFloat matches scikit-image: ${c.name}`, async () => {
    const input = await loadArray(c.input);
    const expected = await loadArray(c.outputs[0]);
    const actual = imgAsFloat(input);
    assert.equal(actual.dtype, expected.dtype);
    // Same operations in the same precision: bit-identical.
    assertClose(actual, expected, 0, c.name);
  });
}

interface FormatCase {
  dtype: string;
  shape: number[];
  values: (number | string)[];
  repr: string;
}

const CONSTRUCTORS: Record<
  string,
  new (values: number[]) => ArrayLike<number>
> = {
  float64: Float64Array,
  float32: Float32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  int16: Int16Array,
  int32: Int32Array,
};

const formatCases: FormatCase[] = JSON.parse(
  await Deno.readTextFile(
    new URL("./fixtures/reference/format.json", import.meta.url),
  ),
);

for (const [i, c] of formatCases.entries()) {
  Deno.test(`formatArray prints like numpy repr: case ${i} ${c.dtype} (${c.shape})`, () => {
    const values = c.values.map((
      v,
    ) => (typeof v === "number" ? v : Number(v.replace("inf", "Infinity"))));
    const data = new CONSTRUCTORS[c.dtype](values);
    const array = ndarray(data as Float64Array, c.shape);
    assert.equal(formatArray(array), c.repr);
  });
}

Deno.test("formatArray prints a transposed, stepped view by its logical order", () => {
  const base = ndarray(new Float64Array([1, 2.5, 3, 4, 5, 6]), [2, 3]);
  assert.equal(
    formatArray(base.transpose(1, 0)),
    "array([[1. , 4. ],\n       [2.5, 5. ],\n       [3. , 6. ]])",
  );
  assert.equal(
    formatArray(base.step(1, -1)),
    "array([[3. , 2.5, 1. ],\n       [6. , 5. , 4. ]])",
  );
});

Deno.test("formatShape prints Python tuples", () => {
  assert.equal(formatShape([3, 8, 30, 30]), "(3, 8, 30, 30)");
  assert.equal(formatShape([5]), "(5,)");
  assert.equal(formatShape([]), "()");
  assert.throws(() => formatShape([2, -1]), /formatShape: shape must be/);
});

Deno.test("argmax returns the first maximum in C order, on views too", () => {
  const a = ndarray(new Float64Array([0, 7, 3, 7, 1, 2]), [2, 3]);
  assert.equal(argmax(a), 1);
  // Transposed: logical order 0, 7, 7, 1, 3, 2: first maximum at flat 1 still.
  assert.equal(argmax(a.transpose(1, 0)), 1);
  assert.equal(argmax(a.step(1, -1)), 1); // 3 7 0 / 2 1 7
  assert.equal(argmax(a.hi(2, 1)), 1); // 0 / 7
  assert.equal(argmax(a.lo(0, 2)), 0); // 3 / 2
  assert.equal(argmax(ndarray(new Float64Array([1, NaN, 5]), [3])), 1);
  assert.equal(
    argmax(ndarray(new Float64Array([-Infinity, -Infinity]), [2])),
    0,
  );
});

Deno.test("unravelIndex inverts C-order flattening", () => {
  const shape = [3, 4, 5];
  for (let flat = 0; flat < 60; flat++) {
    const [i, j, k] = unravelIndex(flat, shape);
    assert.equal((i * 4 + j) * 5 + k, flat);
  }
  assert.deepEqual(unravelIndex(0, []), []);
  assert.throws(
    () => unravelIndex(60, shape),
    /unravelIndex: index must be an integer in \[0, 60\), got 60/,
  );
  assert.throws(() => unravelIndex(1.5, shape), /unravelIndex: index/);
});

Deno.test("min and max of typed views, with NaN propagation", () => {
  const a = ndarray(new Uint16Array([68, 4095, 300, 12]), [2, 2]);
  assert.equal(min(a), 12);
  assert.equal(max(a), 4095);
  assert.equal(max(a.pick(null, 0)), 300);
  assert.equal(min(ndarray(new Int16Array([-5, 3]), [2])), -5);
  assert.ok(Number.isNaN(max(ndarray(new Float64Array([1, NaN]), [2]))));
  assert.ok(Number.isNaN(min(ndarray(new Float64Array([NaN, 1]), [2]))));
});

Deno.test("array functions reject unsupported storage and empty arrays, naming the argument", () => {
  assert.throws(
    () => imgAsFloat(ndarray([1, 2, 3], [3])),
    /imgAsFloat: image must be an ndarray over a Uint8/,
  );
  const bigints = {
    data: new BigInt64Array(2),
    shape: [2],
    stride: [1],
    offset: 0,
  };
  assert.throws(
    () => max(bigints as never),
    /max: array must be an ndarray over/,
  );
  assert.throws(
    () => argmax(ndarray(new Float64Array(0), [0])),
    /argmax: array must be a non-empty ndarray/,
  );
  assert.throws(
    () => min(ndarray(new Float64Array(2), [3])),
    /min: array must be an ndarray whose view lies inside/,
  );
  assert.throws(() => formatArray(null as never), /formatArray: array must be/);
});

Deno.test("imgAsFloat returns a new contiguous array and leaves the input alone", () => {
  const data = new Uint8Array([0, 255, 51, 102]);
  const image = ndarray(data, [2, 2]).transpose(1, 0);
  const floats = imgAsFloat(image);
  assert.deepEqual(Array.from(data), [0, 255, 51, 102]);
  assert.deepEqual(floats.stride, [2, 1]);
  assert.deepEqual(valuesOf(floats), [0, 0.2, 1, 0.4]);
  const f32 = ndarray(new Float32Array([0.5, 2]), [2]);
  const kept = imgAsFloat(f32);
  assert.equal(kept.dtype, "float32");
  assert.notEqual(kept.data, f32.data);
});
