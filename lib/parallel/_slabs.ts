/**
 * Private: runs a job's units of work (slabs of planes × bands of rows) on
 * the calling thread and on worker threads at once, synchronously.
 *
 * Units are claimed from a shared counter (`Atomics.add`), so a worker that
 * starts late simply finds fewer units left, and the calling thread, which
 * claims too, finishes everything even if no worker ever starts. The calling
 * thread then waits (`Atomics.wait`, allowed on Deno's main thread) until
 * every claimed unit is done, and terminates the workers, so nothing keeps the
 * process alive afterwards.
 *
 * @module
 */

import { eigenvalues3 } from "../feature/_symmetric_eigenvalues.ts";
import { computeTensorSlabSimd } from "../feature/_tensor_slab_simd.ts";
import { eigenvalues3Simd } from "../feature/_eigenvalues_simd.ts";
import {
  adoptSimdModule,
  simdKernels,
  simdModule,
} from "../wasm/_simd_kernels.ts";
import {
  bandRowsOf,
  computeTensorSlab,
  type TensorJob,
} from "../feature/_tensor_slab.ts";

/** Eigenvalues of 3×3 tensor entries already computed: `out[k·size + i]`. */
export interface EigenJob {
  /** The six upper-triangular entries, C-contiguous, `planes × planeSize` each. */
  entries: (Float64Array | Float32Array)[];
  planeSize: number;
  out: Float64Array | Float32Array;
  /** Run on the SIMD kernel (entries of `out`'s float type) when the runtime has it. */
  simd: boolean;
}

/** A job whose units (slabs of planes, bands of rows) can be computed independently. */
export type SlabJob = { kind: "tensor"; job: TensorJob } | {
  kind: "eigen";
  job: EigenJob;
};

function computeUnit(slabJob: SlabJob, units: Int32Array, unit: number): void {
  const [z0, z1, y0, y1] = units.subarray(4 * unit, 4 * unit + 4);
  if (slabJob.kind === "tensor") {
    const kernels = slabJob.job.simd ? simdKernels() : null;
    if (kernels !== null) {
      computeTensorSlabSimd(slabJob.job, kernels, z0, z1, y0, y1);
    } else {
      computeTensorSlab(slabJob.job, z0, z1, y0, y1);
    }
    return;
  }
  const { entries, planeSize, out, simd } = slabJob.job;
  const from = z0 * planeSize;
  const to = z1 * planeSize;
  const size = entries[0].length;
  const kernels = simd ? simdKernels() : null;
  if (kernels !== null) {
    eigenvalues3Simd(kernels, entries, from, to, out, size);
    return;
  }
  eigenvalues3(
    entries.map((entry) => entry.subarray(from, to)),
    to - from,
    out,
    from,
    size,
  );
}

/** Control words in a shared Int32Array. */
const NEXT = 0;
const DONE = 1;
const FAILED = 2;

/** The message a slab worker receives. */
export interface SlabMessage {
  job: SlabJob;
  /** Units of work, 4 numbers each: planes [z0, z1), rows [y0, y1). */
  units: Int32Array;
  control: Int32Array;
  /** The caller's compiled SIMD module, shared with the workers (null: none). */
  simd: WebAssembly.Module | null;
}

/** Claims and computes units until none is left; returns how many this thread did. */
export function claimUnits(message: SlabMessage): number {
  const { job, units, control } = message;
  if (message.simd !== null) adoptSimdModule(message.simd);
  const count = units.length / 4;
  let done = 0;
  for (;;) {
    const unit = Atomics.add(control, NEXT, 1);
    if (unit >= count) return done;
    try {
      computeUnit(job, units, unit);
    } catch (error) {
      Atomics.store(control, FAILED, 1);
      Atomics.add(control, DONE, 1);
      Atomics.notify(control, DONE);
      throw error;
    }
    done++;
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
}

/**
 * Units of work for `threads` threads: when a plane has at least as many
 * bands of rows as there are threads, one band over all planes per unit (so
 * no plane's derivatives are computed twice, and a thread that starts late
 * takes fewer bands); else slabs of planes × bands. Eigenvalue jobs are cut
 * into slabs of planes.
 */
function unitsOf(
  job: SlabJob,
  [first, end]: readonly [number, number],
  threads: number,
): Int32Array {
  const rows = job.kind === "tensor" ? job.job.shape[1] : 1;
  const bandRows = job.kind === "tensor" ? bandRowsOf(job.job) : 1;
  const bands = Math.ceil(rows / bandRows);
  const units: number[] = [];
  if (bands >= threads) {
    for (let y0 = 0; y0 < rows; y0 += bandRows) {
      units.push(first, end, y0, Math.min(rows, y0 + bandRows));
    }
    return Int32Array.from(units);
  }
  const planes = end - first;
  const slabs = Math.min(planes, Math.ceil(threads / bands));
  for (let s = 0; s < slabs; s++) {
    const z0 = first + Math.round((s * planes) / slabs);
    const z1 = first + Math.round(((s + 1) * planes) / slabs);
    for (let y0 = 0; y0 < rows; y0 += bandRows) {
      units.push(z0, z1, y0, Math.min(rows, y0 + bandRows));
    }
  }
  return Int32Array.from(units);
}

/**
 * Computes planes [first, end) of `job` with `threads` threads (the caller
 * plus `threads - 1` workers). With more than one thread, the job's arrays
 * must live in SharedArrayBuffers.
 */
export function runSlabs(
  job: SlabJob,
  planes: readonly [number, number],
  threads: number,
): void {
  const units = unitsOf(job, planes, threads);
  const count = units.length / 4;
  if (threads <= 1 || count <= 1) {
    for (let unit = 0; unit < count; unit++) computeUnit(job, units, unit);
    return;
  }
  const arrays = job.kind === "tensor"
    ? [job.job.input, ...job.job.elements ?? [], job.job.eigen]
    : [...job.job.entries, job.job.out];
  if (
    arrays.some((array) =>
      array !== null && !(array.buffer instanceof SharedArrayBuffer)
    )
  ) {
    // Workers would write into copies: results would be lost.
    throw new Error("internal: worker threads need SharedArrayBuffer arrays");
  }
  const message: SlabMessage = {
    job,
    units,
    control: new Int32Array(new SharedArrayBuffer(3 * 4)),
    simd: job.job.simd ? simdModule() : null,
  };
  const workers: Worker[] = [];
  try {
    for (let t = 1; t < Math.min(threads, count); t++) {
      const worker = new Worker(
        new URL("./_slab_worker.ts", import.meta.url).href,
        { type: "module" },
      );
      worker.postMessage(message);
      workers.push(worker);
    }
    claimUnits(message);
    const control = message.control;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done >= count) break;
      Atomics.wait(control, DONE, done);
    }
    if (Atomics.load(control, FAILED) !== 0) {
      throw new Error(
        `a ${job.kind} worker thread failed (see its error above)`,
      );
    }
  } finally {
    for (const worker of workers) worker.terminate();
  }
}
