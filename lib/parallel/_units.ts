/**
 * Private: runs a job's units of work on the process's worker threads
 * (`_pool.ts`), either with the calling thread taking part and blocking
 * until the job is done ({@linkcode runUnits}), or on the workers alone
 * while the calling thread's event loop stays free
 * ({@linkcode runUnitsAsync}). Generic: the caller hands in its kernel (what
 * one unit computes) and the URL of a worker module that serves the same
 * kernel with {@linkcode serveUnits}; this layer knows nothing of what the
 * units compute.
 *
 * Units are claimed from a shared counter (`Atomics.add`), so a worker that
 * is busy or starts late simply finds fewer units left, and in
 * `runUnits` the calling thread, which claims too, finishes everything even
 * if no worker ever takes a unit. A unit that throws still counts as done:
 * the job completes, then fails with the first unit's error. A worker that
 * dies (fails to load, or crashes) fails the `runUnitsAsync` jobs waiting
 * on it; one that dies in the middle of a unit of a `runUnits` job (out of
 * memory, say) leaves that call waiting, as a blocked thread cannot see it
 * die.
 *
 * @module
 */

import {
  MessageChannel,
  type MessagePort,
  parentPort,
  receiveMessageOnPort,
} from "node:worker_threads";
import { packViews, unpackViews } from "./_packed_views.ts";
import {
  holdWorker,
  type PoolWorker,
  poolWorkers,
  releaseWorker,
  scheduleIdleEnd,
} from "./_pool.ts";

/** What one unit of a job computes, on whichever thread claims it. */
export interface UnitKernel<Job> {
  /** Computes unit `unit` (its numbers: `units[unit·width … (unit+1)·width)`). */
  run(job: Job, units: Int32Array, unit: number): void;
  /**
   * Called on a worker before it claims units of a job, with the `context`
   * the caller posted (e.g. an already compiled WebAssembly module).
   */
  prepare?(context: unknown): void;
}

/** How a job is split and run. */
export interface UnitPlan<Job> {
  job: Job;
  /** The units, `width` numbers each. */
  units: Int32Array;
  width: number;
  /** Arrays the workers write into: they must live in SharedArrayBuffers. */
  sharedArrays: readonly ArrayBufferView[];
  /** The worker module: it calls `serveUnits` with the same kernel. */
  worker: URL;
  /** Posted to every worker's `kernel.prepare`. */
  context?: unknown;
}

let offThreadJobs = 0;

/** How many jobs `runUnitsAsync` has posted to workers in this process (tests read it). */
export function jobsPostedOffThread(): number {
  return offThreadJobs;
}

/** Control words in a shared Int32Array: units claimed, units done. */
const NEXT = 0;
const DONE = 1;

/** The message a worker receives for each job. */
interface UnitMessage<Job> {
  job: Job;
  units: Int32Array;
  width: number;
  control: Int32Array;
  context: unknown;
  /** Where the worker posts the errors of the units it fails. */
  failures: MessagePort;
}

/** Claims and computes units until none is left; a failing unit is reported and counts as done. */
function claimUnits<Job>(
  kernel: UnitKernel<Job>,
  { job, units, width, control }: Omit<UnitMessage<Job>, "failures">,
  failed: (error: unknown) => void,
): void {
  const count = units.length / width;
  for (;;) {
    const unit = Atomics.add(control, NEXT, 1);
    if (unit >= count) return;
    try {
      kernel.run(job, units, unit);
    } catch (error) {
      failed(error);
    } finally {
      Atomics.add(control, DONE, 1);
      Atomics.notify(control, DONE);
    }
  }
}

/**
 * The body of a worker module: computes units of every job it is sent with
 * `kernel`, for as long as the process runs.
 */
export function serveUnits<Job>(kernel: UnitKernel<Job>): void {
  parentPort!.on("message", (packed: unknown) => {
    const message = unpackViews(packed) as UnitMessage<Job>;
    const { failures } = message;
    kernel.prepare?.(message.context);
    claimUnits(kernel, message, (error) => {
      try {
        failures.postMessage(error);
      } catch {
        // Not cloneable: its text still tells what failed.
        failures.postMessage(new Error(String(error)));
      }
    });
    failures.close();
  });
}

/**
 * Whether a worker may load `module`: Deno loads a worker's local module
 * only with read permission on it (the main module's imports need none), so
 * under narrower permissions the calling thread does all the work instead
 * of starting workers that fail to load. Elsewhere: true.
 */
function mayLoad(module: URL): boolean {
  const permissions = (globalThis as {
    Deno?: { permissions?: typeof Deno.permissions };
  }).Deno?.permissions;
  if (module.protocol !== "file:" || permissions === undefined) return true;
  return permissions.querySync({ name: "read", path: module }).state ===
    "granted";
}

/** A job posted to pool workers: its control words and where its failures arrive. */
interface PostedJob {
  control: Int32Array;
  count: number;
  members: PoolWorker[];
  failures: MessagePort[];
}

/** Posts `plan` to `workers` workers of its pool. */
function postJob<Job>(plan: UnitPlan<Job>, workers: number): PostedJob {
  if (
    plan.sharedArrays.some((array) =>
      !(array.buffer instanceof SharedArrayBuffer)
    )
  ) {
    // Workers would write into copies: results would be lost.
    throw new Error("internal: worker threads need SharedArrayBuffer arrays");
  }
  const { job, units, width } = plan;
  const control = new Int32Array(new SharedArrayBuffer(2 * 4));
  const members = poolWorkers(plan.worker, workers);
  const failures = members.map((member) => {
    const { port1, port2 } = new MessageChannel();
    const message: UnitMessage<Job> = {
      job,
      units,
      width,
      control,
      context: plan.context ?? null,
      failures: port2,
    };
    member.worker.postMessage(packViews(message), [port2]);
    return port1;
  });
  return { control, count: units.length / width, members, failures };
}

/** Adds the errors the workers of a completed job reported to `errors`, and closes its ports. */
function collectFailures(posted: PostedJob, errors: unknown[]): void {
  for (const port of posted.failures) {
    for (
      let received = receiveMessageOnPort(port);
      received !== undefined;
      received = receiveMessageOnPort(port)
    ) {
      errors.push(received.message);
    }
    port.close();
  }
}

/**
 * Computes every unit of `plan` with `threads` threads: the calling thread
 * plus `threads - 1` pool workers (never more than the units left for
 * them), blocking until all are done.
 */
export function runUnits<Job>(
  kernel: UnitKernel<Job>,
  plan: UnitPlan<Job>,
  threads: number,
): void {
  const { job, units, width } = plan;
  const count = units.length / width;
  const errors: unknown[] = [];
  const failed = (error: unknown) => errors.push(error);
  if (threads <= 1 || count <= 1 || !mayLoad(plan.worker)) {
    const control = new Int32Array(2);
    claimUnits(kernel, { job, units, width, control, context: null }, failed);
  } else {
    const posted = postJob(plan, Math.min(threads, count) - 1);
    const { control } = posted;
    claimUnits(kernel, { job, units, width, control, context: null }, failed);
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done >= count) break;
      Atomics.wait(control, DONE, done);
    }
    collectFailures(posted, errors);
    scheduleIdleEnd();
  }
  if (errors.length > 0) throw errors[0];
}

/**
 * Computes every unit of `plan` on `threads` pool workers (never more than
 * its units), leaving the calling thread free; resolves when all are done.
 * Without permission to load the worker module, the calling thread
 * computes them, as `runUnits` does.
 */
export async function runUnitsAsync<Job>(
  kernel: UnitKernel<Job>,
  plan: UnitPlan<Job>,
  threads: number,
): Promise<void> {
  const count = plan.units.length / plan.width;
  if (count === 0 || !mayLoad(plan.worker)) {
    return runUnits(kernel, plan, 1);
  }
  const posted = postJob(plan, Math.min(threads, count));
  offThreadJobs++;
  // A worker that died may have claimed units it never finished: its error ends the wait.
  const errors: unknown[] = [];
  const onDeath = (error: unknown) => {
    errors.push(error);
    Atomics.notify(posted.control, DONE);
  };
  for (const member of posted.members) {
    holdWorker(member);
    member.onDeath.add(onDeath);
  }
  try {
    for (;;) {
      const done = Atomics.load(posted.control, DONE);
      if (done >= count || errors.length > 0) break;
      await Atomics.waitAsync(posted.control, DONE, done).value;
    }
  } finally {
    for (const member of posted.members) {
      member.onDeath.delete(onDeath);
      releaseWorker(member);
    }
    scheduleIdleEnd();
  }
  collectFailures(posted, errors);
  if (errors.length > 0) throw errors[0];
}
