/**
 * Private: runs a job's slabs of planes on the calling thread and on worker
 * threads at once, synchronously.
 *
 * Slabs are claimed from a shared counter (`Atomics.add`), so a worker that
 * starts late simply finds fewer slabs left, and the calling thread, which
 * claims too, finishes everything even if no worker ever starts. The calling
 * thread then waits (`Atomics.wait`, allowed on Deno's main thread) until
 * every claimed slab is done, and terminates the workers, so nothing keeps the
 * process alive afterwards.
 *
 * @module
 */

import { eigenvalues3 } from "../feature/_symmetric_eigenvalues.ts";
import { computeTensorSlab, type TensorJob } from "../feature/_tensor_slab.ts";

/** Eigenvalues of 3×3 tensor entries already computed: `out[k·size + i]`. */
export interface EigenJob {
  /** The six upper-triangular entries, C-contiguous, `planes × planeSize` each. */
  entries: (Float64Array | Float32Array)[];
  planeSize: number;
  out: Float64Array | Float32Array;
}

/** One job of planes that slabs of can be computed independently. */
export type SlabJob = { kind: "tensor"; job: TensorJob } | {
  kind: "eigen";
  job: EigenJob;
};

function computeSlab(slabJob: SlabJob, z0: number, z1: number): void {
  if (slabJob.kind === "tensor") {
    computeTensorSlab(slabJob.job, z0, z1);
    return;
  }
  const { entries, planeSize, out } = slabJob.job;
  const from = z0 * planeSize;
  const to = z1 * planeSize;
  const size = entries[0].length;
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
  /** Plane index where each slab starts, then the total plane count. */
  bounds: Int32Array;
  control: Int32Array;
}

/** Claims and computes slabs until none is left; returns how many this thread did. */
export function claimSlabs(message: SlabMessage): number {
  const { job, bounds, control } = message;
  const slabs = bounds.length - 1;
  let done = 0;
  for (;;) {
    const slab = Atomics.add(control, NEXT, 1);
    if (slab >= slabs) return done;
    try {
      computeSlab(job, bounds[slab], bounds[slab + 1]);
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

/** Splits `planes` into `slabs` contiguous, nearly equal ranges. */
function slabBounds(planes: number, slabs: number): Int32Array {
  const bounds = new Int32Array(slabs + 1);
  for (let s = 0; s <= slabs; s++) bounds[s] = Math.round((s * planes) / slabs);
  return bounds;
}

/**
 * Computes every plane of `job` with `threads` threads (the caller plus
 * `threads - 1` workers). With more than one thread, the job's arrays must
 * live in SharedArrayBuffers.
 */
export function runSlabs(job: SlabJob, planes: number, threads: number): void {
  if (threads <= 1 || planes <= 1) {
    computeSlab(job, 0, planes);
    return;
  }
  const slabs = Math.min(threads, planes);
  const message: SlabMessage = {
    job,
    bounds: slabBounds(planes, slabs),
    control: new Int32Array(new SharedArrayBuffer(3 * 4)),
  };
  const workers: Worker[] = [];
  try {
    for (let t = 1; t < slabs; t++) {
      const worker = new Worker(
        new URL("./_slab_worker.ts", import.meta.url).href,
        { type: "module" },
      );
      worker.postMessage(message);
      workers.push(worker);
    }
    claimSlabs(message);
    const control = message.control;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done >= slabs) break;
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
