/**
 * `stria slurm`'s command line, parsed by analyze's own parser (review of
 * issue 15), with no Slurm cluster: fake `sbatch` and `squeue` on `PATH`
 * record what they are given.
 *
 * - every analyze option a task would refuse, an option given twice, an
 *   unknown option, and an input every task would refuse (missing, no such
 *   channel, fewer planes than tasks) are refused with exit 2 before
 *   anything is written or submitted;
 * - `--partition`, `--time` and every `--sbatch-arg` (whose values start
 *   with "-", as sbatch's do) reach both `sbatch` calls, in order;
 * - an output that is a file, or a Zarr image stria did not write, is
 *   refused naming it, and left as it was.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { ndarray } from "../lib/deps.ts";
import { writeTiff } from "../lib/io/write_tiff.ts";
import { writeOmeZarr } from "../lib/zarr/mod.ts";
import {
  runStria,
  striaInProcess,
  testVolume,
  withTempDir,
} from "./_cli_run.ts";

/** Whether `path` exists. */
async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/**
 * Writes fake `sbatch` (appends its arguments, one call a line, to
 * `calls.txt`, and prints a job id) and `squeue` into `dir/bin`.
 */
async function fakeSlurm(dir: string): Promise<string> {
  const bin = `${dir}/bin`;
  await Deno.mkdir(bin);
  const calls = `${dir}/calls.txt`;
  await Deno.writeTextFile(
    `${bin}/sbatch`,
    `#!/bin/sh\necho "$*" >> '${calls}'\necho 42\n`,
  );
  await Deno.writeTextFile(`${bin}/squeue`, "#!/bin/sh\nexit 0\n");
  await Deno.chmod(`${bin}/sbatch`, 0o755);
  await Deno.chmod(`${bin}/squeue`, 0o755);
  return bin;
}

/** Runs `stria slurm ...args` as a process with `bin` first on PATH. */
function slurmProcess(bin: string, args: readonly string[]) {
  return runStria(["slurm", ...args], {
    flags: ["--allow-run"],
    env: { PATH: `${bin}:${Deno.env.get("PATH") ?? ""}` },
  });
}

Deno.test("slurm: a command line or an input every task would refuse is refused before anything is written or submitted", async () => {
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/in.tif`, testVolume([20, 8, 8]), { axes: "ZYX" });
    const bin = await fakeSlurm(dir);
    const inTif = `${dir}/in.tif`;
    const out = `${dir}/out.zarr`;
    const cases: [string[], RegExp][] = [
      [["--tasks", "4", "--sigma", "abc"], /--sigma must be a number > 0/],
      [["--tasks", "4", "--outputs", "fa,foo"], /--outputs must be/],
      [["--tasks", "4", "--precision", "float16"], /--precision must be one/],
      [["--tasks", "4", "--energy=-1"], /--energy must be a number >= 0/],
      [["--tasks", "4", "--block-planes", "0"], /--block-planes must be/],
      [["--tasks", "3", "--tasks", "4"], /slurm: --tasks given twice/],
      [["--tasks", "4", "--sigma", "1", "--sigma", "2"], /--sigma given twice/],
      [["--tasks", "4", "--bogus"], /slurm: Unknown option '--bogus'/],
      [["--tasks", "4", "--partition"], /slurm: --partition needs a value$/],
      [["--tasks", "4", "--sbatch-arg"], /slurm: --sbatch-arg needs a value$/],
      [["--tasks", "4", "--task", "1"], /--task is set by Slurm/],
      [["--tasks", "4", "--threads", "0"], /--threads must be an integer >= 1/],
    ];
    for (const [options, message] of cases) {
      for (const extra of [[], ["--print-script"]]) {
        const args = [inTif, out, ...extra, ...options];
        const run = await striaInProcess(["slurm", ...args]);
        const label = args.join(" ");
        assertEquals(run.code, 2, `${label}: ${run.stderr}`);
        assertEquals(run.stdout, "", label);
        const lines = run.stderr.split("\n");
        assertEquals(lines.length, 3, `${label}: ${run.stderr}`);
        assert(message.test(lines[0]), `${label}: ${lines[0]}`);
        assertEquals(
          lines[1],
          "Usage: stria slurm INPUT OUTPUT --tasks N [analyze options] [--threads T] [--partition P] [--time T] [--sbatch-arg X]... [--no-wait] [--print-script]",
        );
      }
    }
    // The input, read as each task would read it (not for --print-script,
    // whose script may be meant for another machine's paths).
    const inputs: [string[], RegExp][] = [
      [[`${dir}/missing.tif`, out, "--tasks", "4"], /missing\.tif: no such/],
      [[inTif, out, "--tasks", "4", "--channel", "1"], /channel must be 0/],
      [[inTif, out, "--tasks", "21"], /--tasks 21 is more than the 20 planes/],
      [
        [inTif, out, "--tasks", "8", "--block-planes", "4"],
        /--tasks 8 is more than the 5 chunks of 4 planes/,
      ],
      [[inTif, out, "--tasks", "2", "--sigma", "1e7"], /sigma 10000000/],
    ];
    for (const [args, message] of inputs) {
      const run = await slurmProcess(bin, args);
      const label = args.join(" ");
      assertEquals(run.code, 2, `${label}: ${run.stderr}`);
      assert(message.test(run.stderr), `${label}: ${run.stderr}`);
    }
    assert(!(await exists(`${out}.slurm`)), "no job script written");
    assert(!(await exists(out)), "no store written");
    assert(!(await exists(`${dir}/calls.txt`)), "nothing submitted");
  });
});

Deno.test("slurm: --partition, --time and every --sbatch-arg reach both sbatch calls; analyze options reach the job script", async () => {
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/in.tif`, testVolume([20, 8, 8]), { axes: "ZYX" });
    const bin = await fakeSlurm(dir);
    const out = `${dir}/out.zarr`;
    const run = await slurmProcess(bin, [
      `${dir}/in.tif`,
      out,
      "--tasks",
      "4",
      "--sbatch-arg",
      "--mem=2G",
      "--time",
      "1:00:00",
      "--sbatch-arg=--qos=low",
      "--block-planes=2",
      "--partition",
      "short",
      "--no-wait",
    ]);
    assertEquals(run.code, 0, run.stderr);
    const sbatch = "--partition=short --time=1:00:00 --mem=2G --qos=low";
    const script = `${out}.slurm/stria.sbatch`;
    assertEquals(
      (await Deno.readTextFile(`${dir}/calls.txt`)).trim().split("\n"),
      [
        `--parsable --array=0-3 ${sbatch} ${script}`,
        `--parsable --dependency=afterok:42 --kill-on-invalid-dep=yes --output=${out}.slurm/%x-finalize-%j.log ${sbatch} ${script}`,
      ],
    );
    const text = await Deno.readTextFile(script);
    assert(
      text.includes(
        `analyze ${dir}/in.tif ${out} --tasks 4 --threads 1 --block-planes 2 --task "$SLURM_ARRAY_TASK_ID"`,
      ),
      text,
    );
  });
});

Deno.test("analyze and finalize: an output that is a file, or a Zarr image stria did not write, is refused naming it and left as it was", async () => {
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/in.tif`, testVolume([6, 8, 8]), { axes: "ZYX" });
    const file = `${dir}/file.txt`;
    await Deno.writeTextFile(file, "mine");
    for (
      const args of [
        ["analyze", `${dir}/in.tif`, file],
        ["analyze", `${dir}/in.tif`, file, "--tasks", "2", "--task", "1"],
        ["finalize", file],
      ]
    ) {
      const run = await striaInProcess(args);
      assertEquals(run.code, 1, run.stderr);
      assertEquals(
        run.stderr,
        `stria: ${
          args[0]
        }: ${file}: is a file, not a folder (a Zarr store is a folder)`,
      );
    }
    assertEquals(await Deno.readTextFile(file), "mine");

    const image = `${dir}/image.zarr`;
    await writeOmeZarr(image, ndarray(new Uint8Array(6 * 8 * 8), [6, 8, 8]), {
      axes: "ZYX",
    });
    const before = await Deno.readTextFile(`${image}/zarr.json`);
    const run = await striaInProcess(["analyze", `${dir}/in.tif`, image]);
    assertEquals(run.code, 1, run.stderr);
    assertEquals(
      run.stderr,
      `stria: analyze: ${image}: exists and is not a stria store (a Zarr group without stria.blocks, e.g. an image); choose a new output path`,
    );
    assertEquals(await Deno.readTextFile(`${image}/zarr.json`), before);
    const entries = [];
    for await (const entry of Deno.readDir(image)) entries.push(entry.name);
    assertEquals(entries.sort(), ["0", "zarr.json"]);
  });
});
