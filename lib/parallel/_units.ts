/**
 * Private: runs a job's units of work on the calling thread and on worker
 * threads at once, synchronously. Generic: the caller hands in its kernel
 * (what one unit computes) and the URL of a worker module that serves the
 * same kernel with {@linkcode serveUnits}; this layer knows nothing of what
 * the units compute.
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

/** What one unit of a job computes, on whichever thread claims it. */
export interface UnitKernel<Job> {
  /** Computes unit `unit` (its numbers: `units[unit·width … (unit+1)·width)`). */
  run(job: Job, units: Int32Array, unit: number): void;
  /**
   * Called on each worker before it claims units, with the `context` the
   * caller posted (e.g. an already compiled WebAssembly module).
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

/** Control words in a shared Int32Array. */
const NEXT = 0;
const DONE = 1;
const FAILED = 2;

/** The message a worker receives. */
interface UnitMessage<Job> {
  job: Job;
  units: Int32Array;
  width: number;
  control: Int32Array;
  context: unknown;
}

/** Claims and computes units until none is left. */
function claimUnits<Job>(
  kernel: UnitKernel<Job>,
  { job, units, width, control }: UnitMessage<Job>,
): void {
  const count = units.length / width;
  for (;;) {
    const unit = Atomics.add(control, NEXT, 1);
    if (unit >= count) return;
    try {
      kernel.run(job, units, unit);
    } catch (error) {
      Atomics.store(control, FAILED, 1);
      throw error;
    } finally {
      Atomics.add(control, DONE, 1);
      Atomics.notify(control, DONE);
    }
  }
}

/**
 * The body of a worker module: claims and computes units of the job it is
 * sent with `kernel`, then closes.
 */
export function serveUnits<Job>(kernel: UnitKernel<Job>): void {
  const scope = globalThis as unknown as {
    onmessage: (event: MessageEvent<UnitMessage<Job>>) => void;
    close(): void;
  };
  scope.onmessage = (event) => {
    kernel.prepare?.(event.data.context);
    claimUnits(kernel, event.data);
    scope.close();
  };
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

/**
 * Computes every unit of `plan` with `threads` threads (the caller plus
 * `threads - 1` workers, never more workers than units left for them).
 */
export function runUnits<Job>(
  kernel: UnitKernel<Job>,
  plan: UnitPlan<Job>,
  threads: number,
): void {
  const { job, units, width } = plan;
  const count = units.length / width;
  if (threads <= 1 || count <= 1 || !mayLoad(plan.worker)) {
    for (let unit = 0; unit < count; unit++) kernel.run(job, units, unit);
    return;
  }
  if (
    plan.sharedArrays.some((array) =>
      !(array.buffer instanceof SharedArrayBuffer)
    )
  ) {
    // Workers would write into copies: results would be lost.
    throw new Error("internal: worker threads need SharedArrayBuffer arrays");
  }
  const message: UnitMessage<Job> = {
    job,
    units,
    width,
    control: new Int32Array(new SharedArrayBuffer(3 * 4)),
    context: plan.context ?? null,
  };
  const workers: Worker[] = [];
  try {
    for (let t = 1; t < Math.min(threads, count); t++) {
      const worker = new Worker(plan.worker.href, { type: "module" });
      worker.postMessage(message);
      workers.push(worker);
    }
    claimUnits(kernel, message);
    const control = message.control;
    for (;;) {
      const done = Atomics.load(control, DONE);
      if (done >= count) break;
      Atomics.wait(control, DONE, done);
    }
    if (Atomics.load(control, FAILED) !== 0) {
      throw new Error("a worker thread failed (see its error above)");
    }
  } finally {
    for (const worker of workers) worker.terminate();
  }
}
