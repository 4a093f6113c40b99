/**
 * Benchmarks of the numerics on the tutorial's sizes: the whole kidney
 * channel (16 × 512 × 512 uint16) and the tutorial's sample (8 × 30 × 30),
 * sigma (1, 1.5, 2.5) as in the tutorial.
 *
 * Default options use every core (worker threads above 2^17 voxels); the
 * "1 thread" cases show the single-thread kernels.
 *
 * Run: deno bench --allow-read bench/numerics_bench.ts
 *
 * @module
 */

import { imgAsFloat } from "../lib/array/mod.ts";
import {
  structureTensor,
  structureTensorEigenvalues,
  structureTensorEigenvaluesOfImage,
} from "../lib/feature/mod.ts";
import { gaussianFilter, sobel } from "../lib/filters/mod.ts";
import { computeTensorJob } from "../lib/feature/_tensor_kernel.ts";
import type { TensorJob } from "../lib/feature/_tensor_plan.ts";
import { simdKernels } from "../lib/wasm/_simd_kernels.ts";
import { seededVolume } from "./_seeded_volume.ts";

const SIGMA = [1, 1.5, 2.5];

for (const shape of [[16, 512, 512], [8, 30, 30]]) {
  const label = shape.join("x");
  const volume = seededVolume(shape);
  const floats = imgAsFloat(volume);
  const elements = structureTensor(volume, { sigma: SIGMA });
  const big = shape[1] === 512;
  const options = big ? { n: 3, warmup: 1 } : {};

  Deno.bench({
    name: `gaussianFilter ${label} float64 sigma (1, 1.5, 2.5)`,
    group: label,
    ...options,
    fn: () => {
      gaussianFilter(floats, SIGMA);
    },
  });
  Deno.bench({
    name: `sobel ${label} float64 axis 1`,
    group: label,
    ...options,
    fn: () => {
      sobel(floats, 1);
    },
  });
  Deno.bench({
    name: `structureTensor ${label} uint16 sigma (1, 1.5, 2.5)`,
    group: label,
    ...options,
    fn: () => {
      structureTensor(volume, { sigma: SIGMA });
    },
  });
  Deno.bench({
    name: `structureTensorEigenvalues ${label}`,
    group: label,
    ...options,
    fn: () => {
      structureTensorEigenvalues(elements);
    },
  });
  Deno.bench({
    name: `structureTensor ${label} uint16 1 thread`,
    group: label,
    ...options,
    fn: () => {
      structureTensor(volume, { sigma: SIGMA, threads: 1 });
    },
  });
  Deno.bench({
    name: `structureTensor ${label} uint16 precision float32`,
    group: label,
    ...options,
    fn: () => {
      structureTensor(volume, { sigma: SIGMA, precision: "float32" });
    },
  });
  Deno.bench({
    name: `structureTensorEigenvaluesOfImage (fused) ${label} uint16`,
    group: label,
    ...options,
    fn: () => {
      structureTensorEigenvaluesOfImage(volume, { sigma: SIGMA });
    },
  });
  Deno.bench({
    name: `structureTensorEigenvaluesOfImage (fused) ${label} uint16 1 thread`,
    group: label,
    ...options,
    fn: () => {
      structureTensorEigenvaluesOfImage(volume, { sigma: SIGMA, threads: 1 });
    },
  });
  Deno.bench({
    name:
      `structureTensorEigenvaluesOfImage (fused) ${label} uint16 precision float32`,
    group: label,
    ...options,
    fn: () => {
      structureTensorEigenvaluesOfImage(volume, {
        sigma: SIGMA,
        precision: "float32",
      });
    },
  });
  Deno.bench({
    name:
      `structureTensor + structureTensorEigenvalues ${label} uint16 sigma (1, 1.5, 2.5)`,
    group: label,
    baseline: true,
    ...options,
    fn: () => {
      structureTensorEigenvalues(structureTensor(volume, { sigma: SIGMA }));
    },
  });
}

// The tensor engine on one thread, WebAssembly SIMD against the JavaScript
// kernels (the fallback where WebAssembly SIMD is missing): same results.
{
  const shape: [number, number, number] = [16, 128, 128];
  const label = `tensor engine ${shape.join("x")}`;
  const volume = seededVolume(shape);
  const size = volume.data.length;
  const job = (simd: boolean): TensorJob => ({
    input: simd ? volume.data : imgAsFloat(volume).data,
    conversion: simd ? { scale: 1 / 65535, signed: false } : null,
    shape,
    sigmas: SIGMA,
    spacing: null,
    mode: "constant",
    cval: 0,
    float32: false,
    simd,
    outputPlanes: [0, shape[0]],
    elements: null,
    eigen: new Float64Array(3 * size),
  });
  if (simdKernels() !== null) {
    Deno.bench({
      name: `${label} eigenvalues, WebAssembly SIMD`,
      group: label,
      fn: () => {
        computeTensorJob(job(true));
      },
    });
  }
  Deno.bench({
    name: `${label} eigenvalues, JavaScript`,
    group: label,
    baseline: true,
    fn: () => {
      computeTensorJob(job(false));
    },
  });
}
