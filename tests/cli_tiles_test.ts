/**
 * `stria analyze --tile Y,X` (lib/cli): blocks that are tiles of slabs.
 *
 * - the store equals `structureTensorAnalysis` of the whole volume bit for
 *   bit, with tiles that divide the plane and tiles that do not, and a halo
 *   (sigma 2 µm over 0.5 µm voxels: 17 voxels) reaching past the next tile;
 * - a task writes only the chunks inside its tile of its slab, and its
 *   marker, which names the region;
 * - the analysis of a tile reads the input a plane at a time;
 * - bad `--tile` values and task counts: one line, exit 2, nothing written.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { join, relative } from "node:path";
import type { NdArray } from "../lib/deps.ts";
import { writeTiff } from "../lib/io/write_tiff.ts";
import { writeOmeZarr } from "../lib/zarr/mod.ts";
import {
  ANALYSIS_OUTPUTS,
  structureTensorAnalysis,
  type StructureTensorAnalysisOptions,
} from "../lib/feature/structure_tensor_analysis.ts";
import { analyzeRegion } from "../lib/cli/_block_analysis.ts";
import type { PlaneSource } from "../lib/io/tiff_plane_reader.ts";
import { striaInProcess, testVolume, withTempDir } from "./_cli_run.ts";
import { assertStoreEquals, expectedArrays } from "./_store_expectations.ts";

const SHAPE = [12, 64, 80];
const VOXEL = { Z: 2, Y: 0.5, X: 0.5 };

async function writeInput(path: string, shape = SHAPE): Promise<NdArray> {
  const volume = testVolume(shape);
  await writeTiff(path, volume, {
    axes: "ZYX",
    metadata: { physicalSizes: VOXEL, physicalUnit: "µm" },
  });
  return volume;
}

/** Asserts the store at `path` holds the whole volume's analysis (sigma 2 µm) of `outputs`, bit for bit. */
async function assertWholeVolume(
  path: string,
  volume: NdArray,
  outputs: StructureTensorAnalysisOptions["outputs"] = [
    "eigenvalues",
    "vectors",
    "fractionalAnisotropy",
  ],
) {
  await assertStoreEquals(
    path,
    expectedArrays(volume, { sigma: 2, spacing: [2, 0.5, 0.5], outputs }),
  );
}

/** Every file under `root`, relative paths. */
async function filesUnder(root: string): Promise<Set<string>> {
  const files = new Set<string>();
  const walk = async (folder: string) => {
    for await (const entry of Deno.readDir(folder)) {
      const path = join(folder, entry.name);
      if (entry.isDirectory) await walk(path);
      else files.add(relative(root, path));
    }
  };
  await walk(root);
  return files;
}

Deno.test("analyze --tile 32,40 --tasks 8: two slabs of four tiles, each task its own chunks, the whole volume bit for bit", async () => {
  await withTempDir(async (dir) => {
    const volume = await writeInput(`${dir}/in.tif`);
    const out = `${dir}/out.zarr`;
    const task = (i: number) =>
      striaInProcess([
        "analyze",
        `${dir}/in.tif`,
        out,
        "--sigma",
        "2",
        "--tile",
        "32,40",
        "--tasks",
        "8",
        "--task",
        String(i),
      ]);
    let before = new Set<string>();
    for (const i of [5, 0, 7, 2, 1, 6, 3, 4]) {
      const run = await task(i);
      assertEquals([run.code, run.stderr], [0, ""], `task ${i}`);
      const [z0, z1] = i < 4 ? [0, 6] : [6, 12];
      const [y0, x0] = [Math.floor((i % 4) / 2) * 32, (i % 2) * 40];
      assertEquals(
        run.stdout.trim(),
        `block ${i} of 8 done (planes ${z0} … ${z1 - 1}, rows ${y0} … ${
          y0 + 31
        }, columns ${x0} … ${x0 + 39})`,
      );
      const files = await filesUnder(out);
      const added = [...files].filter((f) => !before.has(f));
      for (const file of added) {
        if (file.endsWith("zarr.json") || file.startsWith("zarr.json")) {
          continue;
        }
        if (file.startsWith(".stria/")) {
          assertEquals(file, `.stria/blocks/${i}.done`);
          continue;
        }
        // Chunks: [channel,] z, y, x of 6 × 32 × 40 voxels.
        const [z, y, x] = file.split("/").slice(-3).map(Number);
        assertEquals(
          [z * 6, y * 32, x * 40],
          [z0, y0, x0],
          `task ${i} wrote ${file}`,
        );
      }
      assert(added.some((f) => f.includes("/c/")), `task ${i} wrote chunks`);
      assertEquals(
        JSON.parse(await Deno.readTextFile(`${out}/.stria/blocks/${i}.done`)),
        {
          block: i,
          planes: [z0, z1],
          rows: [y0, y0 + 32],
          columns: [x0, x0 + 40],
        },
      );
      before = files;
    }
    const finalize = await striaInProcess(["finalize", out]);
    assertEquals([finalize.code, finalize.stderr], [0, ""]);
    const root = JSON.parse(await Deno.readTextFile(`${out}/zarr.json`));
    assertEquals(root.attributes.stria.blocks, {
      count: 8,
      planes: [0, 6, 12],
      tile: [32, 40],
    });
    const chunks = JSON.parse(
      await Deno.readTextFile(`${out}/eigenvalues/0/zarr.json`),
    ).chunk_grid.configuration.chunk_shape;
    assertEquals(chunks, [1, 6, 32, 40]);
    await assertWholeVolume(out, volume);
  });
});

Deno.test("analyze --tile 24,32 in one process: uneven edge tiles, every output, the whole volume bit for bit", async () => {
  await withTempDir(async (dir) => {
    const volume = await writeInput(`${dir}/in.tif`);
    const out = `${dir}/out.zarr`;
    const run = await striaInProcess([
      "analyze",
      `${dir}/in.tif`,
      out,
      "--sigma",
      "2",
      "--tile",
      "24,32",
      "--block-planes",
      "5",
      "--outputs",
      "eigenvalues,vectors,fa,westin,class,angles",
    ]);
    assertEquals([run.code, run.stderr], [0, ""]);
    // Planes in chunks of 5 (3 slabs), 64 rows in 24, 24, 16 and 80 columns in 32, 32, 16.
    assert(run.stdout.includes("complete (27 blocks)"), run.stdout);
    await assertWholeVolume(
      out,
      volume,
      ANALYSIS_OUTPUTS.filter((o) => o !== "coherence"),
    );
  });
});

Deno.test("analyze --tile on an OME-Zarr input: the whole volume bit for bit", async () => {
  await withTempDir(async (dir) => {
    const volume = testVolume(SHAPE);
    await writeOmeZarr(`${dir}/in.zarr`, volume, {
      axes: "ZYX",
      physicalSizes: VOXEL,
      physicalUnit: "µm",
      chunkShape: [4, 16, 16],
    });
    const out = `${dir}/out.zarr`;
    const run = await striaInProcess([
      "analyze",
      `${dir}/in.zarr`,
      out,
      "--sigma",
      "2",
      "--tile",
      "32,40",
    ]);
    assertEquals([run.code, run.stderr], [0, ""]);
    await assertWholeVolume(out, volume);
  });
});

Deno.test("the analysis of a tile reads its box where the reader can, else a plane at a time; a whole slab for whole planes", async () => {
  const volume = testVolume([6, 40, 50]);
  const counts: number[] = [];
  const reader: PlaneSource = {
    shape: [6, 40, 50],
    dtype: "uint16",
    axes: "ZYX",
    physicalSizes: {},
    readPlanes(start, count) {
      counts.push(count);
      return Promise.resolve(volume.hi(start + count).lo(start));
    },
  };
  const analysis = {
    outputs: ["fa"] as const,
    sigma: 1,
    spacing: null,
    precision: "float64" as const,
  };
  const tile = await analyzeRegion(
    reader,
    { planes: [2, 4], rows: [8, 24], columns: [20, 40] },
    [5, 5, 5],
    analysis,
    1,
  );
  assertEquals(counts, [1, 1, 1, 1, 1, 1]);
  const fa = structureTensorAnalysis(volume, {
    sigma: 1,
    outputs: ["fractionalAnisotropy"],
  }).fractionalAnisotropy!;
  const { data, shape, stride } = tile.fractionalAnisotropy;
  assertEquals(shape, [2, 16, 20]);
  for (let z = 0; z < 2; z++) {
    for (let y = 0; y < 16; y++) {
      for (let x = 0; x < 20; x++) {
        const got = data[z * stride[0] + y * stride[1] + x * stride[2]];
        assertEquals(got, fa.get(z + 2, y + 8, x + 20), `(${z}, ${y}, ${x})`);
      }
    }
  }
  counts.length = 0;
  await analyzeRegion(
    reader,
    { planes: [2, 4], rows: [0, 40], columns: [0, 50] },
    [5, 5, 5],
    analysis,
    1,
  );
  assertEquals(counts, [6]);
  // A reader of boxes (OME-Zarr) is asked for the tile and its halo only.
  const boxes: number[][][] = [];
  const boxReader: PlaneSource = {
    ...reader,
    readBox(planes, rows, columns) {
      boxes.push([[...planes], [...rows], [...columns]]);
      return Promise.resolve(
        volume.hi(planes[1], rows[1], columns[1]).lo(
          planes[0],
          rows[0],
          columns[0],
        ),
      );
    },
  };
  counts.length = 0;
  const boxed = await analyzeRegion(
    boxReader,
    { planes: [2, 4], rows: [8, 24], columns: [20, 40] },
    [5, 5, 5],
    analysis,
    1,
  );
  assertEquals([counts, boxes], [[], [[[0, 6], [3, 29], [15, 45]]]]);
  assertEquals(boxed.fractionalAnisotropy.data, tile.fractionalAnisotropy.data);
});

Deno.test("bad --tile values and task counts: one line, exit 2, nothing written", async () => {
  await withTempDir(async (dir) => {
    await writeInput(`${dir}/in.tif`);
    await writeInput(`${dir}/tall.tif`, [4, 600, 8]);
    const cases: [string[], string][] = [
      [
        ["--tile", "32"],
        '--tile must be two integers >= 1, rows and columns, separated by a comma, got "32"',
      ],
      [
        ["--tile", "0,8"],
        '--tile must be two integers >= 1, rows and columns, separated by a comma, got "0,8"',
      ],
      [
        ["--tile", "a,b"],
        '--tile must be two integers >= 1, rows and columns, separated by a comma, got "a,b"',
      ],
      [
        ["--tile", "32,40", "--tasks", "6"],
        "analyze: --tasks 6 is not a multiple of the 4 tiles of a 64 × 80 plane (--tile 32,40); use --tasks 8",
      ],
      [
        ["--tile", "32,40", "--tasks", "52"],
        "analyze: --tasks 52 gives 13 slabs of planes (4 tiles each), more than the 12 planes of the input",
      ],
    ];
    for (const [options, message] of cases) {
      const out = `${dir}/bad.zarr`;
      const run = await striaInProcess([
        "analyze",
        `${dir}/in.tif`,
        out,
        ...options,
      ]);
      assertEquals(run.code, 2, options.join(" "));
      assert(run.stderr.startsWith(`stria: ${message}\n`), run.stderr);
      assert(!run.stderr.includes("    at "), "no stack trace");
      assertEquals(
        await Deno.stat(out).then(() => true, () => false),
        false,
        "nothing written",
      );
    }
    const tall = await striaInProcess([
      "analyze",
      `${dir}/tall.tif`,
      `${dir}/tall.zarr`,
      "--tile",
      "300,8",
    ]);
    assertEquals(tall.code, 2);
    assert(
      tall.stderr.startsWith(
        "stria: analyze: --tile 300,8: each side must be at most 256, a multiple of 256 (whole chunks) or the plane's, got 300\n",
      ),
      tall.stderr,
    );
    // A side as long as the plane is one tile, in chunks of 256 (the last partial).
    const whole = await striaInProcess([
      "analyze",
      `${dir}/tall.tif`,
      `${dir}/whole.zarr`,
      "--tile",
      "600,8",
      "--outputs",
      "fa",
    ]);
    assertEquals([whole.code, whole.stderr], [0, ""]);
    const chunks = JSON.parse(
      await Deno.readTextFile(
        `${dir}/whole.zarr/fractionalAnisotropy/0/zarr.json`,
      ),
    ).chunk_grid.configuration.chunk_shape;
    assertEquals(chunks, [4, 256, 8]);
  });
});
