import assert from "node:assert/strict";
import { correlate1d, gaussianFilter, sobel } from "../lib/filters/mod.ts";
import type { BoundaryMode } from "../lib/filters/mod.ts";
import {
  assertClose,
  casesOf,
  index,
  loadArray,
} from "./_reference_fixtures.ts";

/** 1e-10 of the largest magnitude; 1e-6 where SciPy computed in float32. */
function toleranceFor(dtype: string): number {
  return dtype === "float32" ? 1e-6 : 1e-10;
}

Deno.test("reference fixtures come from the recorded library versions", () => {
  assert.equal(index.versions.skimage, "0.19.3");
  assert.ok(index.versions.scipy && index.versions.numpy);
});

for (const c of casesOf("gaussianFilter")) {
  Deno.test(`gaussianFilter matches scipy.ndimage: ${c.name} ${JSON.stringify(c.args)} on ${c.input}`, async () => {
    const input = await loadArray(c.input);
    const expected = await loadArray(c.outputs[0]);
    const { sigma, mode, cval } = c.args as {
      sigma: number | number[];
      mode: BoundaryMode;
      cval: number;
    };
    const actual = gaussianFilter(input, sigma, { mode, cval });
    assert.equal(actual.dtype, expected.dtype);
    assertClose(actual, expected, toleranceFor(expected.dtype), c.name);
  });
}

for (const c of casesOf("sobel")) {
  Deno.test(`sobel matches scipy.ndimage: ${c.name} ${JSON.stringify(c.args)} on ${c.input}`, async () => {
    const input = await loadArray(c.input);
    const expected = await loadArray(c.outputs[0]);
    const { axis, mode, cval } = c.args as {
      axis: number;
      mode: BoundaryMode;
      cval: number;
    };
    const actual = sobel(input, axis, { mode, cval });
    assert.equal(actual.dtype, expected.dtype);
    assertClose(actual, expected, toleranceFor(expected.dtype), c.name);
  });
}

for (const c of casesOf("correlate1d")) {
  Deno.test(`correlate1d matches scipy.ndimage: ${c.name} ${JSON.stringify(c.args)} on ${c.input}`, async () => {
    const input = await loadArray(c.input);
    const expected = await loadArray(c.outputs[0]);
    const { weights, axis, mode, cval, origin } = c.args as {
      weights: number[];
      axis: number;
      mode: BoundaryMode;
      cval: number;
      origin: number;
    };
    const actual = correlate1d(input, weights, axis, { mode, cval, origin });
    assert.equal(actual.dtype, expected.dtype);
    assertClose(actual, expected, toleranceFor(expected.dtype), c.name);
  });
}
