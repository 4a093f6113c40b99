import assert from "node:assert/strict";
import {
  ndarray,
  structureTensor,
  structureTensorEigenvalues,
  structureTensorEigenvaluesOfImage,
} from "../mod.ts";
import type { BoundaryMode } from "../mod.ts";
import { simdKernels } from "../lib/wasm/_simd_kernels.ts";
import {
  assertClose,
  casesOf,
  index,
  loadArray,
  type ReferenceCase,
  valuesOf,
} from "./_reference_fixtures.ts";

/**
 * Tolerances, relative to the largest magnitude. Float64: 1e-10. Float32
 * entries: scikit-image computes them in float32 (each product `d_i·d_j`
 * rounded to float32, each pass stored as float32, summed in float64), and
 * stria does the same, so they agree to the last bit today; 1e-9 leaves room
 * for a last-bit difference on small values but not for a float32 rounding
 * step done differently (1e-7). Float32 eigenvalues come from LAPACK in
 * float32: 1e-6. stria's eigenvalues of float32 entries are float64, so the
 * newer fixtures store LAPACK's float64 ones of the same entries: 1e-10.
 */
const tolerance = (dtype: string, of: "entries" | "eigenvalues") =>
  dtype === "float64" ? 1e-10 : of === "entries" ? 1e-9 : 1e-6;

function argsOf(c: ReferenceCase) {
  return c.args as {
    sigma: number | number[];
    mode: BoundaryMode;
    cval: number;
    order: "rc" | "xy";
  };
}

for (const c of casesOf("structureTensor")) {
  Deno.test(`structureTensor and eigenvalues match scikit-image: ${c.name} ${JSON.stringify(c.args)} on ${c.input}`, async () => {
    const input = await loadArray(c.input);
    const elements = structureTensor(input, argsOf(c));
    const expectedEigen = await loadArray(c.outputs[c.outputs.length - 1]);
    assert.equal(elements.length, c.outputs.length - 1);
    for (let e = 0; e < elements.length; e++) {
      const expected = await loadArray(c.outputs[e]);
      assert.equal(elements[e].dtype, expected.dtype);
      assertClose(
        elements[e],
        expected,
        tolerance(expected.dtype, "entries"),
        `${c.name} element ${e}`,
      );
    }
    const eigen = structureTensorEigenvalues(elements);
    assert.equal(eigen.dtype, "float64");
    assertClose(
      eigen,
      expectedEigen,
      tolerance(expectedEigen.dtype, "eigenvalues"),
      `${c.name} eigenvalues`,
    );
  });
}

for (const c of casesOf("structureTensor")) {
  const dims = index.arrays[c.input].shape.length;
  if (c.args.order !== "rc" || dims !== 3) continue;
  Deno.test(`structureTensorEigenvaluesOfImage matches scikit-image: ${c.name} on ${c.input}`, async () => {
    const input = await loadArray(c.input);
    const { sigma, mode, cval } = argsOf(c);
    const expected = await loadArray(c.outputs[c.outputs.length - 1]);
    const eigen = structureTensorEigenvaluesOfImage(input, {
      sigma,
      mode,
      cval,
    });
    assert.equal(eigen.dtype, "float64");
    assertClose(
      eigen,
      expected,
      tolerance(expected.dtype, "eigenvalues"),
      `${c.name} fused eigenvalues`,
    );
  });
}

Deno.test("the wide fixtures run on the WebAssembly SIMD kernels (their loops are what they test)", () => {
  assert.notEqual(simdKernels(), null);
});

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
