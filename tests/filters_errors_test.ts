import assert from "node:assert/strict";
import { ndarray } from "../lib/array/mod.ts";
import { correlate1d, gaussianFilter, sobel } from "../lib/filters/mod.ts";

const image = ndarray(new Float64Array(24), [2, 3, 4]);

Deno.test("gaussianFilter rejects bad sigma, mode, cval, truncate and images, naming the argument", () => {
  assert.throws(
    () => gaussianFilter(image, [1, 2]),
    /gaussianFilter: sigma must be .* list of 3 .*got \[1, 2\]/,
  );
  assert.throws(
    () => gaussianFilter(image, -1),
    /gaussianFilter: sigma must be a finite number >= 0.*got -1/,
  );
  assert.throws(
    () => gaussianFilter(image, NaN),
    /gaussianFilter: sigma .*got NaN/,
  );
  assert.throws(
    () => gaussianFilter(image, [1, Infinity, 1]),
    /gaussianFilter: sigma/,
  );
  assert.throws(
    () => gaussianFilter(image, 1, { mode: "symmetric" as never }),
    /gaussianFilter: mode must be one of "reflect", "mirror", "nearest", "wrap", "constant", got "symmetric"/,
  );
  assert.throws(
    () => gaussianFilter(image, 1, { cval: NaN }),
    /gaussianFilter: cval must be a finite number/,
  );
  assert.throws(
    () => gaussianFilter(image, 1, { truncate: -1 }),
    /gaussianFilter: truncate must be/,
  );
  assert.throws(
    () => gaussianFilter(ndarray(new Float64Array(0), [0, 3]), 1),
    /gaussianFilter: image must be a non-empty/,
  );
  assert.throws(
    () => gaussianFilter(ndarray([1, 2, 3], [3]), 1),
    /gaussianFilter: image must be an ndarray over/,
  );
  const bigints = {
    data: new BigInt64Array(3),
    shape: [3],
    stride: [1],
    offset: 0,
  };
  assert.throws(
    () => gaussianFilter(bigints as never, 1),
    /gaussianFilter: image must be an ndarray over.*got ndarray of shape \[3\]/,
  );
  assert.throws(
    () => gaussianFilter(new Float64Array(3) as never, 1),
    /gaussianFilter: image must be an ndarray over.*got Float64Array\(3\)/,
  );
});

Deno.test("sobel rejects an axis out of range and a bad mode", () => {
  assert.throws(
    () => sobel(image, 3),
    /sobel: axis must be an integer in \[-3, 2\] for a 3-D image, got 3/,
  );
  assert.throws(() => sobel(image, 0.5), /sobel: axis/);
  assert.throws(
    () => sobel(image, 0, { mode: "Reflect" as never }),
    /sobel: mode must be one of/,
  );
  assert.deepEqual(
    Array.from(sobel(image, -1).data),
    Array.from(sobel(image, 2).data),
  );
});

Deno.test("correlate1d rejects empty or non-finite weights, bad origin and axis", () => {
  assert.throws(
    () => correlate1d(image, [], 0),
    /correlate1d: weights must be a non-empty list of finite numbers, got \[\]/,
  );
  assert.throws(
    () => correlate1d(image, [1, NaN], 0),
    /correlate1d: weights must be/,
  );
  assert.throws(
    () => correlate1d(image, [1, 2, 3], 0, { origin: 2 }),
    /correlate1d: origin must be an integer in \[-1, 1\], got 2/,
  );
  assert.throws(
    () => correlate1d(image, [1, 2, 3, 4], 0, { origin: -3 }),
    /correlate1d: origin must be an integer in \[-2, 1\]/,
  );
  assert.throws(() => correlate1d(image, [1], 5), /correlate1d: axis must be/);
});
