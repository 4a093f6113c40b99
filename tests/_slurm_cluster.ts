/**
 * Test helper: a one-node Slurm cluster on localhost (`munged`, `slurmctld`,
 * `slurmd` from Debian's `munge` and `slurm-wlm`), with every file it needs
 * (configuration, munge key and socket, state, spool, pids and logs) in a
 * private temporary folder and non-default ports, so that it touches nothing
 * of the machine's own Slurm or munge. Needs root (`SlurmUser=root`).
 *
 * @module
 */

import { join } from "node:path";

/** A running cluster; its clients need {@linkcode SlurmCluster.env}. */
export interface SlurmCluster {
  /** The private folder holding everything the cluster writes. */
  readonly folder: string;
  /** The pids of the daemons it started: munged, slurmctld, slurmd. */
  readonly pids: readonly number[];
  /** The partition jobs run in. */
  readonly partition: string;
  /** `SLURM_CONF` for `sbatch`, `squeue`, `scancel`, `sinfo`. */
  readonly env: { SLURM_CONF: string };
  /** Runs a Slurm client (`squeue`, `scancel`...) against this cluster. */
  client(
    command: string,
    args: readonly string[],
  ): Promise<{ code: number; stdout: string; stderr: string }>;
  /** Cancels every job, stops the daemons it started (by pid) and removes the folder. */
  stop(): Promise<void>;
}

/** CPUs of the one node: the machine's two cores. */
export const CLUSTER_CPUS = 2;

const DAEMONS = ["/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd"];
const PARTITION = "stria";
const decoder = new TextDecoder();

async function run(
  command: string,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await new Deno.Command(command, {
    args: [...args],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Installs Debian's `slurm-wlm` and `munge` when a daemon is missing; throws
 * a clear error when they are missing and cannot be installed, so that a
 * test needing the cluster fails rather than skips.
 */
async function ensureSlurmInstalled(): Promise<void> {
  const missing = async () => {
    const found = await Promise.all(DAEMONS.map(exists));
    return DAEMONS.filter((_, i) => !found[i]);
  };
  if ((await missing()).length === 0) return;
  const apt = await run("apt-get", [
    "install",
    "-y",
    "--no-install-recommends",
    "slurm-wlm",
    "munge",
  ], { DEBIAN_FRONTEND: "noninteractive" }).catch((error) => ({
    code: -1,
    stdout: "",
    stderr: String(error),
  }));
  const still = await missing();
  if (still.length > 0) {
    const why = apt.code === 0
      ? "did not install them"
      : `failed (exit ${apt.code}): ${
        apt.stderr.trim().split("\n").slice(-3).join(" / ")
      }`;
    throw new Error(
      `Slurm is not installed (${still.join(", ")} missing) and ` +
        `"apt-get install slurm-wlm munge" ${why}. ` +
        `Install Debian's slurm-wlm and munge as root to run this test.`,
    );
  }
}

/** `count` distinct free TCP ports on 127.0.0.1. */
function freePorts(count: number): number[] {
  const listeners = Array.from(
    { length: count },
    () => Deno.listen({ hostname: "127.0.0.1", port: 0 }),
  );
  const ports = listeners.map((l) => (l.addr as Deno.NetAddr).port);
  for (const l of listeners) l.close();
  return ports;
}

function slurmConf(folder: string, node: string, ports: number[]): string {
  const at = (name: string) => join(folder, name);
  return [
    "ClusterName=striatest",
    `SlurmctldHost=${node}(127.0.0.1)`,
    "SlurmUser=root",
    "SlurmdUser=root",
    "AuthType=auth/munge",
    "CredType=cred/munge",
    `AuthInfo=socket=${at("munge.socket")}`,
    "ProctrackType=proctrack/linuxproc",
    "TaskPlugin=task/none",
    "SelectType=select/cons_tres",
    "SelectTypeParameters=CR_CPU",
    `SlurmctldPort=${ports[0]}`,
    `SlurmdPort=${ports[1]}`,
    `StateSaveLocation=${at("state")}`,
    `SlurmdSpoolDir=${at("spool")}`,
    `SlurmctldPidFile=${at("slurmctld.pid")}`,
    `SlurmdPidFile=${at("slurmd.pid")}`,
    `SlurmctldLogFile=${at("slurmctld.log")}`,
    `SlurmdLogFile=${at("slurmd.log")}`,
    "MpiDefault=none",
    // Start the next job as soon as one ends (Slurm batches starts by default).
    "SchedulerParameters=batch_sched_delay=0,sched_min_interval=0",
    "ReturnToService=2",
    "JobAcctGatherType=jobacct_gather/none",
    "AccountingStorageType=accounting_storage/none",
    "JobCompType=jobcomp/none",
    `NodeName=${node} NodeAddr=127.0.0.1 CPUs=${CLUSTER_CPUS} State=UNKNOWN`,
    `PartitionName=${PARTITION} Nodes=${node} Default=YES MaxTime=INFINITE State=UP`,
    "",
  ].join("\n");
}

async function logTails(folder: string): Promise<string> {
  const parts: string[] = [];
  for (const name of ["munged.log", "slurmctld.log", "slurmd.log"]) {
    const text = await Deno.readTextFile(join(folder, name)).catch(() => "");
    parts.push(`--- ${name}\n${text.trim().split("\n").slice(-8).join("\n")}`);
  }
  return parts.join("\n");
}

/** Ends a daemon by its pid: SIGTERM, then SIGKILL if it lingers. */
async function stopDaemon(child: Deno.ChildProcess): Promise<void> {
  const exited = child.status.then(() => true);
  try {
    child.kill("SIGTERM");
  } catch {
    return; // already exited
  }
  const timeout = new Promise<boolean>((resolve) =>
    setTimeout(() => resolve(false), 10_000)
  );
  if (!(await Promise.race([exited, timeout]))) {
    try {
      child.kill("SIGKILL");
    } catch { /* exited meanwhile */ }
  }
  await child.status;
}

/**
 * Starts the cluster and waits until `sinfo` shows its node idle (at most
 * `timeoutMs`, default 60 s). Call `stop()` in a `finally`.
 */
export async function startSlurmCluster(
  timeoutMs = 60_000,
): Promise<SlurmCluster> {
  await ensureSlurmInstalled();
  const folder = await Deno.makeTempDir({ prefix: "stria-slurm-" });
  // munged refuses a socket in a folder that others cannot traverse.
  await Deno.chmod(folder, 0o711);
  const at = (name: string) => join(folder, name);
  const node = (await run("hostname", ["-s"])).stdout.trim();
  const conf = at("slurm.conf");
  const env = { SLURM_CONF: conf };
  const daemons: Deno.ChildProcess[] = [];
  const client = (command: string, args: readonly string[]) =>
    run(command, args, env);
  const stop = async () => {
    if (daemons.length > 1) {
      // Jobs' processes belong to slurmstepd, not to a daemon: end them first.
      await client("scancel", ["--full", `--partition=${PARTITION}`]);
      for (let i = 0; i < 100; i++) {
        const queue = await client("squeue", ["-h", "-o", "%i"]);
        if (queue.code !== 0 || queue.stdout.trim() === "") break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    for (const daemon of [...daemons].reverse()) await stopDaemon(daemon);
    await Deno.remove(folder, { recursive: true }).catch(() => {});
  };
  try {
    await Deno.mkdir(at("state"));
    await Deno.mkdir(at("spool"));
    await Deno.writeFile(
      at("munge.key"),
      crypto.getRandomValues(new Uint8Array(128)),
      { mode: 0o600 },
    );
    await Deno.writeTextFile(conf, slurmConf(folder, node, freePorts(2)));
    const spawn = (command: string, args: string[]) => {
      daemons.push(
        new Deno.Command(command, {
          args,
          env,
          stdin: "null",
          stdout: "null",
          stderr: "null",
        }).spawn(),
      );
    };
    // Each daemon runs in the foreground so that its pid is the child's.
    spawn(DAEMONS[0], [
      "--foreground",
      `--socket=${at("munge.socket")}`,
      `--key-file=${at("munge.key")}`,
      `--pid-file=${at("munged.pid")}`,
      `--log-file=${at("munged.log")}`,
      `--seed-file=${at("munged.seed")}`,
    ]);
    for (let i = 0; !(await exists(at("munge.socket"))); i++) {
      if (i > 100) throw new Error("munged did not create its socket");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    spawn(DAEMONS[1], ["-D", "-f", conf]);
    spawn(DAEMONS[2], ["-D", "-f", conf]);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await client("sinfo", ["-h", "-N", "-o", "%T"]);
      if (info.code === 0 && info.stdout.trim() === "idle") break;
      if (Date.now() > deadline) {
        throw new Error(
          `the one-node Slurm cluster did not become idle within ${timeoutMs} ms ` +
            `(sinfo: ${(info.stdout + info.stderr).trim()})\n${await logTails(
              folder,
            )}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  }
  const pids = daemons.map((daemon) => daemon.pid);
  return { folder, pids, partition: PARTITION, env, client, stop };
}
