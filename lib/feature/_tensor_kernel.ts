/**
 * Private: the structure tensor's units of work as the parallel layer runs
 * them (`lib/parallel/_units.ts`): the kernel that computes one unit on any
 * thread, and the calls that plan a job and run it on `threads` threads.
 *
 * @module
 */

import {
  runUnits,
  runUnitsAsync,
  type UnitKernel,
  type UnitPlan,
} from "../parallel/_units.ts";
import {
  adoptSimdModule,
  simdKernels,
  simdModule,
} from "../wasm/_simd_kernels.ts";
import { stackViews } from "./_eigenvalue_input.ts";
import { symmetric3Simd } from "./_symmetric_simd.ts";
import { eigenvalues3, type ElementData } from "./_symmetric_eigenvalues.ts";
import { eigenvectors3 } from "./_symmetric_eigenvectors.ts";
import { jsTensorBackend } from "./_tensor_backend_js.ts";
import { simdTensorBackend } from "./_tensor_backend_simd.ts";
import { analysisArrays } from "./_tensor_analysis.ts";
import { runTensorBands } from "./_tensor_engine.ts";
import {
  planTensor,
  slabBounds,
  type TensorJob,
  type TensorPlan,
  tensorUnits,
  UNIT_WIDTH,
} from "./_tensor_plan.ts";

/**
 * Eigenvalues (`out[k·size + i]`, k the rank) or eigenvectors (`out[(3·r +
 * c)·size + i]`, component c of rank r's) of 3×3 tensor entries already
 * computed.
 */
export interface EigenJob {
  /** The six upper-triangular entries, C-contiguous, `planes × planeSize` each. */
  entries: (Float64Array | Float32Array)[];
  planeSize: number;
  out: Float64Array | Float32Array;
  /** Run on the SIMD kernel (entries of `out`'s float type) when the runtime has it. */
  simd: boolean;
}

/** A job of the structure tensor's parallel kernel. */
type FeatureJob =
  | { kind: "tensor"; job: TensorJob; plan: TensorPlan }
  | { kind: "eigen" | "vectors"; job: EigenJob };

/** Runs output planes [z0, z1) of bands [b0, b1) of a tensor job on its backend. */
function runTensor(
  job: TensorJob,
  plan: TensorPlan,
  planes: readonly [number, number],
  bands: readonly [number, number],
): void {
  const kernels = job.simd ? simdKernels() : null;
  if (kernels !== null) {
    runTensorBands(
      job,
      plan,
      simdTensorBackend(job, plan, kernels),
      planes,
      bands,
    );
  } else {
    runTensorBands(job, plan, jsTensorBackend(job, plan), planes, bands);
  }
}

/** Computes one unit of a feature job; shared by the calling thread and the workers. */
export const featureKernel: UnitKernel<FeatureJob> = {
  run(featureJob, units, unit) {
    const [z0, z1, b] = units.subarray(UNIT_WIDTH * unit);
    if (featureJob.kind === "tensor") {
      runTensor(featureJob.job, featureJob.plan, [z0, z1], [b, b + 1]);
      return;
    }
    const { entries, planeSize, out, simd } = featureJob.job;
    const from = z0 * planeSize;
    const to = z1 * planeSize;
    if (featureJob.kind === "vectors") {
      eigenvectorsOfRange(entries, from, to, out as Float64Array);
      return;
    }
    const size = entries[0].length;
    const kernels = simd ? simdKernels() : null;
    if (kernels !== null) {
      symmetric3Simd(
        kernels,
        entries,
        from,
        to,
        stackViews(out, 3, size),
        null,
      );
      return;
    }
    eigenvalues3(
      entries.map((entry) => entry.subarray(from, to)),
      to - from,
      out,
      from,
      size,
    );
  },
  prepare(context) {
    // The caller's compiled module: run its optimized code, not a recompilation.
    if (context instanceof WebAssembly.Module) adoptSimdModule(context);
  },
};

/**
 * Unit eigenvectors of voxels [from, to) of 3-D tensor entries into `out`
 * (component c of rank r's vector at `(3·r + c)·size + i`), on the SIMD
 * kernel for float64 entries where the runtime has it.
 */
export function eigenvectorsOfRange(
  entries: readonly ElementData[],
  from: number,
  to: number,
  out: Float64Array,
): void {
  const size = entries[0].length;
  const vectors = stackViews(out, 9, size);
  const kernels = simdKernels();
  if (kernels !== null && entries.every((e) => e instanceof Float64Array)) {
    symmetric3Simd(kernels, entries, from, to, null, vectors);
    return;
  }
  // The entries of a job are typed arrays; the whole range needs no views.
  const part = from === 0 && to === size
    ? entries
    : entries.map((e) => (e as Float64Array | Float32Array).subarray(from, to));
  const targets = vectors.map((vector) => vector.subarray(from, to));
  // The eigenvalues go into rank 0's components, which eigenvectors3 overwrites voxel by voxel.
  eigenvalues3(part, to - from, out, from, size);
  eigenvectors3(part, to - from, targets.slice(0, 3), targets);
}

const WORKER = new URL("./_tensor_worker.ts", import.meta.url);

/** The compiled SIMD module for the workers, when the job runs on it. */
const contextOf = (simd: boolean) => simd ? simdModule() : null;

/** The units of a tensor job for `threads` threads, as the parallel layer runs them. */
function tensorPlan(job: TensorJob, threads: number): UnitPlan<FeatureJob> {
  const plan = planTensor(job);
  return {
    job: { kind: "tensor", job, plan },
    units: tensorUnits(plan, job.outputPlanes, threads),
    width: UNIT_WIDTH,
    sharedArrays: [
      job.input,
      ...job.elements ?? [],
      ...job.eigen === null ? [] : [job.eigen],
      ...job.analysis ? analysisArrays(job.analysis) : [],
    ],
    worker: WORKER,
    context: contextOf(job.simd),
  };
}

/**
 * Computes the output planes of `job` with `threads` threads, this one
 * included (with more than one, its arrays must live in SharedArrayBuffers).
 */
export function runTensorJob(job: TensorJob, threads: number): void {
  runUnits(featureKernel, tensorPlan(job, threads), threads);
}

/**
 * Computes the output planes of `job` on `threads` worker threads, leaving
 * this one free (its arrays must live in SharedArrayBuffers).
 */
export function runTensorJobAsync(
  job: TensorJob,
  threads: number,
): Promise<void> {
  return runUnitsAsync(featureKernel, tensorPlan(job, threads), threads);
}

/** Computes `job` on this thread alone, all bands in one pass (tests and benchmarks). */
export function computeTensorJob(job: TensorJob): void {
  const plan = planTensor(job);
  runTensor(job, plan, job.outputPlanes, [0, plan.bands]);
}

/** The units of an eigenvalue or eigenvector job of `planes` planes: slabs of planes for `threads` threads. */
function eigenPlan(
  kind: "eigen" | "vectors",
  job: EigenJob,
  planes: number,
  threads: number,
): UnitPlan<FeatureJob> {
  const slabs = Math.min(planes, threads);
  const bounds = slabBounds(0, planes, slabs);
  const units: number[] = [];
  for (let s = 0; s < slabs; s++) units.push(bounds[s], bounds[s + 1], 0);
  return {
    job: { kind, job },
    units: Int32Array.from(units),
    width: UNIT_WIDTH,
    sharedArrays: [...job.entries, job.out],
    worker: WORKER,
    context: contextOf(job.simd),
  };
}

/** Eigenvalues of `planes` planes of entries, in slabs of planes over `threads` threads, this one included. */
export function runEigenJob(
  job: EigenJob,
  planes: number,
  threads: number,
): void {
  runUnits(featureKernel, eigenPlan("eigen", job, planes, threads), threads);
}

/**
 * Eigenvalues (`"eigen"`) or eigenvectors (`"vectors"`: `job.out` holds 9
 * arrays of the entries' size) of `planes` planes of entries on `threads`
 * worker threads, leaving this one free.
 */
export function runEigenJobAsync(
  kind: "eigen" | "vectors",
  job: EigenJob,
  planes: number,
  threads: number,
): Promise<void> {
  return runUnitsAsync(
    featureKernel,
    eigenPlan(kind, job, planes, threads),
    threads,
  );
}
