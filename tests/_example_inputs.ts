/**
 * Test helpers for the examples' shared command line: a small OME-TIFF stack
 * written the way a user's microscope file would arrive, and the checks every
 * example's `--help` and usage errors must pass.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { ndarray, writeTiff } from "../mod.ts";
import { declaredPermissions, runExample } from "./_run_example.ts";

/** A stack trace's frame line. */
export const STACK_FRAME = /^\s+at /m;

/** The OME-TIFF's voxel size: Z 2 µm, Y 0.5 µm, X 0.4 µm. */
export const VOXEL = { Z: 2, Y: 0.5, X: 0.4 };

/**
 * Writes `stack.ome.tif` into `dir`: uint16, axes ZCYX (2 channels) of
 * `[planes, 2, rows, cols]`, an OME-TIFF with {@linkcode VOXEL} and channel
 * names. Channel 1 holds a bright column along Z at (`row`, `col`), one
 * pixel wide, on a background of 100; channel 0 is flat (500).
 */
export async function writeOmeStack(
  dir: string,
  [planes, rows, cols]: readonly [number, number, number],
  [row, col]: readonly [number, number],
): Promise<string> {
  const values = new Uint16Array(planes * 2 * rows * cols);
  const stack = ndarray(values, [planes, 2, rows, cols]);
  for (let z = 0; z < planes; z++) {
    for (let y = 0; y < rows; y++) {
      for (let x = 0; x < cols; x++) {
        stack.set(z, 0, y, x, 500);
        const onColumn = y === row && x === col;
        stack.set(z, 1, y, x, onColumn ? 3000 - 100 * z : 100);
      }
    }
  }
  const path = join(dir, "stack.ome.tif");
  await writeTiff(path, stack, {
    axes: "ZCYX",
    ome: true,
    metadata: {
      physicalSizes: VOXEL,
      physicalUnit: "µm",
      channelNames: ["flat", "column"],
    },
  });
  return path;
}

/** What running an example returned. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `--help` prints a usage naming every shared option and writes nothing;
 * each of `bad` (arguments and a message) exits 2 with the message, then the
 * usage, on stderr, and no stack trace.
 */
export async function checkCommandLine(
  name: string,
  run: (args: readonly string[]) => Promise<Run>,
  outDir: string,
  bad: readonly (readonly [readonly string[], string])[],
): Promise<void> {
  const help = await run(["--help"]);
  assert.equal(help.code, 0, help.stderr);
  assert.match(
    help.stdout,
    new RegExp(`^Usage: deno run [\\s\\S]*examples/${name}\\.ts`),
  );
  for (
    const option of [
      "--input",
      "--channel",
      "--sigma",
      "--crop",
      "--out",
      "--synthetic",
      "STRIA_SYNTHETIC",
    ]
  ) {
    assert.ok(help.stdout.includes(option), `${name} usage names ${option}`);
  }
  assert.deepEqual([...Deno.readDirSync(outDir)], [], "--help writes nothing");
  for (const [args, message] of bad) {
    const result = await run(args);
    assert.equal(result.code, 2, `${name} ${args.join(" ")}: ${result.stdout}`);
    assert.ok(
      result.stderr.includes(message),
      `${name} ${args.join(" ")}: ${result.stderr}`,
    );
    assert.ok(result.stderr.includes("Usage: deno run"), "usage follows");
    assert.doesNotMatch(result.stderr, STACK_FRAME);
  }
}

/** Runs `body` with `STRIA_SYNTHETIC` set to `value` in this process (and so in the examples it starts). */
export async function withSyntheticVariable<T>(
  value: string,
  body: () => Promise<T>,
): Promise<T> {
  Deno.env.set("STRIA_SYNTHETIC", value);
  try {
    return await body();
  } finally {
    Deno.env.delete("STRIA_SYNTHETIC");
  }
}

/** Runs `body` with a fresh temporary folder, removed afterwards. */
export async function inTempDir(
  body: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "stria_example_" });
  try {
    await body(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Runs `examples/<name>.ts --out outDir ...args` with the permissions its header declares. */
export async function runDeclared(
  name: string,
  outDir: string,
  args: readonly string[],
): Promise<Run> {
  return runExample(
    name,
    outDir,
    await declaredPermissions(name, outDir),
    args,
  );
}
