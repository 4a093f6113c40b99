/**
 * `stria slurm` on a one-node Slurm cluster (tests/_slurm_cluster.ts): a job
 * array over 8 blocks of one channel of a 64 × 3 × 256 × 256 OME-TIFF (the
 * kidney phantom, with its voxel size) gives, bit for bit,
 * `structureTensorAnalysis` of the whole volume; a task cancelled with
 * `scancel` and one killed with SIGKILL while writing leave the store
 * incomplete (the reader refuses it) until a resubmission, which runs only
 * those two blocks; a rerun of the whole array skips every block.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  kidneyPhantom,
  readOmeZarrArrays,
  structureTensorAnalysis,
  writeTiff,
} from "../mod.ts";
import { PERMISSIONS, STRIA, striaInProcess } from "./_cli_run.ts";
import { assertSameValues } from "./_same_values.ts";
import { type SlurmCluster, startSlurmCluster } from "./_slurm_cluster.ts";

const SHAPE: [number, number, number] = [64, 256, 256];
const TASKS = 8;
/** Each block of 8 planes is computed and written 2 planes at a time, so a task is caught mid-way. */
const BLOCK_PLANES = 2;
/** In µm: the phantom's voxel size is 1.25 × 1.24 × 1.24 µm. */
const SIGMA = 1.5;
/** The phantom's tubules and sheets. */
const CHANNEL = 1;
const CANCELLED = 2;
const KILLED = 5;

/** `stria slurm INPUT OUTPUT --tasks 8 ...` as a child process, its output collected. */
function startSlurmRun(cluster: SlurmCluster, input: string, output: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-check",
      ...PERMISSIONS,
      "--allow-run",
      STRIA,
      "slurm",
      input,
      output,
      "--tasks",
      String(TASKS),
      "--sigma",
      String(SIGMA),
      "--channel",
      String(CHANNEL),
      "--threads",
      "1",
      "--block-planes",
      String(BLOCK_PLANES),
      `--partition=${cluster.partition}`,
    ],
    env: cluster.env,
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stdout = "";
  let stderr = "";
  const read = async (
    stream: ReadableStream<Uint8Array>,
    add: (s: string) => void,
  ) => {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      add(decoder.decode(chunk, { stream: true }));
    }
    add(decoder.decode());
  };
  let ended = false;
  const done = Promise.all([
    read(child.stdout, (s) => stdout += s),
    read(child.stderr, (s) => stderr += s),
    child.status,
  ]).then(([, , status]) => {
    ended = true;
    return { code: status.code, stdout, stderr };
  });
  return {
    done,
    /** Whether `stria slurm` has exited. */
    ended: () => ended,
    /** What it printed so far. */
    printed: () => stdout + stderr,
    /** The job array's id, once `stria slurm` has printed it. */
    arrayId: () => stdout.match(/job array (\d+)/)?.[1],
  };
}

async function exists(path: string): Promise<boolean> {
  return await Deno.lstat(path).then(() => true, () => false);
}

const markerOf = (store: string, block: number) =>
  join(store, ".stria", "blocks", `${block}.done`);

/** The fractional-anisotropy chunk holding block `block`'s first planes (the last array each step writes). */
const firstChunkOf = (store: string, block: number) =>
  join(
    store,
    "fractionalAnisotropy/0/c",
    String(block * SHAPE[0] / TASKS / BLOCK_PLANES),
    "0/0",
  );

/** Every file under `folder` with its modification time and size. */
async function fileStamps(folder: string): Promise<Map<string, string>> {
  const stamps = new Map<string, string>();
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else {
        const info = await Deno.lstat(path);
        stamps.set(path, `${info.mtime?.getTime()} ${info.size}`);
      }
    }
  };
  await walk(folder);
  return stamps;
}

/** The logs of array `arrayId`'s tasks, by task index. */
async function taskLogs(output: string, arrayId: string): Promise<string[]> {
  return await Promise.all(
    Array.from(
      { length: TASKS },
      (_, i) => Deno.readTextFile(`${output}.slurm/stria-${arrayId}_${i}.log`),
    ),
  );
}

Deno.test("stria slurm: a job array over 8 blocks, cancelled, killed and rerun, equals the whole-volume analysis", async (t) => {
  const cluster = await startSlurmCluster();
  const dir = await Deno.makeTempDir({ prefix: "stria-slurm-test-" });
  try {
    const input = join(dir, "volume.ome.tif");
    const output = join(dir, "analysis.zarr");
    const { data, metadata } = kidneyPhantom({ shape: SHAPE });
    await writeTiff(input, data.transpose(0, 3, 1, 2), {
      axes: "ZCYX",
      ome: true,
      metadata,
    });
    const { Z, Y, X } = metadata.physicalSizes!;
    const expected = structureTensorAnalysis(
      data.pick(null, null, null, CHANNEL),
      {
        sigma: SIGMA,
        spacing: [Z!, Y!, X!],
        outputs: ["eigenvalues", "vectors", "fractionalAnisotropy"],
      },
    );
    const assertEqualsWholeVolume = async () => {
      const { arrays, physicalSizes } = await readOmeZarrArrays(output);
      assert.deepEqual(physicalSizes, { Z, Y, X });
      for (const name of ["eigenvalues", "vectors", "fractionalAnisotropy"]) {
        const want = expected[name as keyof typeof expected] as {
          data: Float64Array;
          shape: number[];
        };
        assert.deepEqual(arrays[name].shape, want.shape, name);
        assertSameValues(arrays[name].data, want.data, name);
      }
    };

    await t.step(
      "a task cancelled and one killed while writing leave the store incomplete",
      async () => {
        const run = startSlurmRun(cluster, input, output);
        const stopped: number[] = [];
        // Each task is stopped once its first chunk is written, before its marker.
        for (
          const [block, signal] of [[CANCELLED, []], [KILLED, [
            "--signal=KILL",
          ]]] as const
        ) {
          while (!(await exists(firstChunkOf(output, block)))) {
            assert.ok(
              !run.ended() && !(await exists(markerOf(output, block))),
              `block ${block} ran to its end before it was caught: ${run.printed()}`,
            );
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          const cancel = await cluster.client("scancel", [
            ...signal,
            `${run.arrayId()}_${block}`,
          ]);
          assert.equal(cancel.code, 0, cancel.stderr);
          stopped.push(block);
        }
        const { code, stdout, stderr } = await run.done;
        assert.equal(code, 1, stdout + stderr);
        assert.match(stderr, /2 of 8 blocks missing: 2, 5/);
        for (let block = 0; block < TASKS; block++) {
          assert.equal(
            await exists(markerOf(output, block)),
            !stopped.includes(block),
            `marker of block ${block}`,
          );
        }
        // The killed task wrote part of its block; none of it counts.
        assert.ok(await exists(firstChunkOf(output, KILLED)));
        await assert.rejects(
          readOmeZarrArrays(output),
          /incomplete stria store: 2 of 8 blocks missing: 2, 5/,
        );
      },
    );

    await t.step(
      "resubmitted, only the two stopped blocks run, and the store equals the whole-volume analysis",
      async () => {
        const before = await fileStamps(join(output, ".stria"));
        const run = startSlurmRun(cluster, input, output);
        const { code, stdout, stderr } = await run.done;
        assert.equal(code, 0, stdout + stderr);
        assert.match(stdout, /8\/8 blocks done/);
        const logs = await taskLogs(output, run.arrayId()!);
        logs.forEach((log, block) => {
          const ran = block === CANCELLED || block === KILLED;
          assert.match(
            log,
            ran ? /done \(planes/ : /already done/,
            `block ${block}: ${log}`,
          );
        });
        const after = await fileStamps(join(output, ".stria"));
        for (const [path, stamp] of before) {
          assert.equal(after.get(path), stamp, path);
        }
        await assertEqualsWholeVolume();
      },
    );

    await t.step(
      "rerunning the whole array skips every block and changes no file",
      async () => {
        const before = await fileStamps(output);
        const run = startSlurmRun(cluster, input, output);
        const { code, stdout, stderr } = await run.done;
        assert.equal(code, 0, stdout + stderr);
        for (const log of await taskLogs(output, run.arrayId()!)) {
          assert.match(log, /already done/);
        }
        assert.deepEqual(await fileStamps(output), before);
        await assertEqualsWholeVolume();
      },
    );
  } finally {
    await cluster.stop();
    await Deno.remove(dir, { recursive: true });
  }
  // ps, since Deno reads /proc only with --allow-all.
  const alive = await new Deno.Command("ps", {
    args: ["-o", "pid=,args=", "-p", cluster.pids.join(",")],
    stdout: "piped",
  }).output();
  assert.equal(
    new TextDecoder().decode(alive.stdout).trim(),
    "",
    "daemons still run",
  );
  assert.ok(!(await exists(cluster.folder)), cluster.folder);
});

Deno.test("stria slurm --print-script: the job script runs this deno and this stria.ts on block $SLURM_ARRAY_TASK_ID", async () => {
  const { code, stdout, stderr } = await striaInProcess([
    "slurm",
    "in put.tif",
    "/data/out.zarr",
    "--tasks",
    "12",
    "--sigma",
    "2,1,1",
    "--threads=2",
    "--time=1:00:00",
    "--print-script",
  ]);
  assert.equal(code, 0, stderr);
  const run =
    `${Deno.execPath()} run --allow-read --allow-write --allow-env --allow-sys ${STRIA}`;
  const lines = stdout.split("\n");
  assert.ok(
    lines.includes(
      `  exec ${run} analyze '${Deno.cwd()}/in put.tif' /data/out.zarr --tasks 12 --threads 2 --sigma 2,1,1 --task "$SLURM_ARRAY_TASK_ID"`,
    ),
    stdout,
  );
  assert.ok(lines.includes(`  exec ${run} finalize /data/out.zarr`), stdout);
  assert.ok(
    lines.includes("#SBATCH --output=/data/out.zarr.slurm/%x-%A_%a.log"),
    stdout,
  );
  assert.ok(lines.includes("#SBATCH --cpus-per-task=2"), stdout);
  assert.match(stdout, /sbatch --parsable --array=0-11 /);
  assert.ok(!(await exists("/data/out.zarr.slurm")), "nothing written");
});

Deno.test("stria slurm: a bad command line gets a message naming it and exit code 2", async () => {
  for (
    const [args, message] of [
      [["in.tif"], /missing operand OUTPUT/],
      [["in.tif", "out.zarr"], /missing --tasks N/],
      [
        ["in.tif", "out.zarr", "--tasks", "0"],
        /--tasks must be an integer >= 1, got "0"/,
      ],
      [
        ["in.tif", "out.zarr", "--tasks", "4", "--task", "1"],
        /--task is set by Slurm/,
      ],
      [
        ["in.tif", "out.zarr", "--tasks", "4", "--partition"],
        /--partition needs a value/,
      ],
    ] as const
  ) {
    const { code, stderr } = await striaInProcess(["slurm", ...args]);
    assert.equal(code, 2, `${args.join(" ")}: ${stderr}`);
    assert.match(stderr, message);
  }
});
