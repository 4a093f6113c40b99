// The tutorial example end to end on the synthetic stand-in, as CI runs it, and the
// tutorial's numeric steps on a small hyperstack downloaded as "kidney" from a loopback
// mirror, so the download-to-figure path is covered too.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { join } from "node:path";
import {
  argmax,
  encodeTiff,
  formatArray,
  imshow,
  kidney,
  kidneyPhantom,
  max,
  min,
  ndarray,
  saveFigure,
  structureTensor,
  structureTensorEigenvalues,
  unravelIndex,
} from "../mod.ts";
import { getDataset } from "../lib/data/registry.ts";
import { startLoopbackServer } from "./_loopback_server.ts";
import { readSvgFigure, showsGrid } from "./_svg_figure.ts";
import { runExample } from "./_run_example.ts";

Deno.test("examples/anisotropy_3d.ts --synthetic prints the tutorial's lines and writes its figures", async () => {
  const outDir = await Deno.makeTempDir({ prefix: "stria_example_" });
  try {
    const { code, stdout, stderr } = await runExample("anisotropy_3d", outDir, [
      // The least permissions the synthetic run needs: its output folder only.
      `--allow-read=${outDir}`,
      `--allow-write=${outDir}`,
    ]);
    assert.equal(code, 0, stderr);
    const lines = stdout.trimEnd().split("\n");

    // Which data was used is said first, and plainly.
    assert.match(
      lines[0],
      /^data: kidney-phantom.*synthetic stand-in, not the real kidney volume$/,
    );
    assert.deepEqual(lines.slice(1, 4), [
      "number of dimensions: 4",
      "shape: (16, 512, 512, 3)",
      "dtype: uint16",
    ]);
    const range = lines[4].match(/^range: \((\d+), (\d+)\)$/);
    assert.ok(range, lines[4]);
    assert.equal(lines[5], "(3, 8, 30, 30)");
    const coordsLine = lines[6].match(/^\((\d+), (\d+), (\d+), (\d+)\)$/);
    assert.ok(coordsLine, lines[6]);
    const coords = coordsLine.slice(1).map(Number);
    assert.equal(coords[0], 0);

    // The same steps, recomputed here, give the printed range, maximum and windows.
    const phantom = kidneyPhantom({ seed: 0 });
    const channel = phantom.data.pick(null, null, null, 1);
    assert.deepEqual([Number(range[1]), Number(range[2])], [
      min(channel),
      max(channel),
    ]);
    const sample = channel.lo(5, 380, 370).hi(8, 30, 30);
    const eigen = structureTensorEigenvalues(
      structureTensor(sample, { sigma: [1, 1.5, 2.5] }),
    );
    assert.deepEqual(coords, unravelIndex(argmax(eigen), eigen.shape));
    const [, z, y, x] = coords;
    const printedArrays = lines.slice(7).join("\n");
    for (let rank = 0; rank < 3; rank++) {
      const window = eigen.pick(rank, z, null, null).lo(y - 2, x - 2).hi(3, 3);
      assert.equal(window.shape.join("x"), "3x3");
      assert.ok(
        printedArrays.includes(formatArray(window)),
        `rank ${rank} window printed`,
      );
    }
    assert.equal((printedArrays.match(/^array\(\[\[/gm) ?? []).length, 3);

    // Every figure: well-formed standalone SVG, the expected title, crisp images.
    const figures: [string, string, [number, number][]][] = [
      ["figure1_middle_plane.svg", "Middle plane (Z = 8)", [[512, 512]]],
      ["figure2_sample_planes.svg", "Plane = 11", [[30, 30], [30, 30], [
        30,
        30,
      ]]],
      [
        "figure3_bottom_slice.svg",
        "Interactive view of bottom slice of sample data.",
        [[30, 30]],
      ],
      ["figure4_eigenvalues.svg", `Eigenvalues for plane Z = ${z}.`, [
        [30, 30],
        [30, 30],
        [30, 30],
      ]],
      ["figure5_max_plane.svg", `Interactive view of plane Z = ${z}.`, [[
        30,
        30,
      ]]],
      ["figure6_longitudinal.svg", "longitudinal=1", [[8, 30], [8, 30]]],
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
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
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
