/**
 * The generic parallel layer (`lib/parallel/_units.ts`) on a trivial kernel:
 * every unit runs exactly once whatever the thread count, a failure on a
 * worker or on the calling thread reaches the caller with its own error
 * without hanging, and workers are refused arrays they could only write
 * into copies of. The pool itself: tests/parallel_pool_test.ts.
 *
 * @module
 */

import assert from "node:assert/strict";
import { runUnits } from "../lib/parallel/_units.ts";
import {
  type CountingJob,
  countingKernel,
} from "./fixtures/parallel/counting_kernel.ts";

const WORKER = new URL(
  "./fixtures/parallel/counting_worker.ts",
  import.meta.url,
);

function plan(units: number, fail: CountingJob["fail"], shared = true) {
  const bytes = 4 * units;
  const counts = new Int32Array(
    shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes),
  );
  return {
    job: { counts, fail, failUnit: units - 1 },
    units: Int32Array.from({ length: units }, (_, i) => i),
    width: 1,
    sharedArrays: [counts],
    worker: WORKER,
  };
}

Deno.test("runUnits runs every unit exactly once on 1, 2 and 3 threads", () => {
  for (const threads of [1, 2, 3]) {
    const work = plan(40, "none");
    runUnits(countingKernel, work, threads);
    assert.deepEqual(
      [...work.job.counts],
      new Array(40).fill(1),
      `${threads} threads`,
    );
  }
});

Deno.test("a unit failing on a worker makes runUnits throw its error, after the other units", () => {
  // The last unit fails only on a worker: the caller may claim it itself, so retry until a worker did.
  for (let attempt = 0; attempt < 20; attempt++) {
    const work = plan(40, "worker");
    let error: unknown;
    try {
      runUnits(countingKernel, work, 2);
    } catch (caught) {
      error = caught;
    }
    if (error === undefined) continue;
    assert.match((error as Error).message, /planted failure in unit 39/);
    const counts = [...work.job.counts];
    assert.equal(counts.slice(0, 39).every((c) => c === 1), true);
    assert.equal(counts[39], 0);
    return;
  }
  assert.fail("no worker ever claimed the last unit in 20 runs");
});

Deno.test("a unit failing on the calling thread throws its own error", () => {
  const work = plan(3, "any");
  assert.throws(
    () => runUnits(countingKernel, work, 1),
    /planted failure in unit 2/,
  );
});

Deno.test("workers are refused arrays outside SharedArrayBuffers", () => {
  assert.throws(
    () => runUnits(countingKernel, plan(8, "none", false), 2),
    /worker threads need SharedArrayBuffer arrays/,
  );
});

Deno.test("without read permission on the worker module, the calling thread does every unit, silently, blocking or not", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const script = `${folder}/run.ts`;
    const units = new URL("../lib/parallel/_units.ts", import.meta.url).href;
    const kernel = new URL(
      "./fixtures/parallel/counting_kernel.ts",
      import.meta.url,
    ).href;
    await Deno.writeTextFile(
      script,
      `import { runUnits, runUnitsAsync } from ${JSON.stringify(units)};
import { countingKernel } from ${JSON.stringify(kernel)};
const counts = new Int32Array(new SharedArrayBuffer(4 * 16));
const plan = {
  job: { counts, fail: "none", failUnit: -1 },
  units: Int32Array.from({ length: 16 }, (_, i) => i),
  width: 1,
  sharedArrays: [counts],
  worker: new URL(${JSON.stringify(WORKER.href)}),
};
runUnits(countingKernel, plan, 3);
await runUnitsAsync(countingKernel, plan, 2);
console.log(counts.join(""));
`,
    );
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-check", `--allow-read=${folder}`, script],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    assert.equal(decode(stderr), "");
    assert.equal(code, 0);
    assert.equal(decode(stdout).trim(), "2".repeat(16));
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
