/**
 * The `…Async` forms of the heavy calls resolve to exactly the synchronous
 * results (bit for bit, float64 and float32, default threads and 1), compute
 * on worker threads while the calling thread's timers keep firing (1 thread
 * included), and reject invalid arguments with the synchronous form's error
 * (naming the async function). `structureTensorEigenvaluesTiff`, already a
 * promise, now leaves the event loop free too.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type NdArray, ndarray } from "../lib/deps.ts";
import {
  structureTensor,
  structureTensorAnalysis,
  structureTensorAnalysisAsync,
  structureTensorAsync,
  structureTensorEigenvalues,
  structureTensorEigenvaluesAsync,
  structureTensorEigenvaluesOfImage,
  structureTensorEigenvaluesOfImageAsync,
  structureTensorEigenvectors,
  structureTensorEigenvectorsAsync,
} from "../lib/feature/mod.ts";
import { structureTensorEigenvaluesTiff } from "../lib/chunked/mod.ts";
import { readTiff, writeTiff } from "../lib/io/mod.ts";
import { jobsPostedOffThread } from "../lib/parallel/_units.ts";
import { assertSameValues } from "./_same_values.ts";

/** A seeded uint16 volume. */
function seeded(shape: number[], seed: number): NdArray<Uint16Array> {
  const data = new Uint16Array(shape.reduce((a, b) => a * b, 1));
  let state = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    data[i] = state >>> 20;
  }
  return ndarray(data, shape);
}

const SIGMA = [1, 1.5, 2.5];

/** Resolves `promise` while counting how often a 1 ms timer fires meanwhile. */
async function ticksDuring<T>(
  promise: () => Promise<T>,
): Promise<{ value: T; ticks: number }> {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 1);
  try {
    return { value: await promise(), ticks };
  } finally {
    clearInterval(timer);
  }
}

Deno.test("every async form resolves to the synchronous result, bit for bit, float64 and float32, 2 threads and 1", async () => {
  // Planes of several bands of rows, split over 2 threads or not at all.
  const image = seeded([6, 90, 130], 3);
  const view = seeded([20, 9, 11], 5).transpose(2, 0, 1);
  for (const threads of [2, 1]) {
    for (const precision of ["float64", "float32"] as const) {
      const options = { sigma: SIGMA, precision, threads };
      const label = `${precision}, threads ${threads}`;
      const entries = structureTensor(image, options);
      const entriesAsync = await structureTensorAsync(image, options);
      entries.forEach((entry, e) =>
        assertSameValues(entriesAsync[e].data, entry.data, `${label} ${e}`)
      );
      const eigen = structureTensorEigenvalues(entries, { precision, threads });
      for (const from of [entriesAsync, entries]) {
        const eigenAsync = await structureTensorEigenvaluesAsync(from, {
          precision,
          threads,
        });
        assertSameValues(eigenAsync.data, eigen.data, `${label} two-step`);
        assert.deepEqual(eigenAsync.shape, eigen.shape);
      }
      for (const volume of [image, view]) {
        const fused = structureTensorEigenvaluesOfImage(volume, options);
        const fusedAsync = await structureTensorEigenvaluesOfImageAsync(
          volume,
          options,
        );
        assertSameValues(fusedAsync.data, fused.data, `${label} fused`);
        assert.deepEqual(fusedAsync.shape, fused.shape);
      }
      const analysisOptions = {
        ...options,
        outputs: [
          "eigenvalues",
          "vectors",
          "fractionalAnisotropy",
          "westin",
          "shapeClass",
          "angles",
        ] as const,
        energy: 1e-4,
      };
      const analysis = structureTensorAnalysis(image, analysisOptions);
      const analysisAsync = await structureTensorAnalysisAsync(
        image,
        analysisOptions,
      );
      assertSameValues(
        analysisAsync.eigenvalues!.data,
        analysis.eigenvalues!.data,
        `${label} analysis eigenvalues`,
      );
      assertSameValues(
        analysisAsync.vectors!.data,
        analysis.vectors!.data,
        `${label} analysis vectors`,
      );
      for (const key of ["linear", "planar", "spherical"] as const) {
        assertSameValues(
          analysisAsync.westin![key].data,
          analysis.westin![key].data,
          `${label} ${key}`,
        );
      }
      assertSameValues(
        analysisAsync.fractionalAnisotropy!.data,
        analysis.fractionalAnisotropy!.data,
        `${label} FA`,
      );
      assertSameValues(
        analysisAsync.shapeClass!.codes.data,
        analysis.shapeClass!.codes.data,
        `${label} classes`,
      );
      assertSameValues(
        (analysisAsync.angles as {
          azimuth: NdArray<Float64Array | Float32Array>;
        }).azimuth.data,
        (analysis.angles as { azimuth: NdArray<Float64Array | Float32Array> })
          .azimuth.data,
        `${label} azimuth`,
      );
    }
  }
  // Eigenvectors (float64 only), from shared and from ordinary entries.
  const entries = structureTensor(image, { sigma: SIGMA });
  const vectors = structureTensorEigenvectors(entries);
  for (
    const from of [
      entries,
      entries.map((e) => ndarray(e.data.slice(), e.shape)),
    ]
  ) {
    const vectorsAsync = await structureTensorEigenvectorsAsync(from);
    assertSameValues(vectorsAsync.data, vectors.data, "eigenvectors");
    assert.deepEqual(vectorsAsync.shape, vectors.shape);
  }
});

Deno.test("2-D images: the async forms give the synchronous results (computed on the calling thread)", async () => {
  const plane = seeded([40, 50], 9);
  const entries = structureTensor(plane, { sigma: 1.5 });
  const entriesAsync = await structureTensorAsync(plane, { sigma: 1.5 });
  entries.forEach((entry, e) =>
    assertSameValues(entriesAsync[e].data, entry.data, `entry ${e}`)
  );
  assertSameValues(
    (await structureTensorEigenvaluesAsync(entries)).data,
    structureTensorEigenvalues(entries).data,
    "eigenvalues",
  );
  assertSameValues(
    (await structureTensorEigenvectorsAsync(entries)).data,
    structureTensorEigenvectors(entries).data,
    "eigenvectors",
  );
  const options = { sigma: 1.5, outputs: ["coherence", "angles"] as const };
  const analysis = structureTensorAnalysis(plane, options);
  const analysisAsync = await structureTensorAnalysisAsync(plane, options);
  assertSameValues(
    analysisAsync.coherence!.data,
    analysis.coherence!.data,
    "coherence",
  );
});

Deno.test("timers keep firing while an async form computes, on 1 thread and on the default", async () => {
  // Big enough for a few hundred ms of work on one thread.
  const image = seeded([8, 192, 256], 1);
  const options = { sigma: SIGMA };
  for (const threads of [1, undefined]) {
    const fused = await ticksDuring(() =>
      structureTensorEigenvaluesOfImageAsync(image, { ...options, threads })
    );
    assert.ok(fused.ticks > 0, `fused, threads ${threads}: no tick`);
    const analysis = await ticksDuring(() =>
      structureTensorAnalysisAsync(image, {
        ...options,
        threads,
        outputs: ["vectors"],
      })
    );
    assert.ok(analysis.ticks > 0, `analysis, threads ${threads}: no tick`);
  }
  const entries = await ticksDuring(() => structureTensorAsync(image, options));
  assert.ok(entries.ticks > 0, "structureTensorAsync: no tick");
  const eigen = await ticksDuring(() =>
    structureTensorEigenvaluesAsync(entries.value, { threads: 1 })
  );
  assert.ok(eigen.ticks > 0, "structureTensorEigenvaluesAsync: no tick");
  const vectors = await ticksDuring(() =>
    structureTensorEigenvectorsAsync(entries.value)
  );
  assert.ok(vectors.ticks > 0, "structureTensorEigenvectorsAsync: no tick");
});

Deno.test("structureTensorEigenvaluesTiff computes each block on a worker, timers firing, and writes the in-memory result", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const image = seeded([16, 256, 256], 2);
    await writeTiff(join(folder, "in.tif"), image, { axes: "ZYX" });
    const jobs = jobsPostedOffThread();
    const written = await ticksDuring(() =>
      structureTensorEigenvaluesTiff(
        join(folder, "in.tif"),
        join(folder, "out.tif"),
        { sigma: SIGMA, blockPlanes: 8, threads: 1 },
      )
    );
    // Timers also fire while the file is read and written: the jobs show where the blocks ran.
    assert.equal(
      jobsPostedOffThread() - jobs,
      2,
      "two blocks, each on a worker",
    );
    assert.ok(written.ticks > 0, "no tick while the blocks computed");
    const { data } = await readTiff(join(folder, "out.tif"));
    const whole = structureTensorEigenvaluesOfImage(image, { sigma: SIGMA });
    // The file is [Z, 3, Y, X]; the in-memory result [3, Z, Y, X].
    const reordered = ndarray(new Float64Array(whole.data.length), data.shape);
    for (let z = 0; z < 16; z++) {
      for (let rank = 0; rank < 3; rank++) {
        reordered.data.set(
          whole.data.subarray(
            (rank * 16 + z) * 256 * 256,
            (rank * 16 + z + 1) * 256 * 256,
          ),
          (z * 3 + rank) * 256 * 256,
        );
      }
    }
    assertSameValues(
      data.data as Float64Array,
      reordered.data,
      "chunked eigenvalues",
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

/** The message of the error `run` throws. */
function thrown(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail("no error thrown");
}

Deno.test("invalid arguments reject the async forms with the synchronous form's error", async () => {
  const image = seeded([3, 4, 5], 1);
  const entries = structureTensor(image);
  // deno-lint-ignore no-explicit-any
  const loose = (f: unknown) => f as (...args: any[]) => unknown;
  const cases: [string, unknown, unknown[]][] = [
    ["structureTensor", structureTensorAsync, [image, { threads: 0 }]],
    ["structureTensor", structureTensorAsync, [image, { sigma: [1, 2] }]],
    ["structureTensor", structureTensorAsync, [image, {}, "reflect"]],
    ["structureTensorEigenvalues", structureTensorEigenvaluesAsync, [
      entries,
      { threads: 1.5 },
    ]],
    ["structureTensorEigenvalues", structureTensorEigenvaluesAsync, [
      entries.slice(1),
    ]],
    [
      "structureTensorEigenvaluesOfImage",
      structureTensorEigenvaluesOfImageAsync,
      [
        ndarray(new Float64Array(4), [2, 2]),
      ],
    ],
    [
      "structureTensorEigenvaluesOfImage",
      structureTensorEigenvaluesOfImageAsync,
      [
        image,
        { precision: "float16" },
      ],
    ],
    ["structureTensorAnalysis", structureTensorAnalysisAsync, [image, {
      outputs: ["coherence"],
    }]],
    ["structureTensorEigenvectors", structureTensorEigenvectorsAsync, [
      entries,
      {},
    ]],
  ];
  const sync: Record<string, unknown> = {
    structureTensor,
    structureTensorEigenvalues,
    structureTensorEigenvaluesOfImage,
    structureTensorAnalysis,
    structureTensorEigenvectors,
  };
  for (const [name, asyncForm, args] of cases) {
    const expected = thrown(() => loose(sync[name])(...args));
    assert.ok(expected.startsWith(`${name}: `), expected);
    const promise = loose(asyncForm)(...args);
    assert.ok(promise instanceof Promise, `${name}Async returns a promise`);
    await assert.rejects(
      promise as Promise<unknown>,
      (error: Error) =>
        error.message === expected.replace(`${name}: `, `${name}Async: `),
      `${name}Async ${JSON.stringify(args.slice(1))}`,
    );
  }
});
