// The tutorial example end to end on the synthetic stand-in, as CI runs it: its printed
// numbers, the sentences computed from them (each checked against the numbers printed
// beside it), the robustness table and the figures; on a user's OME-TIFF (its voxel
// size, its channel, the default and a chosen crop); STRIA_SYNTHETIC; the command line's
// errors; and the tutorial's numeric steps on a small hyperstack downloaded as "kidney"
// from a loopback mirror, so that the download-to-figure path is covered too.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  argmax,
  encodeTiff,
  imshow,
  kidney,
  kidneyPhantom,
  max,
  min,
  ndarray,
  saveFigure,
  structureTensor,
  structureTensorEigenvalues,
  structureTensorEigenvectors,
  unravelIndex,
} from "../mod.ts";
import { getDataset } from "../lib/data/registry.ts";
import { startLoopbackServer } from "./_loopback_server.ts";
import { readSvgFigure, showsGrid } from "./_svg_figure.ts";
import { runExample } from "./_run_example.ts";
import {
  checkCommandLine,
  inTempDir,
  runDeclared,
  VOXEL,
  withSyntheticVariable,
  writeOmeStack,
} from "./_example_inputs.ts";

/** The least permissions a synthetic run needs: its output folder only. */
const outputOnly = (dir: string) => [
  `--allow-read=${dir}`,
  `--allow-write=${dir}`,
];

/** The numbers of the `array([[...]])` blocks printed in `text`, one 3x3 list per block. */
function printedArrays(text: string): number[][] {
  return [...text.matchAll(/^array\(\[\[([\s\S]*?)\]\]\)$/gm)].map((m) =>
    m[1].split(/[\s,\[\]]+/).filter(Boolean).map(Number)
  );
}

/** The line of `lines` that starts with `prefix`. */
function lineStarting(lines: string[], prefix: string): string {
  const line = lines.find((l) => l.startsWith(prefix));
  assert.ok(line, `a line starting "${prefix}" in\n${lines.join("\n")}`);
  return line;
}

/** The "factors a to b" (or "a factor a") of a sentence, as [low, high]. */
function factors(sentence: string): [number, number] {
  const range = sentence.match(/factors ([\d.]+) to ([\d.]+)/);
  if (range) return [Number(range[1]), Number(range[2])];
  const one = sentence.match(/a factor ([\d.]+)\)/);
  assert.ok(one, sentence);
  return [Number(one[1]), Number(one[1])];
}

/** The class shapeClass's rule gives eigenvalues l0 >= l1 >= l2 (factor 2 about equal, 10 much larger). */
function classOf(l0: number, l1: number, l2: number) {
  if (l0 <= 2 * l2) return "sphere";
  if (l0 <= 2 * l1 && l1 >= 10 * l2) return "pancake";
  if (l0 >= 10 * l1 && l1 <= 2 * l2) return "cigar";
  return "mixed";
}

/** Angle in degrees between an axis and the coordinate axis `axis`. */
const degreesFrom = (v: number[], axis: number) =>
  (Math.acos(Math.min(1, Math.abs(v[axis]) / Math.hypot(...v))) * 180) /
  Math.PI;

Deno.test("examples/anisotropy_3d.ts --synthetic prints the tutorial's lines, true to its numbers, and writes its figures", async () => {
  await inTempDir(async (outDir) => {
    const { code, stdout, stderr } = await runExample(
      "anisotropy_3d",
      outDir,
      outputOnly(outDir),
    );
    assert.equal(code, 0, stderr);
    assert.equal(stderr, "", "nothing on stderr");
    const lines = stdout.trimEnd().split("\n");

    // Which data was used is said first, and plainly.
    assert.equal(
      lines[0],
      "data: the stand-in (kidney-phantom (synthetic)), a synthetic volume made by kidneyPhantom, not the real kidney; channel 1, voxel size (Z, Y, X) = (1.25, 1.24, 1.24) µm",
    );
    assert.deepEqual(lines.slice(1, 4), [
      "number of dimensions: 4",
      "shape: (16, 512, 512, 3)",
      "dtype: uint16",
    ]);
    assert.equal(lines[4], "range: (68, 4095)");
    assert.equal(
      lines[5],
      "sample: [5:13, 380:410, 370:400], the tutorial's box; planes x rows x columns = 8 (10 µm) x 30 (37.2 µm) x 30 (37.2 µm)",
    );
    assert.equal(lines[8], "sigma (Z, Y, X): (1, 1.5, 2.5) voxels");
    assert.equal(lines[9], "(3, 8, 30, 30)");
    const coordsLine = lines[10].match(/^\((\d+), (\d+), (\d+), (\d+)\)$/);
    assert.ok(coordsLine, lines[10]);
    const coords = coordsLine.slice(1).map(Number);

    // The same steps, recomputed here, give the printed range and maximum.
    const phantom = kidneyPhantom({ seed: 0 });
    const channel = phantom.data.pick(null, null, null, 1);
    assert.deepEqual([min(channel), max(channel)], [68, 4095]);
    const sample = channel.lo(5, 380, 370).hi(8, 30, 30);
    const elements = structureTensor(sample, { sigma: [1, 1.5, 2.5] });
    const eigen = structureTensorEigenvalues(elements);
    assert.deepEqual(coords, unravelIndex(argmax(eigen), eigen.shape));
    const [, z, y, x] = coords;

    // The Z-variation sentence: its factor is its printed steps' ratio, "weak" from 2.
    const depth = lines[6].match(
      /changes by ([\d.]+) on average to the next plane, ([\d.]+) to the next row and ([\d.]+) to the next column: along Z it is ([\d.]+) times weaker .*: weak\.$/,
    );
    assert.ok(depth, lines[6]);
    const [dz, dy, dx, weaker] = depth.slice(1).map(Number);
    assert.ok(Math.abs(Math.min(dy, dx) / dz - weaker) <= 0.06, lines[6]);
    assert.ok(weaker >= 2, lines[6]);

    // The bright region: the printed pixel is the bottom plane's brightest.
    const bright = lines[7].match(
      /brightest pixel is at row (\d+), column (\d+) \((\d+), against/,
    );
    assert.ok(bright, lines[7]);
    const [row, col, value] = bright.slice(1).map(Number);
    assert.equal(sample.get(0, row, col), value);
    assert.equal(value, max(sample.pick(0, null, null)));

    // The maximum's sentence: its value, place and border as printed above.
    const maximum = lines[11];
    assert.ok(
      maximum.startsWith(
        `The largest eigenvalue, ${
          Number(eigen.get(0, z, y, x).toPrecision(3))
        }, is at plane ${z}, row ${y}, column ${x} of the box: `,
      ),
      maximum,
    );
    assert.match(
      maximum,
      z === 1 ? /1 plane from its first plane/ : /./,
      "plane 1 is named as next to the first plane",
    );

    // The three windows, and the sentences after them, agree with each other.
    const arrays = printedArrays(stdout);
    assert.equal(arrays.length, 3, stdout);
    assert.ok(arrays.every((a) => a.length === 9));
    const ratio = (a: number[], b: number[]) => a.map((v, i) => v / b[i]);
    const range = (values: number[]) =>
      [Math.min(...values), Math.max(...values)].map((v) => v.toFixed(1))
        .map(Number);
    const second = lineStarting(lines, "Over the 9 voxels of the window");
    assert.deepEqual(factors(second), range(ratio(arrays[0], arrays[1])));
    assert.equal(
      second.includes("within a factor of 2 of the largest"),
      Math.max(...ratio(arrays[0], arrays[1])) <= 2,
      second,
    );
    const third = lineStarting(
      lines,
      "Over the same window, the third-largest",
    );
    const thirdRatios = ratio(arrays[1], arrays[2]);
    assert.deepEqual(factors(third), range(thirdRatios));
    const orders = Math.round(
      Math.log10([...thirdRatios].sort((a, b) => a - b)[4]),
    );
    assert.ok(
      third.includes(
        orders === 1
          ? "about an order of magnitude smaller"
          : `about ${orders} orders`,
      ),
      third,
    );
    const shape = lineStarting(lines, "By shapeClass's rule");
    const centre = [arrays[0][8], arrays[1][8], arrays[2][8]];
    const shapeClassName = classOf(centre[0], centre[1], centre[2]);
    assert.ok(
      shape.includes(
        `the maximum is "${shapeClassName}" (largest / second ${
          (centre[0] / centre[1]).toFixed(2)
        }, second / third ${(centre[1] / centre[2]).toFixed(1)})`,
      ),
      shape,
    );
    const counts = new Map<string, number>();
    for (let i = 0; i < 9; i++) {
      const name = classOf(arrays[0][i], arrays[1][i], arrays[2][i]);
      counts.set(name, (counts.get(name) ?? 0) + 1);
    }
    // The stand-in reproduces the tutorial's reading: a "pancake" at the maximum and
    // over most of its window (8 of the 9 voxels).
    assert.equal(shapeClassName, "pancake", shape);
    assert.ok((counts.get("pancake") ?? 0) >= 5, shape);
    assert.ok(
      shape.endsWith(
        `Over the window: ${
          ["sphere", "pancake", "cigar", "mixed"].filter((n) => counts.has(n))
            .map((n) => `${counts.get(n)} ${n}`).join(", ")
        }.`,
      ),
      shape,
    );

    // The directions are the eigenvectors' at the maximum.
    const vectors = structureTensorEigenvectors(elements);
    const at = (rank: number) =>
      [0, 1, 2].map((c) => vectors.get(rank, c, z, y, x));
    const gradient = lineStarting(lines, "At the maximum, the strongest");
    assert.ok(
      gradient.includes(
        `points ${degreesFrom(at(0), 1).toFixed(1)}° from the row (Y) axis`,
      ),
      gradient,
    );
    assert.ok(
      gradient.includes(
        `the weakest ${
          degreesFrom(at(2), 0).toFixed(1)
        }° from the Z (plane) axis`,
      ),
      gradient,
    );
    assert.match(gradient, /from the X-Y plane\.$/);

    // The slices through the maximum: a structure running along Z in the Y-Z slice.
    assert.match(
      lineStarting(lines, `Y-Z slice at column ${x}:`),
      /in all 8 planes: a structure running along Z\.$/,
    );

    // The robustness table: one row per window, the first the tutorial's maximum, the
    // "moved" column the distance between printed positions, and the 1.5 row recomputed.
    const header = lines.findIndex((l) => l.startsWith("sigma (Z, Y, X)  "));
    assert.ok(header > 0, stdout);
    const table = lines.slice(header + 1, header + 6).map((line) => {
      const m = line.match(
        /^\(([\d., ]+)\)\s+\((\d+), (\d+), (\d+)\)\s+([\d.e-]+)\s+([\d.]+)$/,
      );
      assert.ok(m, line);
      return {
        sigma: m[1].split(", ").map(Number),
        at: [2, 3, 4].map((i) => Number(m[i])),
        moved: Number(m[6]),
      };
    });
    assert.deepEqual(table.map((r) => r.sigma), [
      [1, 1.5, 2.5],
      [1.5, 1.5, 1.5],
      [1, 2, 3],
      [0.75, 1.125, 1.875],
      [1.25, 1.875, 3.125],
    ]);
    assert.deepEqual(table[0].at, [z, y, x]);
    for (const r of table) {
      const d = Math.hypot(...r.at.map((v, i) => v - [z, y, x][i]));
      assert.equal(r.moved, Number(d.toFixed(1)));
    }
    const iso = structureTensorEigenvalues(
      structureTensor(sample, { sigma: 1.5 }),
    );
    assert.deepEqual(
      table[1].at,
      unravelIndex(argmax(iso), iso.shape).slice(1),
    );

    // The conclusion repeats the class and the factor it rests on.
    const conclusion = lineStarting(lines, "So the region about voxel");
    assert.equal(lines[lines.length - 1], `figures: written to ${outDir}`);
    assert.ok(
      conclusion.startsWith(
        `So the region about voxel (plane, row, column) = (${z}, ${y}, ${x}) is anisotropic in 3-D`,
      ),
      conclusion,
    );
    assert.ok(
      shapeClassName === "pancake"
        ? conclusion.includes('a "pancake"')
        : conclusion.includes("between the classes"),
      conclusion,
    );

    // Every figure: well-formed standalone SVG, the expected title, crisp images.
    const figures: [string, string, [number, number][]][] = [
      ["figure1_middle_plane.svg", "Middle plane of the stack (Z = 8)", [[
        512,
        512,
      ]]],
      ["figure2_sample_planes.svg", "Stack plane 11 (box plane 6)", [[30, 30], [
        30,
        30,
      ], [
        30,
        30,
      ]]],
      [
        "figure3_bottom_slice.svg",
        "Interactive view of the box's bottom plane (stack plane 5)",
        [[30, 30]],
      ],
      ["figure4_eigenvalues.svg", `Eigenvalues in box plane ${z}`, [
        [30, 30],
        [30, 30],
        [30, 30],
      ]],
      [
        "figure5_max_plane.svg",
        `Interactive view of box plane ${z} (stack plane ${5 + z})`,
        [[
          30,
          30,
        ]],
      ],
      ["figure6_longitudinal.svg", "Y-Z at column ", [[8, 30], [8, 30]]],
      ["sample_volume_3d.svg", "Sample volume", []],
    ];
    for (const [name, title, grids] of figures) {
      const figure = await readSvgFigure(join(outDir, name));
      assert.ok(figure.svg.includes(title), `${name} shows "${title}"`);
      assert.ok(
        figure.svg.includes("[synthetic data]"),
        `${name} says the data is synthetic`,
      );
      grids.forEach(([rows, cols], i) => {
        assert.ok(
          showsGrid(figure.images[i], rows, cols),
          `${name} image ${i} shows ${rows}x${cols} cells`,
        );
      });
    }
    const view = JSON.parse(
      await Deno.readTextFile(join(outDir, "sample_eigenvalues.view.json")),
    );
    assert.deepEqual(view.shape, [8, 30, 30]);
    assert.equal(view.panels.length, 4);
    // The data's voxel size reaches the view and the 3D figure unchanged.
    const { physicalSizes, physicalUnit } = phantom.metadata;
    assert.deepEqual(view.physicalSizes, physicalSizes);
    assert.equal(view.physicalUnit, physicalUnit);
    const volumeFigure = await readSvgFigure(
      join(outDir, "sample_volume_3d.svg"),
    );
    assert.ok(
      volumeFigure.svg.includes(`>${8 * physicalSizes.Z} ${physicalUnit}<`),
      "the 3D view gives the sample's depth",
    );
  });
});

Deno.test("examples/anisotropy_3d.ts --input reads an OME-TIFF's channel and voxel size, on a centred or a chosen box", async () => {
  await inTempDir(async (dir) => {
    const file = await writeOmeStack(dir, [10, 40, 36], [20, 18]);
    const run = (args: string[]) =>
      runExample("anisotropy_3d", dir, outputOnly(dir), args);

    const refused = await run(["--input", file]);
    assert.equal(refused.code, 2, refused.stdout);
    assert.ok(
      refused.stderr.includes(
        `${file}: axes ZCYX, shape [10, 2, 40, 36]: this example needs a 3-D stack (axes ZYX): pick one with --channel N (0 to 1)`,
      ),
      refused.stderr,
    );

    const { code, stdout, stderr } = await run([
      "--input",
      file,
      "--channel",
      "1",
    ]);
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split("\n");
    assert.equal(
      lines[0],
      `data: ${file} (your file), axes ZCYX, channel 1, voxel size (Z, Y, X) = (${VOXEL.Z}, ${VOXEL.Y}, ${VOXEL.X}) µm`,
    );
    assert.equal(lines[2], "shape: (10, 2, 40, 36)");
    assert.equal(lines[4], "range: (100, 3000)");
    // The tutorial's box does not fit: one of its size, centred.
    assert.equal(
      lines[5],
      "sample: [1:9, 5:35, 3:33], a box of the tutorial's size, centred (the tutorial's box does not fit); planes x rows x columns = 8 (16 µm) x 30 (15 µm) x 30 (12 µm)",
    );
    assert.match(
      lines[7],
      /brightest pixel is at row 15, column 15 \(2900, against a median of 100\)/,
    );
    assert.match(
      lineStarting(lines, "Y-Z slice at column"),
      /at row 15 in all 8 planes: a structure running along Z/,
    );
    const volume = await readSvgFigure(join(dir, "sample_volume_3d.svg"));
    assert.ok(
      volume.svg.includes(">16 µm<"),
      "the depth from the file's Z size",
    );
    assert.ok(volume.svg.includes("[stack.ome.tif]"), "titled by file");

    const chosen = await run([
      "--input",
      file,
      "--channel",
      "1",
      "--crop",
      "2:10,10:30,:",
      "--sigma",
      "2",
    ]);
    assert.equal(chosen.code, 0, chosen.stderr);
    assert.match(
      chosen.stdout,
      /^sample: \[2:10, 10:30, 0:36\], your --crop; planes x rows x columns = 8 \(16 µm\) x 20 \(10 µm\) x 36 \(14\.4 µm\)$/m,
    );
    assert.match(chosen.stdout, /^sigma \(Z, Y, X\): \(2, 2, 2\) voxels$/m);
    assert.match(chosen.stdout, /^\(3, 8, 20, 36\)$/m);
  });
});

Deno.test("examples/anisotropy_3d.ts: STRIA_SYNTHETIC=1 selects the stand-in, read only with --allow-env", async () => {
  await inTempDir(async (dir) => {
    const granted = await withSyntheticVariable(
      "1",
      () =>
        runExample("anisotropy_3d", dir, [
          ...outputOnly(dir),
          "--allow-env=STRIA_SYNTHETIC",
        ], []),
    );
    assert.equal(granted.code, 0, granted.stderr);
    assert.match(granted.stdout, /^data: the stand-in \(kidney-phantom/);
    // Without the permission the variable is not read: the kidney is asked for.
    const denied = await withSyntheticVariable(
      "1",
      () => runExample("anisotropy_3d", dir, outputOnly(dir), []),
    );
    assert.equal(denied.code, 1, denied.stdout);
    assert.match(denied.stderr, /add --synthetic/);
  });
});

Deno.test("examples/anisotropy_3d.ts --help prints the usage; bad options exit 2 without a stack trace", async () => {
  await inTempDir(async (dir) => {
    await checkCommandLine(
      "anisotropy_3d",
      (args) => runDeclared("anisotropy_3d", dir, args),
      dir,
      [
        [["--bogus"], "Unknown option '--bogus'"],
        [["--sigma", "0"], `--sigma: expected a positive number or 3 of them`],
        [["--sigma", "1,2"], `got "1,2"`],
        [
          ["--synthetic", "--crop", "5:13,380:410"],
          "--crop: expected z0:z1,y0:y1,x0:x1",
        ],
        [
          ["--synthetic", "--crop", "5:40,380:410,370:400"],
          "--crop: Z 5:40 is not a non-empty range inside the image's 0:16 planes",
        ],
        [
          ["--synthetic", "--channel", "3"],
          "--channel 3: the stand-in has 3 channels (0 to 2)",
        ],
        [
          ["--synthetic", "--input", "x.tif"],
          "--synthetic and --input exclude each other",
        ],
      ],
    );
  });
});

Deno.test("tutorial steps on a small ImageJ hyperstack downloaded as kidney from a loopback mirror", async () => {
  // A 16 x 3 x 48 x 40 ZCYX hyperstack: channel c holds 1000 * c plus a bright slab in
  // channel 1 whose intensity changes across rows only.
  const [depth, channels, height, width] = [16, 3, 48, 40];
  const values = new Uint16Array(depth * channels * height * width);
  const stack = ndarray(values, [depth, channels, height, width]);
  for (let z = 0; z < depth; z++) {
    for (let c = 0; c < channels; c++) {
      for (let row = 0; row < height; row++) {
        for (let col = 0; col < width; col++) {
          const slab = c === 1 && row >= 20 && row < 28 ? 3000 : 0;
          stack.set(
            z,
            c,
            row,
            col,
            100 + 1000 * c + slab + ((z * 7 + row * 3 + col) % 11),
          );
        }
      }
    }
  }
  const file = encodeTiff(stack, { axes: "ZCYX" });
  const entry = {
    ...getDataset("kidney"),
    url: "https://unreachable.invalid/kidney-tissue-fluorescence.tif",
    sha256: createHash("sha256").update(file).digest("hex"),
    size: file.length,
    shape: [depth, height, width, channels],
  };
  await using server = startLoopbackServer((request) =>
    new URL(request.url).pathname === `/${entry.fileName}`
      ? new Response(new Uint8Array(file))
      : new Response("not found", { status: 404 })
  );
  const cacheDir = await Deno.makeTempDir({ prefix: "stria_example_cache_" });
  try {
    const volume = await kidney({
      dataset: entry,
      mirror: server.url.href,
      cacheDir,
      quiet: true,
    });
    assert.equal(server.requests, 1);
    assert.deepEqual(volume.data.shape, [depth, height, width, channels]);
    assert.equal(volume.source.synthetic, false);
    const channel = volume.data.pick(null, null, null, 1);
    assert.equal(channel.get(3, 22, 5), stack.get(3, 1, 22, 5));

    const sample = channel.lo(5, 10, 5).hi(8, 30, 30);
    const eigen = structureTensorEigenvalues(
      structureTensor(sample, { sigma: [1, 1.5, 2.5] }),
    );
    assert.deepEqual(eigen.shape, [3, 8, 30, 30]);
    const coords = unravelIndex(argmax(eigen), eigen.shape);
    assert.equal(coords[0], 0);
    // mode "constant" pads with zeros, so the strongest gradient is the step from the
    // bright slab (sample rows 10 to 17) to the padding beyond the first or last plane:
    // one dominant eigenvalue there, the other two far smaller.
    const [, z, y, x] = coords;
    assert.ok(
      (z === 0 || z === 7) && y >= 10 && y <= 17,
      `maximum at ${coords}`,
    );
    assert.ok(eigen.get(1, z, y, x) < 0.1 * eigen.get(0, z, y, x));

    const figurePath = join(cacheDir, "plane.svg");
    await saveFigure(
      figurePath,
      imshow(sample.pick(z, null, null), { title: `plane Z = ${z}` }),
    );
    const figure = await readSvgFigure(figurePath);
    assert.ok(figure.svg.includes(`plane Z = ${z}`));
    assert.ok(showsGrid(figure.images[0], 30, 30));
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
});
