/**
 * Test helper: runs `lib/cli/stria.ts` as a user would, in a subprocess with
 * the permissions its contract names, or in this process with its printed
 * lines captured; and the small test volumes the CLI tests analyse.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { ndarray } from "../lib/deps.ts";
import { stria } from "../lib/cli/stria.ts";

/** The repository's root: subprocesses run there, with its deno.json and lock. */
export const ROOT = fileURLToPath(new URL("..", import.meta.url));
/** The entry point. */
export const STRIA = fileURLToPath(
  new URL("../lib/cli/stria.ts", import.meta.url),
);
/** The permissions of the contract other tools rely on. */
export const PERMISSIONS = [
  "--allow-read",
  "--allow-write",
  "--allow-env",
  "--allow-sys",
];

/** What a run printed, and its exit code. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `deno run PERMISSIONS lib/cli/stria.ts ...args` (not type-checked:
 * the suite checks once), with `flags` added to the permissions and `env`
 * to the environment.
 */
export async function runStria(
  args: readonly string[],
  { flags = [], env }: {
    flags?: readonly string[];
    env?: Record<string, string>;
  } = {},
): Promise<Run> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-check", ...PERMISSIONS, ...flags, STRIA, ...args],
    cwd: ROOT,
    ...(env === undefined ? {} : { env }),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

/** Runs `stria(args)` in this process, capturing what it prints. */
export async function striaInProcess(args: readonly string[]): Promise<Run> {
  const { log, error } = console;
  const out: string[] = [];
  const err: string[] = [];
  console.log = (...parts: unknown[]) => out.push(parts.join(" "));
  console.error = (...parts: unknown[]) => err.push(parts.join(" "));
  try {
    const code = await stria(args);
    return { code, stdout: out.join("\n"), stderr: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

/**
 * A seeded uint16 volume of `shape` (`[C, Z, Y, X]` or `[Z, Y, X]`): tilted
 * stripes plus noise, so that every output varies from voxel to voxel.
 */
export function testVolume(shape: readonly number[], seed = 1) {
  const size = shape.reduce((a, b) => a * b, 1);
  const [height, width] = shape.slice(-2);
  const depth = shape.at(-3)!;
  const values = new Uint16Array(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    const x = i % width;
    const y = Math.floor(i / width) % height;
    const z = Math.floor(i / (width * height)) % depth;
    const c = Math.floor(i / (width * height * depth));
    const stripes = 1000 * (1 + Math.sin((x + 0.5 * y + (c + 1) * z) / 3));
    values[i] = Math.round(stripes + (state >> 16) % 300);
  }
  return ndarray(values, [...shape]);
}

/** Runs `action` in a new temporary folder, removed afterwards. */
export async function withTempDir(
  action: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "stria_cli_" });
  try {
    await action(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
