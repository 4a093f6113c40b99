/**
 * The WebAssembly SIMD kernels against the JavaScript kernels they replace:
 * identical float64 results (same summation order, no fused multiply-add),
 * the eigenvalue kernel's deflation and scalar hand-off, the float32 mode's
 * error, the fallback without WebAssembly, and the committed module against
 * a fresh build of its AssemblyScript source.
 */

import assert from "node:assert/strict";
import { assertSameValues, relativeError } from "./_same_values.ts";
import fc from "fast-check";
import { imgAsFloat, type NdArray, ndarray } from "../lib/array/mod.ts";
import {
  structureTensorEigenvalues,
  structureTensorEigenvaluesOfImage,
} from "../lib/feature/mod.ts";
import type { BoundaryMode } from "../lib/filters/mod.ts";
import { eigenvalues3 } from "../lib/feature/_symmetric_eigenvalues.ts";
import { symmetric3Simd } from "../lib/feature/_symmetric_simd.ts";
import { stackViews } from "../lib/feature/_eigenvalue_input.ts";
import { eigenvectors3 } from "../lib/feature/_symmetric_eigenvectors.ts";
import { computeTensorJob } from "../lib/feature/_tensor_kernel.ts";
import type { TensorJob } from "../lib/feature/_tensor_plan.ts";
import { SimdArena, simdKernels } from "../lib/wasm/_simd_kernels.ts";
import { buildKernelsModule } from "../scripts/build_wasm.ts";

const MODES: BoundaryMode[] = [
  "reflect",
  "mirror",
  "nearest",
  "wrap",
  "constant",
];

const kernels = simdKernels();

function requireKernels() {
  assert.ok(kernels !== null, "this runtime has WebAssembly SIMD");
  return kernels;
}

/** A seeded volume: a plane wave along X and Z (planar structure: many near-equal eigenvalue pairs) plus noise. */
function planarVolume(shape: number[], seed: number): NdArray<Uint16Array> {
  const [nz, ny, nx] = shape;
  const data = new Uint16Array(nz * ny * nx);
  let state = seed >>> 0;
  let i = 0;
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++, i++) {
        state = (state * 1664525 + 1013904223) >>> 0;
        data[i] = Math.round(
          2000 + 1500 * Math.sin(x / 3 + z / 2) + (state >>> 28),
        );
      }
    }
  }
  return ndarray(data, shape);
}

/** Runs the tensor engine on one thread: SIMD or JavaScript, with float or raw integer input. */
function runJob(
  image: NdArray<Uint16Array | Int16Array>,
  options: {
    sigma: number[];
    mode: BoundaryMode;
    cval: number;
    simd: boolean;
    raw?: boolean;
    float32?: boolean;
    bandVoxels?: number;
  },
): TensorJob {
  const shape = image.shape as [number, number, number];
  const size = image.data.length;
  const float32 = options.float32 ?? false;
  const Floats = float32 ? Float32Array : Float64Array;
  const input = options.raw ? image.data : Floats.from(imgAsFloat(image).data);
  const conversion = image.data instanceof Int16Array
    ? { scale: 1 / 32767, signed: true }
    : { scale: 1 / 65535, signed: false };
  const job: TensorJob = {
    input,
    conversion: options.raw ? conversion : null,
    shape,
    sigmas: options.sigma,
    spacing: null,
    mode: options.mode,
    cval: options.cval,
    float32,
    simd: options.simd,
    outputPlanes: [0, shape[0]],
    elements: Array.from({ length: 6 }, () => new Floats(size)),
    eigen: new Floats(3 * size),
    bandVoxels: options.bandVoxels,
  };
  if (options.simd) requireKernels();
  computeTensorJob(job);
  return job;
}

Deno.test("SIMD backend equals the JavaScript one bit for bit in float64 (entries and eigenvalues), every mode", () => {
  fc.assert(
    fc.property(
      fc.tuple(
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 19 }),
        fc.integer({ min: 1, max: 37 }),
      ),
      fc.constantFrom(...MODES),
      fc.tuple(
        fc.constantFrom(0, 0.3, 1),
        fc.constantFrom(0, 0.4, 1.5),
        fc.constantFrom(0, 1, 2.5),
      ),
      fc.constantFrom(undefined, 1, 3),
      fc.boolean(),
      fc.integer(),
      (shape, mode, sigma, bandRows, raw, seed) => {
        const image = planarVolume(shape, seed);
        const settings = {
          sigma,
          mode,
          cval: mode === "constant" ? 0.25 : 0,
          bandVoxels: bandRows === undefined ? undefined : bandRows * shape[2],
        };
        const expected = runJob(image, { ...settings, simd: false });
        const actual = runJob(image, { ...settings, simd: true, raw });
        actual.elements!.forEach((entry, e) =>
          assertSameValues(entry, expected.elements![e], `entry ${e}`)
        );
        assertSameValues(actual.eigen!, expected.eigen!, "eigenvalues");
      },
    ),
    { numRuns: 150 },
  );
});

Deno.test("SIMD backend converts raw int16 input as imgAsFloat does (clamped at -1), bit for bit", () => {
  const uint16 = planarVolume([5, 23, 29], 9);
  // The full int16 range, -32768 (below -1 after scaling, so clamped) included.
  const data = Int16Array.from(
    uint16.data,
    (v, i) => i % 97 === 0 ? -32768 : (v * 13) - 32000,
  );
  const image = ndarray(data, uint16.shape);
  for (const mode of ["constant", "mirror"] as const) {
    const settings = { sigma: [1, 1.5, 2.5], mode, cval: 0.5 };
    const expected = runJob(image, { ...settings, simd: false });
    const actual = runJob(image, { ...settings, simd: true, raw: true });
    assertSameValues(actual.eigen!, expected.eigen!, `${mode} eigenvalues`);
  }
});

Deno.test("SIMD eigenvalues and eigenvectors: near-equal pairs are deflated in the kernel and zero tensors solved there, identical to eigenvalues3 and eigenvectors3; tiny, non-finite and all-equal voxels go to the scalar path", () => {
  const k = requireKernels();
  // Rank-one tensors g·gᵀ plus a small isotropic part: the two small eigenvalues nearly coincide.
  const cases: number[][] = [];
  let state = 7;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32 - 0.5;
  };
  for (let i = 0; i < 500; i++) {
    const g = [random(), random(), random()];
    const iso = 10 ** (-3 - 9 * Math.abs(random()));
    const spread = i % 2 === 0 ? 0 : 1e-9 * random();
    cases.push([
      g[0] * g[0] + iso,
      g[0] * g[1],
      g[0] * g[2],
      g[1] * g[1] + iso + spread,
      g[1] * g[2],
      g[2] * g[2] + iso - spread,
    ]);
  }
  const scalarCases = [
    [0, 0, 0, 0, 0, 0],
    [1e-300, 0, 0, 2e-300, 0, 3e-300],
    [NaN, 0, 0, 1, 0, 1],
    [Infinity, 0, 0, 1, 0, 1],
    [2, 0, 0, 2, 0, 2],
  ];
  const all = [...cases, ...scalarCases];
  const n = all.length;
  const entries = [0, 1, 2, 3, 4, 5].map((e) =>
    Float64Array.from(all, (c) => c[e])
  );
  const expected = new Float64Array(3 * n);
  eigenvalues3(entries, n, expected);
  const actual = new Float64Array(3 * n);
  symmetric3Simd(k, entries, 0, n, stackViews(actual, 3, n), null);
  assertSameValues(actual, expected, "eigenvalues");
  const expectedVectors = stackViews(new Float64Array(9 * n), 9, n);
  eigenvectors3(entries, n, stackViews(expected, 3, n), expectedVectors);
  const vectors = stackViews(new Float64Array(9 * n), 9, n);
  const values = stackViews(new Float64Array(3 * n), 3, n);
  symmetric3Simd(k, entries, 0, n, values, vectors);
  values.forEach((rank, r) =>
    assertSameValues(rank, expected.subarray(r * n, (r + 1) * n), `rank ${r}`)
  );
  vectors.forEach((component, c) =>
    assertSameValues(component, expectedVectors[c], `vector entry ${c}`)
  );

  // Which voxels the kernel itself hands to the scalar path.
  const arena = new SimdArena(k);
  const sources = entries.map(() => arena.take(8 * n));
  const targets = [0, 1, 2].map(() => arena.take(8 * n));
  const sourceTable = arena.take(24), targetTable = arena.take(12);
  const vectorTargets = Array.from({ length: 9 }, () => arena.take(8 * n));
  const vectorTable = arena.take(36);
  const flags = arena.take(n), pair = arena.take(k.EIGEN_SCRATCH_BYTES.value);
  const views = arena.commit();
  entries.forEach((entry, e) => views.f64.set(entry, sources[e] / 8));
  views.i32.set(sources, sourceTable / 4);
  views.i32.set(targets, targetTable / 4);
  views.i32.set(vectorTargets, vectorTable / 4);
  const flaggedVoxels = () =>
    [...views.u8.subarray(flags, flags + n)]
      .flatMap((flag, i) => flag === 1 ? [i] : []);
  views.u8.fill(0, flags, flags + n); // the kernel only writes the flags of chunks with a flagged voxel
  const flagged = k.eigenvaluesOf3x64(sourceTable, n, targetTable, flags, pair);
  assert.equal(flagged, flaggedVoxels().length);
  const scalarVoxels = scalarCases.slice(1).map((_, i) => cases.length + 1 + i);
  assert.deepEqual(
    flaggedVoxels(),
    scalarVoxels,
    "only the tiny, non-finite and all-equal voxels",
  );
  // Alone, the vector kernel flags the same voxels: it solves the zero tensor (the
  // axes), and an all-equal one has no cross product to take.
  views.u8.fill(0, flags, flags + n);
  const flaggedByVectors = k.eigenvectorsOf3x64(
    sourceTable,
    n,
    targetTable,
    vectorTable,
    flags,
    pair,
  );
  assert.deepEqual(flaggedVoxels(), scalarVoxels, "the vector kernel's");
  assert.equal(flaggedByVectors, scalarVoxels.length);
  // Flags already set stay set and are not counted again.
  assert.equal(
    k.eigenvectorsOf3x64(sourceTable, n, targetTable, vectorTable, flags, pair),
    0,
  );
  assert.deepEqual(flaggedVoxels(), scalarVoxels);
});

Deno.test("SIMD float32 mode: entries within 1e-6 of the largest entry and eigenvalues within 5e-6 of the largest eigenvalue (float64 reference); two-step equals fused", () => {
  for (const mode of ["constant", "reflect"] as const) {
    const image = planarVolume([9, 40, 45], 3);
    const settings = { sigma: [1, 1.5, 2.5], mode, cval: 0 };
    const exact = runJob(image, { ...settings, simd: false });
    const rounded = runJob(image, { ...settings, simd: true, float32: true });
    // Relative to the tensor's largest entry: an entry much smaller than the
    // others (here the one of the noise-only Y derivative) keeps float32's
    // absolute error, not its relative one.
    const largest = Math.max(
      ...exact.elements!.map((entry) => Math.max(...entry.map(Math.abs))),
    );
    rounded.elements!.forEach((entry, e) => {
      let error = 0;
      for (let i = 0; i < entry.length; i++) {
        error = Math.max(error, Math.abs(entry[i] - exact.elements![e][i]));
      }
      assert.ok(
        error < 1e-6 * largest,
        `${mode} entry ${e}: ${error / largest}`,
      );
    });
    const error = relativeError(rounded.eigen!, exact.eigen!);
    assert.ok(error < 5e-6, `${mode} eigenvalues: ${error}`);
    const fused = structureTensorEigenvaluesOfImage(image, {
      ...settings,
      precision: "float32",
    });
    const twoStep = structureTensorEigenvalues(
      rounded.elements!.map((entry) => ndarray(entry, image.shape)),
      { precision: "float32" },
    );
    assertSameValues(twoStep.data, fused.data, `${mode} two-step`);
  }
});

Deno.test("without WebAssembly the JavaScript kernels run and give the same float64 eigenvalues", async () => {
  const shape = [6, 21, 34];
  const image = planarVolume(shape, 5);
  const withSimd = structureTensorEigenvaluesOfImage(image, {
    sigma: [1, 1.5, 2.5],
    threads: 1,
  });
  const dir = await Deno.makeTempDir();
  try {
    const feature = new URL("../lib/feature/mod.ts", import.meta.url).href;
    const wasm = new URL("../lib/wasm/_simd_kernels.ts", import.meta.url).href;
    const array = new URL("../lib/array/mod.ts", import.meta.url).href;
    const out = `${dir}/eigen.f64`;
    const script = `
      delete globalThis.WebAssembly;
      const { simdKernels } = await import(${JSON.stringify(wasm)});
      if (simdKernels() !== null) throw new Error("SIMD kernels without WebAssembly");
      const { structureTensorEigenvaluesOfImage } = await import(${
      JSON.stringify(feature)
    });
      const { ndarray } = await import(${JSON.stringify(array)});
      const data = Uint16Array.from(${JSON.stringify([...image.data])});
      const eigen = structureTensorEigenvaluesOfImage(ndarray(data, ${
      JSON.stringify(shape)
    }), { sigma: [1, 1.5, 2.5], threads: 1 });
      await Deno.writeFile(${
      JSON.stringify(out)
    }, new Uint8Array(eigen.data.buffer));
    `;
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["eval", "--ext=js", script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(code, 0, new TextDecoder().decode(stderr));
    const bytes = await Deno.readFile(out);
    const withoutSimd = new Float64Array(bytes.buffer);
    assertSameValues(withoutSimd, withSimd.data, "eigenvalues");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the committed SIMD module is a fresh build of scripts/wasm/simd_kernels.ts", async () => {
  const committed = await Deno.readTextFile(
    new URL("../lib/wasm/_simd_kernels_bytes.ts", import.meta.url),
  );
  assert.equal(committed, await buildKernelsModule());
});
