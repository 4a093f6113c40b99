/**
 * The process's worker pool (`lib/parallel/_pool.ts`) through the parallel
 * layer: workers are started once, lazily, reused by every later call (and
 * by every block of the chunked path), grown when a call asks for more
 * threads, up to the cap; a worker's error fails its call and leaves the
 * pool usable; `runUnitsAsync` computes on the workers alone; and an idle
 * pool never keeps the process alive, with `mod.ts` imported from its
 * folder or by URL; idle workers are ended after a few seconds (an idle
 * worker would keep the last job's arrays alive) and started again by the
 * next call.
 *
 * Worker starts are read from the pool's counter, never from timing.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  liveWorkers,
  MAX_POOL_WORKERS,
  workerStarts,
} from "../lib/parallel/_pool.ts";
import { runUnits, runUnitsAsync } from "../lib/parallel/_units.ts";
import { ndarray } from "../lib/deps.ts";
import { structureTensorEigenvaluesOfImage } from "../lib/feature/mod.ts";
import { structureTensorEigenvaluesTiff } from "../lib/chunked/mod.ts";
import { writeTiff } from "../lib/io/mod.ts";
import {
  type CountingJob,
  countingKernel,
} from "./fixtures/parallel/counting_kernel.ts";
import { startRepositoryServer } from "./_serve_repository.ts";

const WORKER = new URL(
  "./fixtures/parallel/counting_worker.ts",
  import.meta.url,
);

function plan(units: number, fail: CountingJob["fail"] = "none") {
  const shared = () => new Int32Array(new SharedArrayBuffer(4 * units));
  const counts = shared();
  const onMain = shared();
  return {
    job: { counts, fail, failUnit: units - 1, onMain },
    units: Int32Array.from({ length: units }, (_, i) => i),
    width: 1,
    sharedArrays: [counts, onMain],
    worker: WORKER,
  };
}

const ones = (n: number) => new Array(n).fill(1);

Deno.test("the pool starts its workers once, on the first call, and grows only when a call asks for more, up to the cap", async () => {
  const before = workerStarts();
  const work = plan(24);
  for (let call = 0; call < 5; call++) {
    runUnits(countingKernel, work, 3);
    await runUnitsAsync(countingKernel, work, 2);
  }
  // Five blocking calls (the caller and 2 workers) and five non-blocking ones (2 workers).
  assert.deepEqual([...work.job.counts], new Array(24).fill(10));
  assert.equal(workerStarts() - before, 2);
  runUnits(countingKernel, plan(24), 4);
  assert.equal(workerStarts() - before, 3, "grown to 3 workers");
  runUnits(countingKernel, plan(24), 2);
  assert.equal(workerStarts() - before, 3, "not shrunk, not restarted");
  const many = plan(40);
  runUnits(countingKernel, many, 2 * MAX_POOL_WORKERS);
  assert.deepEqual([...many.job.counts], ones(40));
  assert.equal(workerStarts() - before, MAX_POOL_WORKERS, "capped");
});

Deno.test("runUnitsAsync computes every unit on the workers alone, 1 thread included, while the event loop runs", async () => {
  for (const threads of [1, 3]) {
    const work = plan(30);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      await runUnitsAsync(countingKernel, work, threads);
    } finally {
      clearInterval(timer);
    }
    assert.deepEqual([...work.job.counts], ones(30), `${threads} threads`);
    assert.equal(work.job.onMain[0], 0, "no unit on the calling thread");
    // 30 units of 5 ms each: the timer fired while the workers computed.
    assert.ok(ticks > 0, `${threads} threads: ${ticks} ticks`);
  }
});

Deno.test("a worker's error fails its call with that error, and the same workers serve the next calls", async () => {
  runUnits(countingKernel, plan(8), 3);
  const before = workerStarts();
  const failing = plan(20, "worker");
  await assert.rejects(
    () => runUnitsAsync(countingKernel, failing, 2),
    /planted failure in unit 19/,
  );
  assert.deepEqual([...failing.job.counts], [...ones(19), 0]);
  const next = plan(20);
  await runUnitsAsync(countingKernel, next, 2);
  runUnits(countingKernel, next, 3);
  assert.deepEqual([...next.job.counts], new Array(20).fill(2));
  assert.equal(workerStarts(), before, "no worker restarted");
});

Deno.test("a blocking call while a non-blocking one holds the workers: the caller computes it, both complete", async () => {
  const pending = plan(60);
  const running = runUnitsAsync(countingKernel, pending, 2);
  const blocking = plan(20);
  runUnits(countingKernel, blocking, 3);
  assert.deepEqual([...blocking.job.counts], ones(20));
  await running;
  assert.deepEqual([...pending.job.counts], ones(60));
});

Deno.test("the chunked path's blocks and repeated calls reuse the structure tensor's workers", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const volume = ndarray(
      Uint16Array.from({ length: 12 * 40 * 40 }, (_, i) => (i * 7919) % 4096),
      [12, 40, 40],
    );
    structureTensorEigenvaluesOfImage(volume, { sigma: 1, threads: 2 });
    const before = workerStarts();
    for (let call = 0; call < 3; call++) {
      structureTensorEigenvaluesOfImage(volume, { sigma: 1, threads: 2 });
    }
    await writeTiff(join(folder, "in.tif"), volume, { axes: "ZYX" });
    // Six blocks of two planes, each on one worker.
    await structureTensorEigenvaluesTiff(
      join(folder, "in.tif"),
      join(folder, "out.tif"),
      { sigma: 1, blockPlanes: 2, threads: 1 },
    );
    assert.equal(workerStarts(), before);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("idle workers are ended after a few seconds, and the next call starts them again", async () => {
  runUnits(countingKernel, plan(8), 3);
  assert.ok(liveWorkers() > 0);
  // Polls for the end, bounded: a hang detector, not a speed check.
  for (let waited = 0; liveWorkers() > 0; waited += 200) {
    assert.ok(waited < 30_000, "the idle workers were never ended");
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const before = workerStarts();
  const work = plan(8);
  runUnits(countingKernel, work, 3);
  assert.deepEqual([...work.job.counts], ones(8));
  assert.equal(workerStarts() - before, 2);
});

/** Runs `code` as a program's main module in `folder`; resolves to its exit status and output, or fails if it does not exit within `limitMs`. */
async function runToExit(
  folder: string,
  code: string,
  args: string[],
  limitMs = 30_000,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = join(folder, "main.ts");
  await Deno.writeTextFile(script, code);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-check", "--no-lock", ...args, script],
    cwd: folder,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  // A hang detector, not a speed check: a process the pool kept alive never exits.
  const timer = setTimeout(() => child.kill(), limitMs);
  try {
    const { code: status, signal, stdout, stderr } = await child.output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    assert.equal(signal, null, "killed: the process did not exit by itself");
    return { code: status, stdout: decode(stdout), stderr: decode(stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A program that makes one non-blocking parallel call (1 worker), then a
 * blocking one that starts a second worker, prints the workers started,
 * and returns.
 */
function oneCallProgram(base: string): string {
  return `import { ndarray, structureTensorEigenvaluesOfImage, structureTensorEigenvaluesOfImageAsync } from "${base}mod.ts";
import { workerStarts } from "${base}lib/parallel/_pool.ts";
const volume = ndarray(new Float64Array(6 * 20 * 20).map((_, i) => Math.sin(i)), [6, 20, 20]);
await structureTensorEigenvaluesOfImageAsync(volume, { sigma: 1, threads: 1 });
structureTensorEigenvaluesOfImage(volume, { sigma: 1, threads: 3 });
console.log(workerStarts());
`;
}

Deno.test("a program whose parallel calls are done exits by itself: mod.ts from its folder", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_pool_exit_" });
  try {
    const base = new URL("../", import.meta.url).href;
    const { code, stdout, stderr } = await runToExit(
      folder,
      oneCallProgram(base),
      ["--allow-read"],
    );
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), "2", "the workers started");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("a program whose parallel calls are done exits by itself: mod.ts imported by URL", async () => {
  await using server = startRepositoryServer();
  const folder = await Deno.makeTempDir({ prefix: "stria_pool_exit_url_" });
  try {
    const { code, stdout, stderr } = await runToExit(
      folder,
      oneCallProgram(server.url.href),
      [`--allow-import=127.0.0.1:${server.url.port}`],
    );
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), "2", "the workers started");
    assert.ok(server.requested.includes("/lib/feature/_tensor_worker.ts"));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
