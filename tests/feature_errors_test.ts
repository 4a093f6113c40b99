import assert from "node:assert/strict";
import { ndarray } from "../lib/array/mod.ts";
import {
  structureTensor,
  structureTensorEigenvalues,
} from "../lib/feature/mod.ts";

Deno.test("structureTensor rejects xy order in 3-D, 1-D images, bad sigma and mode", () => {
  const volume = ndarray(new Float64Array(27), [3, 3, 3]);
  assert.throws(
    () => structureTensor(volume, { order: "xy" }),
    /structureTensor: order must be "rc" for a 3-D image \("xy" is 2-D only\), got "xy"/,
  );
  assert.throws(
    () => structureTensor(volume, { order: "yx" as never }),
    /structureTensor: order must be "rc" or "xy"/,
  );
  assert.throws(
    () => structureTensor(ndarray(new Float64Array(3), [3])),
    /structureTensor: image must be an ndarray with at least 2 dimension/,
  );
  assert.throws(
    () => structureTensor(volume, { sigma: [1, 1] }),
    /structureTensor: sigma must be .*list of 3/,
  );
  assert.throws(
    () => structureTensor(volume, { mode: "edge" as never }),
    /structureTensor: mode must be one of/,
  );
  assert.throws(
    () => structureTensor(ndarray(new Uint8Array(0), [0, 4])),
    /structureTensor: image must be a non-empty ndarray/,
  );
});

Deno.test("structureTensorEigenvalues rejects a wrong number of entries and mismatched shapes", () => {
  const entry = (n: number) => ndarray(new Float64Array(n), [n]);
  assert.throws(
    () => structureTensorEigenvalues([entry(2), entry(2)]),
    /structureTensorEigenvalues: elements must be a list of ndim·\(ndim\+1\)\/2 arrays/,
  );
  assert.throws(
    () => structureTensorEigenvalues([]),
    /structureTensorEigenvalues: elements must be/,
  );
  assert.throws(
    () => structureTensorEigenvalues([entry(2), entry(3), entry(2)]),
    /structureTensorEigenvalues: elements\[1\] must be an ndarray of shape \[2\] like elements\[0\]/,
  );
  assert.throws(
    () => structureTensorEigenvalues([entry(2), [1, 2] as never, entry(2)]),
    /structureTensorEigenvalues: elements\[1\] must be an ndarray over/,
  );
});
