/**
 * Measures `stria slurm` for 1, 2, 4 and 8 tasks on the one-node test
 * cluster (tests/_slurm_cluster.ts): wall time from submission to the
 * complete store, total CPU time of everything the node ran for it (slurmd,
 * slurmstepd and the tasks, counted by a cpuacct cgroup holding slurmd),
 * and the speedup over 1 task; and one `stria analyze` process without
 * Slurm on the same steps. Each is the median of `--repeat` runs. Prints a Markdown table (docs/cluster.md).
 * Needs root (the cluster and the cgroup).
 *
 * deno run --allow-all scripts/measure_slurm_tasks.ts [--shape 64,256,256]
 *   [--tasks 1,2,4,8] [--block-planes 8] [--repeat 3]
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { kidneyPhantom, writeTiff } from "../mod.ts";
import { startSlurmCluster } from "../tests/_slurm_cluster.ts";

const CLI = new URL("../lib/cli/stria.ts", import.meta.url).pathname;
const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys",
  "--allow-run",
];

/** A cpuacct cgroup (v1) or a cgroup v2 group: processes moved in, their CPU time read. */
interface CpuGroup {
  /** The file a pid is written to, to move that process in. */
  procs: string;
  /** CPU seconds used so far by the processes in it and their descendants. */
  seconds(): Promise<number>;
  remove(): Promise<void>;
}

async function exists(path: string): Promise<boolean> {
  return await Deno.stat(path).then(() => true, () => false);
}

async function cpuGroup(): Promise<CpuGroup> {
  const v1 = "/sys/fs/cgroup/cpuacct";
  const isV1 = await exists(join(v1, "cpuacct.usage"));
  const folder = join(
    isV1 ? v1 : "/sys/fs/cgroup",
    `stria-measure-${crypto.randomUUID()}`,
  );
  await Deno.mkdir(folder);
  return {
    procs: join(folder, "cgroup.procs"),
    async seconds() {
      if (isV1) {
        const ns = await Deno.readTextFile(join(folder, "cpuacct.usage"));
        return Number(ns) / 1e9;
      }
      const stat = await Deno.readTextFile(join(folder, "cpu.stat"));
      return Number(stat.match(/usage_usec (\d+)/)![1]) / 1e6;
    },
    remove: () => Deno.remove(folder),
  };
}

async function run(args: string[], env: Record<string, string> = {}) {
  const { code, stdout, stderr } = await new Deno.Command(args[0], {
    args: args.slice(1),
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout) +
    new TextDecoder().decode(stderr);
  if (code !== 0) throw new Error(`${args.join(" ")}: exit ${code}\n${text}`);
}

const options = parseArgs({
  args: Deno.args,
  options: {
    shape: { type: "string", default: "64,256,256" },
    tasks: { type: "string", default: "1,2,4,8" },
    "block-planes": { type: "string", default: "8" },
    repeat: { type: "string", default: "3" },
  },
});
const shape = options.values.shape.split(",").map(Number) as [
  number,
  number,
  number,
];
const taskCounts = options.values.tasks.split(",").map(Number);
const blockPlanes = options.values["block-planes"];
const repeat = Number(options.values.repeat);

const dir = await Deno.makeTempDir({ prefix: "stria-measure-" });
const cluster = await startSlurmCluster();
const group = await cpuGroup();
try {
  const input = join(dir, "phantom.ome.tif");
  const { data, metadata } = kidneyPhantom({ shape });
  await writeTiff(input, data.transpose(0, 3, 1, 2), {
    axes: "ZCYX",
    ome: true,
    metadata,
  });
  // slurmd's children (slurmstepd, the tasks) are born into its group.
  await Deno.writeTextFile(group.procs, String(cluster.pids[2]));
  const analyze = ["--channel", "1", "--threads", "1"];
  analyze.push("--block-planes", blockPlanes);
  const load = async () =>
    (await Deno.readTextFile("/proc/loadavg")).split(" ").slice(0, 3).join(" ");
  const loadBefore = await load();
  /** Median wall and CPU seconds of `repeat` runs of `command` writing `output`. */
  const measure = async (command: string[], output: string) => {
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const cpu0 = await group.seconds();
      const t0 = performance.now();
      await run(command, cluster.env);
      walls.push((performance.now() - t0) / 1000);
      cpus.push(await group.seconds() - cpu0);
      await Deno.remove(output, { recursive: true });
      await Deno.remove(`${output}.slurm`, { recursive: true }).catch(() => {});
    }
    const median = (values: number[]) =>
      values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
    return {
      wall: median(walls),
      range: `${Math.min(...walls).toFixed(1)}–${
        Math.max(...walls).toFixed(1)
      }`,
      cpu: median(cpus),
    };
  };
  const stria = [Deno.execPath(), "run", ...PERMISSIONS, CLI];
  // The same steps in one process without Slurm, moved into the group by its
  // shell before exec so that its start-up counts too.
  const alone = join(dir, "no-slurm.zarr");
  const reference = await measure([
    "/bin/sh",
    "-c",
    `echo $$ > ${group.procs} && exec "$@"`,
    "sh",
    ...stria,
    "analyze",
    input,
    alone,
    ...analyze,
  ], alone);
  const rows = [
    `| 1 process, no Slurm | ${
      reference.wall.toFixed(1)
    } (${reference.range}) | ${reference.cpu.toFixed(1)} | |`,
  ];
  let oneTask = NaN;
  for (const tasks of taskCounts) {
    const output = join(dir, `tasks-${tasks}.zarr`);
    const { wall, range, cpu } = await measure([
      ...stria,
      "slurm",
      input,
      output,
      "--tasks",
      String(tasks),
      ...analyze,
    ], output);
    if (tasks === 1) oneTask = wall;
    rows.push(
      `| ${tasks} | ${wall.toFixed(1)} (${range}) | ${cpu.toFixed(1)} | ${
        (oneTask / wall).toFixed(2)
      }× |`,
    );
  }
  console.log(
    `${
      shape.join(" × ")
    } uint16 (kidney phantom, channel 1), default outputs, ` +
      `--threads 1, --block-planes ${blockPlanes}, median of ${repeat} runs; ` +
      `${navigator.hardwareConcurrency} CPUs; load average before ${loadBefore}, ` +
      `after ${await load()}\n`,
  );
  console.log(
    "| tasks | wall s (min–max) | total CPU s | speedup over 1 task |",
  );
  console.log(
    "| ----- | ---------------- | ----------- | ------------------- |",
  );
  for (const row of rows) console.log(row);
} finally {
  await cluster.stop();
  await group.remove();
  await Deno.remove(dir, { recursive: true });
}
