/**
 * `stria analyze` and `stria finalize` (lib/cli), on small volumes:
 *
 * - the store's arrays equal `structureTensorAnalysis` of the whole volume
 *   bit for bit: one process, N tasks (uneven last block, run concurrently
 *   as separate processes), sigma in physical units, uint16 TIFF and
 *   OME-Zarr input, a channel, float32, an energy threshold;
 * - a task writes only its own chunks and marker and never rewrites the
 *   metadata; a finished task exits at once; a task that fails mid-write
 *   leaves no marker, and its rerun rewrites its chunks;
 * - concurrent first tasks write the same metadata a single run writes;
 * - readers and `info` refuse an incomplete store, naming the missing
 *   blocks; `finalize` marks it complete; stores not written block by block
 *   are read as before.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
  rejects as assertRejects,
} from "node:assert/strict";
import { join, relative } from "node:path";
import { writeTiff } from "../lib/io/write_tiff.ts";
import { ANALYSIS_OUTPUTS } from "../lib/feature/structure_tensor_analysis.ts";
import {
  openOmeZarrPlanes,
  readOmeZarr,
  readOmeZarrArrays,
  writeOmeZarr,
  writeOmeZarrArrays,
} from "../lib/zarr/mod.ts";
import {
  runStria,
  striaInProcess,
  testVolume,
  withTempDir,
} from "./_cli_run.ts";
import { withFailingWrites } from "./_write_faults.ts";
import { assertStoreEquals, expectedArrays } from "./_store_expectations.ts";

const SHAPE = [20, 64, 48];
const ALL_OUTPUTS = "eigenvalues,vectors,fa,westin,class,angles";

/** Every file under `root` (relative path → modification time and bytes). */
async function snapshot(
  root: string,
): Promise<Map<string, { mtime: number; bytes: string }>> {
  const files = new Map<string, { mtime: number; bytes: string }>();
  const walk = async (folder: string) => {
    for await (const entry of Deno.readDir(folder)) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await walk(path);
      else {
        const stat = await Deno.stat(path);
        const bytes = await Deno.readFile(path);
        files.set(relative(root, path), {
          mtime: stat.mtime!.getTime(),
          bytes: bytes.join(","),
        });
      }
    }
  };
  await walk(root);
  return files;
}

/**
 * The block a file of a store belongs to: a chunk by its Z chunk index (the
 * third key part from the end), a marker by its name; null for metadata.
 */
function blockOfFile(
  path: string,
  chunkPlanes: number,
  bounds: readonly number[],
): number | null {
  const marker = path.match(/^\.stria\/blocks\/(\d+)\.done$/);
  if (marker) return Number(marker[1]);
  const parts = path.split("/");
  const at = parts.indexOf("c");
  if (at < 0) return null;
  const z = Number(parts.at(-3)) * chunkPlanes;
  return bounds.findIndex((start, i) => z >= start && z < bounds[i + 1]);
}

/** Runs task `i` of `tasks` of the default analysis of `input` into `out`, in this process. */
function taskOf(input: string, out: string, tasks: number) {
  return (i: number, ...options: string[]) =>
    striaInProcess([
      "analyze",
      input,
      out,
      "--tasks",
      String(tasks),
      "--task",
      String(i),
      ...options,
    ]);
}

/** A uint16 TIFF of the test volume, with a voxel size of 2 × 0.5 × 0.5 µm or none. */
async function writeInput(path: string, voxelSize: boolean) {
  const volume = testVolume(SHAPE);
  await writeTiff(path, volume, {
    axes: "ZYX",
    ...(voxelSize
      ? {
        metadata: {
          physicalSizes: { Z: 2, Y: 0.5, X: 0.5 },
          physicalUnit: "µm",
        },
      }
      : {}),
  });
  return volume;
}

Deno.test("analyze in one process: every output equals the whole-volume analysis, sigma in µm, at the voxel size", async () => {
  await withTempDir(async (dir) => {
    const volume = await writeInput(`${dir}/in.tif`, true);
    const out = `${dir}/out.zarr`;
    const run = await striaInProcess([
      "analyze",
      `${dir}/in.tif`,
      out,
      "--sigma",
      "2",
      "--outputs",
      ALL_OUTPUTS,
    ]);
    assertEquals([run.code, run.stderr], [0, ""]);
    assert(run.stdout.includes("complete (2 blocks)"), run.stdout);
    // sigma 2 µm: 1 voxel along Z (2 µm deep), 4 along Y and X.
    await assertStoreEquals(
      out,
      expectedArrays(volume, {
        sigma: 2,
        spacing: [2, 0.5, 0.5],
        outputs: ANALYSIS_OUTPUTS.filter((o) => o !== "coherence"),
      }),
    );
    const back = await readOmeZarrArrays(out);
    assertEquals(back.physicalSizes, { Z: 2, Y: 0.5, X: 0.5 });
    assertEquals(back.physicalUnit, "µm");
    const root = JSON.parse(await Deno.readTextFile(`${out}/zarr.json`));
    assertEquals(root.zarr_format, 3);
    assertEquals(root.attributes.stria.complete, true);
    assertEquals(root.attributes.stria.blocks, {
      count: 2,
      planes: [0, 16, 20],
    });
    const image = JSON.parse(
      await Deno.readTextFile(`${out}/eigenvalues/zarr.json`),
    );
    assertEquals(image.attributes.ome.version, "0.5");
    assertEquals(
      image.attributes.ome.multiscales[0].datasets[0]
        .coordinateTransformations[0].scale,
      [1, 2, 0.5, 0.5],
    );
  });
});

Deno.test("analyze --tasks 3 as concurrent processes: uneven blocks, per-axis sigma in voxels, the metadata a single run writes", async () => {
  await withTempDir(async (dir) => {
    const volume = await writeInput(`${dir}/in.tif`, false);
    const options = ["--sigma", "1,1.5,2.5", "--outputs", "eigenvalues,fa"];
    const out = `${dir}/tasks.zarr`;
    const runs = await Promise.all(
      [0, 1, 2].map((task) =>
        runStria([
          "analyze",
          `${dir}/in.tif`,
          out,
          "--tasks",
          "3",
          "--task",
          String(task),
          ...options,
        ])
      ),
    );
    for (const [task, run] of runs.entries()) {
      assertEquals([run.code, run.stderr], [0, ""], `task ${task}`);
    }
    // 20 planes in 3 tasks: chunks of 6 planes, the last block two chunks.
    assertEquals(
      runs.map((r) => r.stdout.trim()),
      [
        "block 0 of 3 done (planes 0 … 5)",
        "block 1 of 3 done (planes 6 … 11)",
        "block 2 of 3 done (planes 12 … 19)",
      ],
    );
    await assertRejects(
      readOmeZarr(`${out}/eigenvalues`),
      (e: Error) =>
        e.message ===
          `readOmeZarr: ${out}: incomplete stria store: all 3 blocks are done but the store is not finalized; run stria finalize ${out}`,
    );
    const finalize = await runStria(["finalize", out]);
    assertEquals([finalize.code, finalize.stdout.trim()], [
      0,
      `${out}: complete (3 blocks)`,
    ]);
    await assertStoreEquals(
      out,
      expectedArrays(volume, {
        sigma: [1, 1.5, 2.5],
        outputs: ["eigenvalues", "fractionalAnisotropy"],
      }),
    );
    // The same analysis by one in-process run writes the same metadata.
    const single = `${dir}/single.zarr`;
    const run = await striaInProcess([
      "analyze",
      `${dir}/in.tif`,
      single,
      "--tasks",
      "3",
      ...options,
    ]);
    assertEquals(run.code, 0, run.stderr);
    const metadata = async (root: string) =>
      [...(await snapshot(root))].filter(([path]) => path.endsWith(".json"))
        .map(([path, { bytes }]) => [path, bytes]).sort();
    assertEquals(await metadata(out), await metadata(single));
  });
});

Deno.test("analyze an OME-Zarr uint16 input: channel 1, 4 tasks, float32, an energy threshold, 2 threads", async () => {
  await withTempDir(async (dir) => {
    const volume = testVolume([2, ...SHAPE], 7);
    await writeOmeZarr(`${dir}/in.zarr`, volume, {
      axes: "CZYX",
      physicalSizes: { Z: 1.5, Y: 0.4, X: 0.4 },
      chunkShape: [1, 3, 32, 32],
    });
    const channel = volume.pick(1, null, null, null);
    const energy = 0.1;
    const reference = expectedArrays(channel, {
      sigma: 1.2,
      spacing: [1.5, 0.4, 0.4],
      precision: "float32",
      energy,
      outputs: ["eigenvalues", "fractionalAnisotropy", "shapeClass"],
    });
    // The threshold makes both background and structure.
    const fa = reference.fractionalAnisotropy.data as Float32Array;
    assert(fa.some(Number.isNaN) && fa.some((v) => !Number.isNaN(v)));
    const out = `${dir}/out.zarr`;
    for (const task of [3, 1, 0, 2]) {
      const run = await striaInProcess([
        "analyze",
        `${dir}/in.zarr`,
        out,
        "--channel",
        "1",
        "--sigma",
        "1.2",
        "--precision",
        "float32",
        "--energy",
        String(energy),
        "--outputs",
        "eigenvalues,fa,class",
        "--threads",
        "2",
        "--tasks",
        "4",
        "--task",
        String(task),
      ]);
      assertEquals(run.code, 0, run.stderr);
    }
    assertEquals((await striaInProcess(["finalize", out])).code, 0);
    await assertStoreEquals(out, reference);
    const back = await readOmeZarrArrays(out);
    assertEquals(back.physicalSizes, { Z: 1.5, Y: 0.4, X: 0.4 });
  });
});

Deno.test("a task writes only its own chunks and marker, never the metadata; a done task exits at once; a failed task's rerun rewrites its chunks", async () => {
  await withTempDir(async (dir) => {
    const volume = await writeInput(`${dir}/in.tif`, true);
    const out = `${dir}/out.zarr`;
    const task = taskOf(`${dir}/in.tif`, out, 3);
    const root = JSON.parse(
      await (async () => {
        assertEquals((await task(0)).code, 0);
        return await Deno.readTextFile(`${out}/zarr.json`);
      })(),
    );
    const { chunkPlanes, blocks: { planes: bounds } } = root.attributes.stria;
    assertEquals([chunkPlanes, bounds], [6, [0, 6, 12, 20]]);
    assertEquals((await task(2)).code, 0);

    // Block 1: every file the others wrote (chunks, markers, metadata) stays as it was.
    const before = await snapshot(out);
    assertEquals((await task(1)).code, 0);
    const after = await snapshot(out);
    for (const [path, file] of before) {
      assertEquals(after.get(path), file, `${path} was rewritten`);
    }
    const added = [...after.keys()].filter((path) => !before.has(path));
    assert(added.length > 0);
    for (const path of added) {
      assertEquals(blockOfFile(path, chunkPlanes, bounds), 1, path);
    }
    assert(added.includes(".stria/blocks/1.done"));

    // Rerun: at once (without even opening the input), nothing touched.
    await Deno.rename(`${dir}/in.tif`, `${dir}/away.tif`);
    const again = await task(1);
    assertEquals([again.code, again.stdout], [0, "block 1 of 3 already done"]);
    assertEquals(await snapshot(out), after);
    await Deno.rename(`${dir}/away.tif`, `${dir}/in.tif`);

    // Block 1 again, its writes failing part-way as on a full disk.
    await Deno.remove(`${out}/.stria/blocks/1.done`);
    const { error } = await withFailingWrites(400_000, async () => {
      assertEquals((await task(1)).code, 1);
    });
    assertEquals(error, undefined);
    const failed = await snapshot(out);
    assert(!failed.has(".stria/blocks/1.done"), "no marker after a failure");
    assert(
      [...failed.keys()].every((path) => !path.includes(".tmp")),
      "no temporary file left",
    );
    await assertRejects(
      readOmeZarrArrays(out),
      (e: Error) =>
        e.message.includes(out) &&
        e.message.includes("1 of 3 blocks missing: 1;"),
    );
    // A chunk the failed task left, made stale: the rerun rewrites it.
    const stale = added.find((path) => path.startsWith("eigenvalues/0/c/"))!;
    await Deno.writeFile(join(out, stale), new Uint8Array(8));
    const rerun = await task(1);
    assertEquals(rerun.code, 0, rerun.stderr);
    const rewritten = await snapshot(out);
    for (const [path, file] of before) {
      assertEquals(rewritten.get(path), file, `${path} was rewritten`);
    }
    assertEquals(rewritten.get(stale)!.bytes, after.get(stale)!.bytes);
    assertEquals((await striaInProcess(["finalize", out])).code, 0);
    await assertStoreEquals(
      out,
      expectedArrays(volume, { sigma: 1, spacing: [2, 0.5, 0.5] }),
    );
  });
});

Deno.test("a failing task reports one line and exit 1", async () => {
  await withTempDir(async (dir) => {
    await writeInput(`${dir}/in.tif`, true);
    const { error } = await withFailingWrites(
      100_000,
      async () => {
        const run = await striaInProcess([
          "analyze",
          `${dir}/in.tif`,
          `${dir}/out.zarr`,
        ]);
        assertEquals(run.code, 1);
        assert(/^stria: analyze: .*No space left/.test(run.stderr), run.stderr);
      },
    );
    assertEquals(error, undefined);
  });
});

Deno.test("an incomplete store is refused by every reader and info, naming the missing blocks; finalize completes it", async () => {
  await withTempDir(async (dir) => {
    const volume = await writeInput(`${dir}/in.tif`, true);
    const out = `${dir}/out.zarr`;
    const task = taskOf(`${dir}/in.tif`, out, 8);
    for (const i of [0, 1, 3, 4, 6]) assertEquals((await task(i)).code, 0);
    const missing =
      "3 of 8 blocks missing: 2, 5, 7; run the remaining tasks, then stria finalize";
    const finalize = await striaInProcess(["finalize", out]);
    assertEquals(finalize.code, 1);
    assertEquals(
      finalize.stderr,
      `stria: finalize: ${out}: incomplete stria store: ${missing}`,
    );
    const refused = (fn: string) => (e: Error) =>
      e.message === `${fn}: ${out}: incomplete stria store: ${missing}`;
    await assertRejects(readOmeZarrArrays(out), refused("readOmeZarrArrays"));
    await assertRejects(
      readOmeZarr(`${out}/eigenvalues`),
      refused("readOmeZarr"),
    );
    await assertRejects(
      openOmeZarrPlanes(`${out}/fractionalAnisotropy`),
      refused("openOmeZarrPlanes"),
    );
    const info = await striaInProcess(["info", out]);
    assertEquals(info.code, 2);
    assert(info.stderr.includes(missing), info.stderr);
    const image = await striaInProcess(["info", `${out}/vectors`]);
    assert(image.code === 2 && image.stderr.includes(missing), image.stderr);

    for (const i of [2, 5]) assertEquals((await task(i)).code, 0);
    // Without --task: the missing block only, then finalize.
    const partial = await snapshot(out);
    const rest = await striaInProcess([
      "analyze",
      `${dir}/in.tif`,
      out,
      "--tasks",
      "8",
    ]);
    assertEquals([rest.code, rest.stdout], [0, `${out}: complete (8 blocks)`]);
    const completed = await snapshot(out);
    for (const [path, file] of partial) {
      if (path === "zarr.json") continue; // stria.complete added
      assertEquals(completed.get(path), file, `${path} was rewritten`);
    }
    assert(completed.has(".stria/blocks/7.done"));
    await assertStoreEquals(
      out,
      expectedArrays(volume, { sigma: 1, spacing: [2, 0.5, 0.5] }),
    );
    assertEquals((await readOmeZarr(`${out}/eigenvalues`)).data.shape, [
      3,
      ...SHAPE,
    ]);
    assertEquals((await striaInProcess(["info", out])).code, 0);
    // Finalizing again, and rerunning a task, change nothing.
    const done = await snapshot(out);
    assertEquals((await striaInProcess(["finalize", out])).code, 0);
    assertEquals((await task(5)).stdout, "block 5 of 8 already done");
    assertEquals(await snapshot(out), done);
  });
});

Deno.test("a store of another analysis, or a folder that is no stria store, is refused; writeOmeZarrArrays stores read as before", async () => {
  await withTempDir(async (dir) => {
    await writeInput(`${dir}/in.tif`, true);
    const out = `${dir}/out.zarr`;
    const task = taskOf(`${dir}/in.tif`, out, 2);
    assertEquals((await task(0)).code, 0);
    // Block 0 is done, but not with this sigma.
    const redone = await task(0, "--sigma", "3");
    assertEquals(redone.code, 1);
    assert(redone.stderr.includes("holds another analysis"), redone.stderr);
    const other = await task(1, "--sigma", "3");
    assertEquals(other.code, 1);
    assert(
      other.stderr.includes(`${out}: holds another analysis`) &&
        other.stderr.includes("analysis"),
      other.stderr,
    );
    const unrelated = `${dir}/unrelated`;
    await Deno.mkdir(unrelated);
    await Deno.writeTextFile(`${unrelated}/notes.txt`, "mine");
    const refused = await striaInProcess([
      "analyze",
      `${dir}/in.tif`,
      unrelated,
    ]);
    assertEquals(refused.code, 1);
    assert(refused.stderr.includes("is not a stria store"), refused.stderr);
    assertEquals(await Deno.readTextFile(`${unrelated}/notes.txt`), "mine");

    // What a concurrent first task leaves mid-write is no foreign content.
    const racing = `${dir}/racing.zarr`;
    await Deno.mkdir(`${racing}/eigenvalues`, { recursive: true });
    await Deno.writeTextFile(`${racing}/.zarr.json.0a1b.tmp`, "{");
    const joined = await taskOf(`${dir}/in.tif`, racing, 2)(0);
    assertEquals(joined.code, 0, joined.stderr);

    const plain = `${dir}/plain.zarr`;
    const fa = testVolume([4, 5, 6]);
    await writeOmeZarrArrays(plain, { fa });
    assertEquals((await readOmeZarrArrays(plain)).arrays.fa.shape, [4, 5, 6]);
    assertEquals((await readOmeZarr(`${plain}/fa`)).data.shape, [4, 5, 6]);
    assertEquals((await striaInProcess(["info", plain])).code, 0);
  });
});
