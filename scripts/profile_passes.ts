/**
 * Where the structure tensor's time goes, kernel by kernel, on one thread:
 * the figures of the roofline in `docs/scaling.md`.
 *
 * Runs the fused analysis (eigenvalues, all three eigenvectors, or
 * eigenvalues only with `--no-vectors`) of a seeded uint16 volume through
 * the tensor engine and the SIMD backend on the calling thread, with every
 * kernel call timed and its floating-point operations counted from its
 * arguments (the per-element counts below, read off
 * `scripts/wasm/simd_kernels.ts`: adds, subtracts, multiplies, divisions,
 * square roots, min and max; no fused multiply-add). What is not a kernel
 * call (row copies in and out, integer conversion, tables, the measures) is
 * "copies". Times are CPU time (`cpuMs`). Then the machine's peak: independent chains of f64x2 and f32x4
 * multiplies and adds (`scripts/wasm/peak_flops.ts`), on one thread.
 *
 * Usage: `deno run --allow-read --allow-env --allow-net scripts/profile_passes.ts
 * [--shape 16x512x512] [--precision float64,float32] [--runs 5] [--no-vectors]
 * [--band-voxels N] [--json]`
 * (the AssemblyScript compiler for the peak probe comes from npm). Each
 * figure is the median over `--runs` runs after one warm-up run.
 *
 * @module
 */

import { parseArgs } from "node:util";
import process from "node:process";
import { seededVolume } from "../bench/_seeded_volume.ts";
import { compileAssemblyScript } from "./build_wasm.ts";
import { median } from "./_compare_files.ts";
import { type SimdKernels, simdKernels } from "../lib/wasm/_simd_kernels.ts";
import { simdTensorBackend } from "../lib/feature/_tensor_backend_simd.ts";
import { runTensorBands } from "../lib/feature/_tensor_engine.ts";
import { planTensor, type TensorJob } from "../lib/feature/_tensor_plan.ts";
import {
  analysisArrays,
  type AnalysisTargets,
} from "../lib/feature/_tensor_analysis.ts";
import { checkShapeThresholds } from "../lib/feature/_measure_kernels.ts";

const SIGMA = [1, 1.5, 2.5];
/** Flops per element of `eigenvaluesOf3` and `eigenvectorsOf3` (counted in the source). */
const EIGENVALUE_FLOPS = 102;
const EIGENVECTOR_FLOPS = 187;
/** Peak probe: 12 vector operations per iteration. */
const PEAK_ITERATIONS = 50_000_000;

/**
 * This process's CPU time, ms: the machine is shared, and CPU time leaves out
 * the time the thread waits for a core (not what other processes do to the
 * caches). The run is single-threaded; V8's helper threads add a little.
 */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** The kernels' categories, in the order of the roofline table. */
const PASSES = [
  "Sobel row sums (Y, Z)",
  "Sobel along X",
  "Y pass (Gaussian)",
  "X pass (Gaussian)",
  "products + Z pass",
  "input conversion",
  "eigenvalues",
  "eigenvectors",
] as const;
type Pass = typeof PASSES[number];

interface Tally {
  ms: number;
  flops: number;
  calls: number;
  /** Voxels the eigen kernels left to the scalar path. */
  flagged: number;
}

/** `kernels` with every call timed into `tally` by pass, flops from its arguments. */
function timedKernels(
  kernels: SimdKernels,
  tally: Map<Pass, Tally>,
): SimdKernels {
  const wrap = <F extends (...args: never[]) => unknown>(
    kernel: F,
    classify: (...args: Parameters<F>) => [Pass, number],
  ): F =>
    ((...args: Parameters<F>) => {
      const start = cpuMs();
      const result = kernel(...args);
      const ms = cpuMs() - start;
      const [pass, flops] = classify(...args);
      const entry = tally.get(pass)!;
      entry.ms += ms;
      entry.flops += flops;
      entry.calls++;
      if (typeof result === "number") entry.flagged += result;
      return result;
    }) as F;
  // A row of n values with radius R: one multiply, then R adds (or
  // subtracts), multiplies and adds.
  const combine = (
    _t: number,
    _s: number,
    _b: number,
    _table: number,
    count: number,
    _w: number,
    radius: number,
    n: number,
  ): [Pass, number] => [
    radius === 1 ? "Sobel row sums (Y, Z)" : "Y pass (Gaussian)",
    count * n * (1 + 3 * radius),
  ];
  const correlate = (
    _d: number,
    rows: number,
    n: number,
    _w: number,
    radius: number,
  ): [Pass, number] => [
    radius === 1 ? "Sobel along X" : "X pass (Gaussian)",
    rows * n * (1 + 3 * radius),
  ];
  // Six products of the centre plane (two multiplies each with the weight),
  // then per pair of planes six × (2 products, add, multiply, add).
  const products = (
    _s: number,
    _p: number,
    _w: number,
    radius: number,
    n: number,
  ): [Pass, number] => ["products + Z pass", n * (12 + 30 * radius)];
  // Copies that run as kernels: no arithmetic counted.
  const interleave = (): [Pass, number] => ["products + Z pass", 0];
  const convert = (): [Pass, number] => ["input conversion", 0];
  const values = (_e: number, n: number): [Pass, number] => [
    "eigenvalues",
    n * EIGENVALUE_FLOPS,
  ];
  const vectors = (_e: number, n: number): [Pass, number] => [
    "eigenvectors",
    n * EIGENVECTOR_FLOPS,
  ];
  return {
    ...kernels,
    combineRows64: wrap(kernels.combineRows64, combine),
    combineRows32: wrap(kernels.combineRows32, combine),
    correlateRows64: wrap(kernels.correlateRows64, correlate),
    correlateRows32: wrap(kernels.correlateRows32, correlate),
    interleave3x64: wrap(kernels.interleave3x64, interleave),
    interleave3x32: wrap(kernels.interleave3x32, interleave),
    convert16x64: wrap(kernels.convert16x64, convert),
    convert16x32: wrap(kernels.convert16x32, convert),
    productsAlongZ64: wrap(kernels.productsAlongZ64, products),
    productsAlongZ32: wrap(kernels.productsAlongZ32, products),
    eigenvaluesOf3x64: wrap(kernels.eigenvaluesOf3x64, values),
    eigenvaluesOf3x32: wrap(kernels.eigenvaluesOf3x32, values),
    eigenvectorsOf3x64: wrap(kernels.eigenvectorsOf3x64, vectors),
    eigenvectorsOf3x32: wrap(kernels.eigenvectorsOf3x32, vectors),
  };
}

/** The fused job on `volume`: eigenvalues, and all eigenvectors and FA with `vectors`. */
function fusedJob(
  volume: Uint16Array,
  shape: [number, number, number],
  float32: boolean,
  vectors: boolean,
  bandVoxels: number | undefined,
): TensorJob {
  const size = volume.length;
  const floats = (count: number) =>
    float32 ? new Float32Array(count * size) : new Float64Array(count * size);
  const analysis: AnalysisTargets | null = vectors
    ? {
      vectors: floats(9),
      vectorRanks: [0, 1, 2],
      fractionalAnisotropy: floats(1),
      westin: null,
      shapeClass: null,
      coherence: null,
      thresholds: checkShapeThresholds("profile_passes", {}),
      angles: null,
      angleRank: 0,
      mask: null,
      energyBackground: false,
      background: 0,
      size,
    }
    : null;
  return {
    input: volume,
    conversion: { scale: 1 / 65535, signed: false },
    shape,
    sigmas: SIGMA,
    spacing: null,
    mode: "constant",
    cval: 0,
    float32,
    simd: true,
    outputPlanes: [0, shape[0]],
    elements: null,
    eigen: floats(3),
    analysis,
    bandVoxels,
  };
}

/** One single-thread run: ms and flops per pass, and the total ms. */
function profileOnce(
  kernels: SimdKernels,
  job: TensorJob,
): { tally: Map<Pass, Tally>; totalMs: number; touchMs: number } {
  // The outputs' first touch (the page faults of fresh memory, which vary
  // tenfold with the machine's load) is timed on its own, before the run.
  const touchStart = cpuMs();
  for (
    const output of [
      job.eigen!,
      ...job.analysis ? analysisArrays(job.analysis) : [],
    ]
  ) {
    new Uint8Array(output.buffer).fill(0);
  }
  const touchMs = cpuMs() - touchStart;
  const tally = new Map<Pass, Tally>(
    PASSES.map((pass) => [pass, { ms: 0, flops: 0, calls: 0, flagged: 0 }]),
  );
  const timed = timedKernels(kernels, tally);
  const start = cpuMs();
  const plan = planTensor(job);
  for (let b = 0; b < plan.bands; b++) {
    // One backend per band, as a thread builds one per unit of work.
    const backend = simdTensorBackend(job, plan, timed);
    runTensorBands(job, plan, backend, job.outputPlanes, [b, b + 1]);
  }
  return { tally, totalMs: cpuMs() - start, touchMs };
}

/** Single-thread GFLOP/s of the f64x2 and f32x4 peak probes. */
async function peakGflops(): Promise<{ float64: number; float32: number }> {
  const source = await Deno.readTextFile(
    new URL("./wasm/peak_flops.ts", import.meta.url),
  );
  const bytes = await compileAssemblyScript(
    { "peak_flops.ts": source },
    "peak_flops.ts",
  );
  const probe = new WebAssembly.Instance(new WebAssembly.Module(bytes), {})
    .exports as {
      peak64(iterations: number, m: number, a: number): number;
      peak32(iterations: number, m: number, a: number): number;
    };
  const rate = (run: (iterations: number) => number, lanes: number) => {
    run(PEAK_ITERATIONS / 10);
    const times: number[] = [];
    for (let r = 0; r < 5; r++) {
      const start = cpuMs();
      run(PEAK_ITERATIONS);
      times.push(cpuMs() - start);
    }
    // The fastest run: the peak is what the machine can do when not interrupted.
    return (PEAK_ITERATIONS * 12 * lanes) / (Math.min(...times) * 1e6);
  };
  return {
    float64: rate((n) => probe.peak64(n, 1.0000001, 1e-9), 2),
    float32: rate((n) => probe.peak32(n, 1.0000001, 1e-9), 4),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      shape: { type: "string", default: "16x512x512" },
      precision: { type: "string", default: "float64,float32" },
      runs: { type: "string", default: "5" },
      "no-vectors": { type: "boolean", default: false },
      "band-voxels": { type: "string" },
      json: { type: "boolean", default: false },
    },
  });
  const kernels = simdKernels();
  if (kernels === null) throw new Error("no WebAssembly SIMD in this runtime");
  const shape = values.shape.split("x").map(Number) as [
    number,
    number,
    number,
  ];
  const runs = Number(values.runs);
  const volume = seededVolume(shape).data;
  const peak = await peakGflops();
  const report: Record<string, unknown> = { shape, runs, peak };
  console.log(
    `peak, one thread: ${peak.float64.toFixed(2)} GFLOP/s f64x2, ${
      peak.float32.toFixed(2)
    } GFLOP/s f32x4 (mul and add, no FMA)`,
  );
  for (const precision of values.precision.split(",")) {
    const float32 = precision === "float32";
    const bandVoxels = values["band-voxels"] === undefined
      ? undefined
      : Number(values["band-voxels"]);
    const job = () =>
      fusedJob(volume, shape, float32, !values["no-vectors"], bandVoxels);
    profileOnce(kernels, job());
    const samples = Array.from(
      { length: runs },
      () => profileOnce(kernels, job()),
    );
    const totalMs = median(samples.map((s) => s.totalMs));
    const touchMs = median(samples.map((s) => s.touchMs));
    const rows = PASSES.map((pass) => {
      const ms = median(samples.map((s) => s.tally.get(pass)!.ms));
      const { flops, calls, flagged } = samples[0].tally.get(pass)!;
      const gflops = ms > 0 ? flops / (ms * 1e6) : 0;
      return {
        pass,
        ms,
        calls,
        flagged,
        flopsPerVoxel: flops / volume.length,
        gflops,
        ofPeak: gflops / (float32 ? peak.float32 : peak.float64),
      };
    });
    const kernelMs = rows.reduce((sum, row) => sum + row.ms, 0);
    report[precision] = {
      totalMs,
      copiesMs: totalMs - kernelMs,
      outputFirstTouchMs: touchMs,
      rows,
    };
    console.log(
      `\n${precision}, ${shape.join("x")}, one thread: ${
        totalMs.toFixed(0)
      } ms (median of ${runs})`,
    );
    console.log(
      "| pass | ms | flops/voxel | GFLOP/s | of peak | calls | to scalar |",
    );
    console.log("|---|---|---|---|---|---|---|");
    for (const row of rows) {
      if (row.calls === 0) continue;
      console.log(
        `| ${row.pass} | ${row.ms.toFixed(1)} | ${
          row.flopsPerVoxel.toFixed(0)
        } | ${row.gflops.toFixed(2)} | ${
          (100 * row.ofPeak).toFixed(0)
        }% | ${row.calls} | ${row.flagged} |`,
      );
    }
    console.log(
      `| copies, tables, measures | ${
        (totalMs - kernelMs).toFixed(1)
      } | | | | | |`,
    );
    console.log(
      `| (before the run: first touch of the outputs) | ${
        touchMs.toFixed(1)
      } | | | | | |`,
    );
  }
  if (values.json) console.log(JSON.stringify(report));
}
