import assert from "node:assert/strict";
import { argmax, max, min, type NdArray, ndarray } from "../lib/array/mod.ts";
import {
  copyToContiguous,
  forEachRow,
  type NumericNdArray,
} from "../lib/array/_strided.ts";
import { floatInto } from "../lib/array/_float_into.ts";
import { valuesOf } from "./_reference_fixtures.ts";

/** 0, 1, 2, ... in a float64 array of `shape`. */
function counting(shape: number[]): NdArray<Float64Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  return ndarray(Float64Array.from({ length: size }, (_, i) => i), shape);
}

/** The views whose walks the tests compare with a plain recursive walk. */
function views(): [string, NumericNdArray][] {
  const cube = counting([3, 4, 5]);
  return [
    ["contiguous", cube],
    ["transposed", cube.transpose(2, 0, 1)],
    ["stepped and reversed", cube.step(-1, 2, -2)],
    ["offset", cube.hi(3, 3, 4).lo(1, 1, 1)],
    ["picked", cube.pick(null, 2, null)],
    ["1-D", counting([7]).step(3)],
    ["innermost axis of length 1", cube.hi(3, 4, 1)],
    ["4-D transposed", counting([2, 3, 2, 4]).transpose(3, 1, 0, 2)],
  ] as [string, NumericNdArray][];
}

Deno.test("forEachRow visits every element once, in C order, by rows of the innermost axis", () => {
  for (const [label, view] of views()) {
    const seen: number[] = [];
    const flats: number[] = [];
    forEachRow(view, (start, step, n, flat) => {
      assert.equal(n, view.shape[view.shape.length - 1], label);
      assert.equal(step, view.stride[view.stride.length - 1], label);
      flats.push(flat);
      for (let i = 0, at = start; i < n; i++, at += step) {
        seen.push(view.data[at]);
      }
    });
    assert.deepEqual(seen, valuesOf(view), label);
    const n = view.shape[view.shape.length - 1];
    assert.deepEqual(flats, flats.map((_, r) => r * n), label);
  }
});

Deno.test("forEachRow: a 0-d view is one row of one element, an empty view has none, false stops", () => {
  const scalar = ndarray(new Float64Array([9, 4]), [], [], 1);
  const rows: number[][] = [];
  forEachRow(scalar, (...args) => void rows.push(args));
  assert.deepEqual(rows, [[1, 1, 1, 0]]);
  let calls = 0;
  forEachRow(ndarray(new Float64Array(6), [3, 0, 2]), () => void calls++);
  assert.equal(calls, 0);
  forEachRow(counting([4, 2]), (_start, _step, _n, flat) => {
    calls++;
    if (flat === 2) return false;
  });
  assert.equal(calls, 2);
});

Deno.test("copyToContiguous and floatInto write views in C order, converting", () => {
  for (const [label, view] of views()) {
    const expected = valuesOf(view);
    const copy = new Float32Array(expected.length);
    copyToContiguous(view, copy);
    assert.deepEqual(Array.from(copy), expected, label);
    // A same-type C-ordered block is copied at once; other views row by row.
    const same = new Float64Array(expected.length);
    copyToContiguous(view, same);
    assert.deepEqual(Array.from(same), expected, label);
  }
  const signed = ndarray(new Int16Array([-32768, -1, 0, 32767, 100, 7]), [
    2,
    3,
  ]).transpose(1, 0);
  const scaled = [-32768, 32767, -1, 100, 0, 7].map((x) =>
    Math.max(x * (1 / 32767), -1)
  );
  const wide = new Float64Array(6);
  floatInto(signed, wide);
  assert.deepEqual(Array.from(wide), scaled);
  const narrow = new Float32Array(6);
  floatInto(signed, narrow);
  assert.deepEqual(Array.from(narrow), scaled.map(Math.fround));
});

Deno.test("argmax, min and max walk views: the first extreme or NaN by C order", () => {
  for (const [label, view] of views()) {
    const values = valuesOf(view);
    assert.equal(argmax(view), values.indexOf(Math.max(...values)), label);
    assert.equal(max(view), Math.max(...values), label);
    assert.equal(min(view), Math.min(...values), label);
  }
  // NaN in the second row of a transposed view, after a larger value: argmax
  // returns the NaN's flat index, min and max return NaN.
  const data = new Float64Array([1, 9, 2, 5, NaN, 3]);
  const view = ndarray(data, [2, 3]).transpose(1, 0); // 1 5 / 9 NaN / 2 3
  assert.equal(argmax(view), 3);
  assert.ok(Number.isNaN(max(view)));
  assert.ok(Number.isNaN(min(view)));
  assert.equal(argmax(ndarray(data.subarray(0, 3), [3]).step(-1)), 1);
});
