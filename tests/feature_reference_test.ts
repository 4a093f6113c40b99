import assert from "node:assert/strict";
import { ndarray } from "../lib/array/mod.ts";
import type { BoundaryMode } from "../lib/filters/mod.ts";
import {
  structureTensor,
  structureTensorEigenvalues,
} from "../lib/feature/mod.ts";
import {
  assertClose,
  casesOf,
  loadArray,
  valuesOf,
} from "./_reference_fixtures.ts";

for (const c of casesOf("structureTensor")) {
  Deno.test(`structureTensor and eigenvalues match scikit-image: ${c.name} ${JSON.stringify(c.args)} on ${c.input}`, async () => {
    const input = await loadArray(c.input);
    const { sigma, mode, cval, order } = c.args as {
      sigma: number | number[];
      mode: BoundaryMode;
      cval: number;
      order: "rc" | "xy";
    };
    const elements = structureTensor(input, { sigma, mode, cval, order });
    const expectedEigen = await loadArray(c.outputs[c.outputs.length - 1]);
    // scikit-image keeps float32 input in float32: float32 rounding, 1e-6.
    const tolerance = expectedEigen.dtype === "float32" ? 1e-6 : 1e-10;
    assert.equal(elements.length, c.outputs.length - 1);
    for (let e = 0; e < elements.length; e++) {
      const expected = await loadArray(c.outputs[e]);
      assert.equal(elements[e].dtype, expected.dtype);
      assertClose(elements[e], expected, tolerance, `${c.name} element ${e}`);
    }
    const eigen = structureTensorEigenvalues(elements);
    assert.equal(eigen.dtype, "float64");
    assertClose(eigen, expectedEigen, tolerance, `${c.name} eigenvalues`);
  });
}

Deno.test("structureTensor reproduces scikit-image's unit-vector case (5x5x5 cube, sigma 0.1)", () => {
  const cube = ndarray(new Float64Array(125), [5, 5, 5]);
  cube.set(2, 2, 2, 1);
  const elements = structureTensor(cube, { sigma: 0.1 });
  assert.equal(elements.length, 6);
  assert.deepEqual(
    valuesOf(elements[0].pick(1)),
    [
      [0, 0, 0, 0, 0],
      [0, 1, 4, 1, 0],
      [0, 4, 16, 4, 0],
      [0, 1, 4, 1, 0],
      [0, 0, 0, 0, 0],
    ].flat(),
  );
  assert.deepEqual(
    valuesOf(elements[3].pick(2)),
    [
      [0, 0, 0, 0, 0],
      [0, 4, 16, 4, 0],
      [0, 0, 0, 0, 0],
      [0, 4, 16, 4, 0],
      [0, 0, 0, 0, 0],
    ].flat(),
  );
});

Deno.test("structureTensor 2-D doc example: order rc and xy", () => {
  const square = ndarray(new Float64Array(25), [5, 5]);
  square.set(2, 2, 1);
  const [arr, arc, acc] = structureTensor(square, { sigma: 0.1, order: "rc" });
  assert.deepEqual(
    valuesOf(acc),
    [
      [0, 0, 0, 0, 0],
      [0, 1, 0, 1, 0],
      [0, 4, 0, 4, 0],
      [0, 1, 0, 1, 0],
      [0, 0, 0, 0, 0],
    ].flat(),
  );
  const [xyFirst, xyMiddle, xyLast] = structureTensor(square, {
    sigma: 0.1,
    order: "xy",
  });
  assert.deepEqual(valuesOf(xyFirst), valuesOf(acc));
  assert.deepEqual(valuesOf(xyMiddle), valuesOf(arc));
  assert.deepEqual(valuesOf(xyLast), valuesOf(arr));
});
