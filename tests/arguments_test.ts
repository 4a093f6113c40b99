/**
 * Every public function of lib/array, lib/filters, lib/feature and
 * lib/chunked checks every field it reads: ndarray strides and offsets,
 * options objects (not null, a number, a string or an array; no unknown
 * key; no argument past the last), and sizes that cannot be allocated,
 * refused before anything is allocated.
 *
 * @module
 */

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
import { structureTensorEigenvaluesTiff } from "../lib/chunked/mod.ts";
import {
  coherence,
  fractionalAnisotropy,
  orientationAngles,
  shapeClass,
  structureTensor,
  structureTensorAnalysis,
  structureTensorEigenvalues,
  structureTensorEigenvaluesOfImage,
  structureTensorEigenvectors,
  westinMeasures,
} from "../lib/feature/mod.ts";
import { correlate1d, gaussianFilter, sobel } from "../lib/filters/mod.ts";
import type { NdArray } from "../lib/deps.ts";

// deno-lint-ignore no-explicit-any
type AnyCall = (...args: any[]) => unknown;

const volume = ndarray(new Float64Array(4 * 5 * 6).fill(1), [4, 5, 6]);
const plane = ndarray(new Float64Array(5 * 6).fill(1), [5, 6]);
const entries3 = structureTensor(volume);
const eigen3 = structureTensorEigenvalues(entries3);
const eigen2 = structureTensorEigenvalues(structureTensor(plane));
const vectors3 = structureTensorEigenvectors(entries3);

/** A raw ndarray-like view, whose fields the ndarray package would not coerce. */
function view(
  data: Float64Array,
  shape: unknown[],
  stride: unknown[],
  offset: unknown,
): NdArray {
  return { data, shape, stride, offset } as unknown as NdArray;
}

Deno.test("checkNdArray refuses strides that are not finite integers, naming the stride", () => {
  const data = new Float64Array(12);
  for (const stride of [[NaN, 1], [1.5, 1], ["3", 1], [Infinity, 1]]) {
    const bad = ndarray(data, [3, 4], stride as number[], 0);
    for (
      const [name, call] of [
        ["gaussianFilter: image", () => gaussianFilter(bad, 1)],
        ["imgAsFloat: image", () => imgAsFloat(bad)],
        ["argmax: array", () => argmax(bad)],
        ["structureTensor: image", () => structureTensor(bad)],
      ] as const
    ) {
      assert.throws(call, (error: Error) => {
        assert.ok(error instanceof TypeError);
        assert.match(
          error.message,
          new RegExp(
            `^${name}\\.stride must be a list of 2 integers \\(one per axis\\), got \\[`,
          ),
        );
        return true;
      });
    }
  }
  assert.throws(
    () => structureTensorEigenvalues([...entries3.slice(0, 5), bad5()]),
    /^TypeError: structureTensorEigenvalues: elements\[5\]\.stride must be a list of 3 integers/,
  );
});

/** An entry of the volume's shape with a NaN stride. */
function bad5(): NdArray {
  return ndarray(new Float64Array(120), [4, 5, 6], [30, NaN, 1], 0);
}

Deno.test("checkNdArray refuses offsets and strides that leave the data, naming offset, strides and length", () => {
  const data = new Float64Array(12);
  assert.throws(
    () => gaussianFilter(view(data, [3, 4], [4, 1], -1), 1),
    /^TypeError: gaussianFilter: image\.offset must be an integer >= 0, got -1$/,
  );
  assert.throws(
    () => gaussianFilter(view(data, [3, 4], [4, 1], 0.5), 1),
    /image\.offset must be an integer >= 0, got 0\.5/,
  );
  assert.throws(
    () => min(view(data, [3, 4], [4, 1], "1")),
    /^TypeError: min: array must be an ndarray over/,
  );
  assert.throws(
    () => max(view(data, [3, 4], [4, 1], 1)),
    /^TypeError: max: array must be an ndarray whose view lies inside its storage \(offset 1 and stride \[4, 1\] reach indices 1 to 12, data length 12\)/,
  );
  assert.throws(
    () => sobel(view(data, [3, 4], [-4, 1], 4), 0),
    /sobel: image must be an ndarray whose view lies inside its storage \(offset 4 and stride \[-4, 1\] reach indices -4 to 7, data length 12\)/,
  );
  // The same view with a fitting offset is accepted.
  assert.equal(sobel(view(data, [3, 4], [-4, 1], 8), 0).shape.length, 2);
});

/** Each public function that takes an options object, called with `options`, and its keys. */
const WITH_OPTIONS: [string, (options: unknown) => unknown, string[]][] = [
  ["gaussianFilter", (o) => gaussianFilter(plane, 1, o as never), [
    "mode",
    "cval",
    "truncate",
  ]],
  ["sobel", (o) => sobel(plane, 0, o as never), ["mode", "cval"]],
  ["correlate1d", (o) => correlate1d(plane, [1, 2], 0, o as never), [
    "mode",
    "cval",
    "origin",
  ]],
  ["structureTensor", (o) => structureTensor(plane, o as never), [
    "sigma",
    "spacing",
    "mode",
    "cval",
    "precision",
    "order",
    "threads",
  ]],
  [
    "structureTensorEigenvalues",
    (o) => structureTensorEigenvalues(entries3, o as never),
    ["precision", "threads"],
  ],
  [
    "structureTensorEigenvaluesOfImage",
    (o) => structureTensorEigenvaluesOfImage(volume, o as never),
    ["sigma", "spacing", "mode", "cval", "precision", "threads"],
  ],
  [
    "structureTensorAnalysis",
    (o) => structureTensorAnalysis(plane, o as never),
    [
      "sigma",
      "spacing",
      "mode",
      "cval",
      "precision",
      "outputs",
      "vectorRanks",
      "angleRank",
      "shapeClassOptions",
      "energy",
      "mask",
      "background",
      "threads",
    ],
  ],
  ["shapeClass", (o) => shapeClass(eigen3, o as never), [
    "ratio",
    "gap",
    "energy",
  ]],
  ["orientationAngles", (o) => orientationAngles(vectors3, o as never), [
    "rank",
  ]],
];

Deno.test("options that are null, a number, a string or an array are refused, naming the function and options", () => {
  for (const [fn, call, keys] of WITH_OPTIONS) {
    for (const bad of [null, 3, "wrap", [1], new Map()]) {
      assert.throws(
        () => call(bad),
        (error: Error) => {
          assert.ok(error instanceof TypeError, `${fn} ${bad}`);
          assert.ok(
            error.message.startsWith(
              `${fn}: options must be an object with keys among ${
                keys.join(", ")
              }, got `,
            ),
            error.message,
          );
          return true;
        },
      );
    }
    // The same call with an empty or absent options object works.
    call({});
    call(undefined);
  }
});

Deno.test("an unknown or misspelt option is refused, naming it and the known keys", () => {
  for (const [fn, call, keys] of WITH_OPTIONS) {
    for (const key of ["order", "Mode", "sigmas", "axis"]) {
      if (keys.includes(key)) continue;
      assert.throws(
        () => call({ [key]: 1 }),
        new TypeError(
          `${fn}: options has no key "${key}" (got 1); its keys are ${
            keys.join(", ")
          }`,
        ),
        `${fn} { ${key} }`,
      );
    }
  }
  assert.throws(
    () =>
      structureTensorAnalysis(volume, {
        outputs: ["shapeClass"],
        shapeClassOptions: { ratio: 2, energy: 1 } as never,
      }),
    /^TypeError: structureTensorAnalysis: shapeClassOptions has no key "energy" \(got 1\); its keys are ratio, gap$/,
  );
  assert.throws(
    () =>
      structureTensorAnalysis(volume, {
        outputs: ["shapeClass"],
        shapeClassOptions: null as never,
      }),
    /structureTensorAnalysis: shapeClassOptions must be an object with keys among ratio, gap, got null/,
  );
});

Deno.test("options given SciPy's or NumPy's way, positionally, are refused", () => {
  const line = ndarray(new Float64Array([1, 2, 3, 4]), [4]);
  // scipy.ndimage.gaussian_filter(input, sigma, order, output, mode)
  assert.throws(
    () => gaussianFilter(line, 1, "wrap" as never),
    /^TypeError: gaussianFilter: options must be an object with keys among mode, cval, truncate, got "wrap"$/,
  );
  assert.throws(
    () => gaussianFilter(line, 1, 0 as never),
    /gaussianFilter: options must be an object .*got 0$/,
  );
  const extra: [string, AnyCall, unknown[], string][] = [
    [
      "gaussianFilter",
      gaussianFilter,
      [line, 1, {}, "wrap"],
      "3 arguments (image, sigma, options), got 4",
    ],
    [
      "sobel",
      sobel,
      [line, 0, {}, "wrap"],
      "3 arguments (image, axis, options), got 4",
    ],
    [
      "correlate1d",
      correlate1d,
      [line, [1], 0, {}, "wrap"],
      "4 arguments (image, weights, axis, options), got 5",
    ],
    ["argmax", argmax, [line, 0], "1 argument (array), got 2"],
    ["min", min, [line, 0], "1 argument (array), got 2"],
    ["max", max, [line, 0], "1 argument (array), got 2"],
    ["imgAsFloat", imgAsFloat, [line, true], "1 argument (image), got 2"],
    ["formatArray", formatArray, [line, 3], "1 argument (array), got 2"],
    ["formatShape", formatShape, [[2], ","], "1 argument (shape), got 2"],
    [
      "unravelIndex",
      unravelIndex,
      [1, [2], "F"],
      "2 arguments (index, shape), got 3",
    ],
    [
      "structureTensor",
      structureTensor,
      [plane, {}, 1],
      "2 arguments (image, options), got 3",
    ],
    ["structureTensorEigenvalues", structureTensorEigenvalues, [
      entries3,
      {},
      1,
    ], "2 arguments (elements, options), got 3"],
    ["structureTensorEigenvaluesOfImage", structureTensorEigenvaluesOfImage, [
      volume,
      {},
      1,
    ], "2 arguments (image, options), got 3"],
    [
      "structureTensorEigenvectors",
      structureTensorEigenvectors,
      [entries3, {}],
      "1 argument (elements), got 2",
    ],
    [
      "structureTensorAnalysis",
      structureTensorAnalysis,
      [plane, {}, 1],
      "2 arguments (image, options), got 3",
    ],
    [
      "fractionalAnisotropy",
      fractionalAnisotropy,
      [eigen3, {}],
      "1 argument (eigenvalues), got 2",
    ],
    [
      "westinMeasures",
      westinMeasures,
      [eigen3, {}],
      "1 argument (eigenvalues), got 2",
    ],
    ["coherence", coherence, [eigen2, {}], "1 argument (eigenvalues), got 2"],
    [
      "shapeClass",
      shapeClass,
      [eigen3, {}, 1],
      "2 arguments (eigenvalues, options), got 3",
    ],
    [
      "orientationAngles",
      orientationAngles,
      [vectors3, {}, 1],
      "2 arguments (vectors, options), got 3",
    ],
  ];
  for (const [fn, call, args, message] of extra) {
    assert.throws(
      () => call(...args),
      new TypeError(`${fn}: takes ${message}`),
    );
    // Without the extra argument the call works.
    call(...args.slice(0, -1));
  }
});

Deno.test("structureTensorEigenvaluesTiff refuses bad options before opening any file", async () => {
  const missing = "/nonexistent/stria/in.tif";
  const keys =
    "sigma, spacing, mode, cval, precision, blockPlanes, ome, threads, channel";
  for (const bad of [null, 2, "wrap", [1]]) {
    await assert.rejects(
      structureTensorEigenvaluesTiff(missing, "/tmp/out.tif", bad as never),
      (error: Error) =>
        error.message.startsWith(
          `structureTensorEigenvaluesTiff: options must be an object with keys among ${keys}, got`,
        ),
    );
  }
  await assert.rejects(
    structureTensorEigenvaluesTiff(missing, "/tmp/out.tif", {
      blockplanes: 4,
    } as never),
    new TypeError(
      `structureTensorEigenvaluesTiff: options has no key "blockplanes" (got 4); its keys are ${keys}`,
    ),
  );
  await assert.rejects(
    structureTensorEigenvaluesTiff(missing, "/tmp/out.tif", { sigma: 1e9 }),
    /^RangeError: structureTensorEigenvaluesTiff: sigma 1000000000 along axis 0 with truncate 4 gives a kernel of 8000000001 taps, more than 16777217/,
  );
  await assert.rejects(
    // deno-lint-ignore no-explicit-any
    (structureTensorEigenvaluesTiff as any)(missing, "/tmp/out.tif", {}, 1),
    /structureTensorEigenvaluesTiff: takes 3 arguments \(inputPath, outputPath, options\), got 4/,
  );
});

Deno.test("a sigma or truncate whose kernel cannot be allocated is refused before allocating", () => {
  const line = ndarray(new Float64Array(9), [9]);
  for (const sigma of [1e9, 1e300]) {
    assert.throws(
      () => gaussianFilter(line, sigma),
      (error: Error) => {
        assert.ok(error instanceof RangeError);
        assert.match(
          error.message,
          /^gaussianFilter: sigma \S+ along axis 0 with truncate 4 gives a kernel of \S+ taps, more than 16777217 \(a radius of 8388608 voxels\)$/,
        );
        return true;
      },
    );
  }
  assert.throws(
    () => gaussianFilter(line, 1, { truncate: 1e300 }),
    /^RangeError: gaussianFilter: sigma 1 along axis 0 with truncate 1e\+300 gives a kernel of 2e\+300 taps/,
  );
  // The largest kernel allowed is accepted: a radius of 2^23.
  assert.equal(gaussianFilter(line, 1, { truncate: 2 ** 23 }).shape[0], 9);
  assert.throws(
    () => structureTensor(volume, { sigma: [1, 1e9, 1] }),
    /^RangeError: structureTensor: sigma 1000000000 along axis 1 with truncate 4 gives a kernel of 8000000001 taps/,
  );
  assert.throws(
    () => structureTensorEigenvaluesOfImage(volume, { sigma: 1e300 }),
    /^RangeError: structureTensorEigenvaluesOfImage: sigma 1e\+300 along axis 0/,
  );
  assert.throws(
    () => structureTensorAnalysis(plane, { sigma: 1, spacing: [1, 1e-300] }),
    /^RangeError: structureTensorAnalysis: sigma \/ spacing \S+e\+299 along axis 1 with truncate 4/,
  );
});

Deno.test("huge broadcast shapes are refused with the memory they would need, before allocating", () => {
  const one = new Float64Array(1);
  const huge = (ndim: number) =>
    ndarray(one, new Array(ndim).fill(1e6), new Array(ndim).fill(0), 0);
  const gigabytes = /would need \S+ GB, more than \S+ GB \(/;
  const cases: [string, () => unknown, string][] = [
    [
      "gaussianFilter",
      () => gaussianFilter(huge(3), 0),
      "the result of shape [1000000, 1000000, 1000000]",
    ],
    ["sobel", () => sobel(huge(3), 0), "the result of shape"],
    ["correlate1d", () => correlate1d(huge(3), [1], 0), "the result of shape"],
    ["imgAsFloat", () => imgAsFloat(huge(3)), "the result of shape"],
    [
      "structureTensor",
      () => structureTensor(huge(2)),
      "the 3 entries of shape [1000000, 1000000]",
    ],
    [
      "structureTensorEigenvaluesOfImage",
      () => structureTensorEigenvaluesOfImage(huge(3)),
      "the eigenvalues of shape [3, 1000000, 1000000, 1000000]",
    ],
    [
      "structureTensorEigenvalues",
      () => structureTensorEigenvalues([huge(2), huge(2), huge(2)]),
      "the eigenvalues of shape [2, 1000000, 1000000]",
    ],
    [
      "structureTensorEigenvectors",
      () => structureTensorEigenvectors([huge(2), huge(2), huge(2)]),
      "the eigenvectors of shape [2, 2, 1000000, 1000000]",
    ],
    [
      "structureTensorAnalysis",
      () =>
        structureTensorAnalysis(huge(3), { outputs: ["fractionalAnisotropy"] }),
      `the outputs ["fractionalAnisotropy"] of shape`,
    ],
  ];
  for (const [fn, call, what] of cases) {
    assert.throws(call, (error: Error) => {
      assert.ok(error instanceof RangeError, `${fn}: ${error}`);
      assert.ok(error.message.startsWith(`${fn}: ${what}`), error.message);
      assert.match(error.message, gigabytes);
      return true;
    });
  }
  // 1e18 float64 values: 8e9 GB, whatever the machine.
  assert.throws(() => gaussianFilter(huge(3), 0), /would need 8\.0e\+9 GB/);
});
