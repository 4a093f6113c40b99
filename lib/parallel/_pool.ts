/**
 * Private: the process's worker threads, one pool per worker module,
 * started on first use, kept for every later call, and never keeping the
 * process alive while idle. After `IDLE_END_MS` without a job they are
 * ended (and started again by the next call): an idle worker never
 * collects its garbage, so it would keep the arrays of the last job it saw
 * alive (measured: 192 MiB of tensor entries the caller had dropped, until
 * the worker ended).
 *
 * `node:worker_threads` rather than Web Workers: Deno's Web Workers (2.9.6)
 * have no `unref`, so an idle pool of them would keep the process running
 * after its main module returns; a `node:worker_threads` Worker can be
 * `unref()`ed. Those load only `file:` and `data:` URLs, so a module
 * reached over http(s) (`mod.ts` imported by URL) is started through a
 * one-line `data:` module that imports it.
 *
 * @module
 */

import { clearTimeout, setTimeout } from "node:timers";
import { Worker } from "node:worker_threads";
import { MAX_DEFAULT_THREADS } from "./_threads.ts";

/** At most this many workers per pool: more would not help, as more threads do not by default. */
export const MAX_POOL_WORKERS = MAX_DEFAULT_THREADS;

/** One worker of a pool. */
export interface PoolWorker {
  readonly worker: Worker;
  /** Jobs waiting without blocking on this worker: while any, it keeps the process alive. */
  awaiting: number;
  /** Called if the worker dies (fails to load or crashes), for the jobs waiting on it. */
  readonly onDeath: Set<(error: unknown) => void>;
}

/** Workers idle this long are ended. */
const IDLE_END_MS = 5000;

const pools = new Map<string, PoolWorker[]>();
let starts = 0;
let running = 0;
let idleEnd: ReturnType<typeof setTimeout> | undefined;

/** How many workers this process has started, over all pools (tests read it). */
export function workerStarts(): number {
  return starts;
}

/** How many workers have started and not yet exited, over all pools (tests read it). */
export function liveWorkers(): number {
  return running;
}

/** Called when a job is done: ends every worker unless another job comes within `IDLE_END_MS`. */
export function scheduleIdleEnd(): void {
  clearTimeout(idleEnd);
  // An unref'd timer: it never keeps the process alive either.
  idleEnd = setTimeout(endIdleWorkers, IDLE_END_MS).unref();
}

function endIdleWorkers(): void {
  const all = [...pools.values()].flat();
  // A job waiting without blocking calls scheduleIdleEnd again when done.
  if (all.some((member) => member.awaiting > 0)) return;
  for (const pool of pools.values()) pool.length = 0;
  for (const member of all) member.worker.terminate();
}

/**
 * The first `count` workers (at most `MAX_POOL_WORKERS`) of `module`'s
 * pool, starting those it lacks.
 */
export function poolWorkers(module: URL, count: number): PoolWorker[] {
  let pool = pools.get(module.href);
  if (pool === undefined) pools.set(module.href, pool = []);
  while (pool.length < Math.min(count, MAX_POOL_WORKERS)) {
    pool.push(startWorker(module, pool));
  }
  return pool.slice(0, count);
}

/** The URL a `node:worker_threads` Worker accepts for `module`. */
function loadableUrl(module: URL): URL {
  if (module.protocol === "file:" || module.protocol === "data:") return module;
  return new URL(
    `data:text/javascript,${
      encodeURIComponent(`import ${JSON.stringify(module.href)};`)
    }`,
  );
}

function startWorker(module: URL, pool: PoolWorker[]): PoolWorker {
  const worker = new Worker(loadableUrl(module));
  worker.unref();
  starts++;
  const member: PoolWorker = {
    worker,
    awaiting: 0,
    onDeath: new Set(),
  };
  const die = (error: unknown) => {
    // A later call starts a new worker in its place.
    const at = pool.indexOf(member);
    if (at >= 0) pool.splice(at, 1);
    for (const notify of member.onDeath) notify(error);
    member.onDeath.clear();
  };
  worker.on("error", die);
  running++;
  worker.on("exit", (code) => {
    running--;
    die(new Error(`a worker thread exited (code ${code})`));
  });
  return member;
}

/** Keeps `member` (and so the process) alive while a job waits on it without blocking. */
export function holdWorker(member: PoolWorker): void {
  if (member.awaiting++ === 0) member.worker.ref();
}

/** Undoes one `holdWorker`. */
export function releaseWorker(member: PoolWorker): void {
  if (--member.awaiting === 0) member.worker.unref();
}
