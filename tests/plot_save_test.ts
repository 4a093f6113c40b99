import assert from "node:assert/strict";
// Test-only decoders, pinned here rather than in lib/deps.ts.
import { decode } from "npm:fast-png@8.0.0";
import { ndarray } from "../lib/deps.ts";
import {
  encodeView,
  imshow,
  renderPng,
  saveFigure,
  saveView,
} from "../lib/plot/mod.ts";
import { temporaryFilesIn, withFailingWrites } from "./_write_faults.ts";

const constant = (value: number) =>
  ndarray(new Float64Array(16).fill(value), [4, 4]);

Deno.test("saveFigure writes the SVG text, atomically, creating the folder", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const figure = imshow(constant(1), { title: "Constant" });
    const path = `${dir}/nested/figure.svg`;
    await saveFigure(path, figure);
    assert.equal(await Deno.readTextFile(path), figure.svg);
    assert.deepEqual(
      [...Deno.readDirSync(`${dir}/nested`)].map((e) => e.name),
      ["figure.svg"],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("saveFigure .png: resvg renders the figure at 2x with its colors and text", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const figure = imshow(constant(1), {
      vmin: 0,
      vmax: 1,
      cmap: "viridis",
      title: "Viridis top",
    });
    await saveFigure(`${dir}/figure.png`, figure);
    const png = decode(await Deno.readFile(`${dir}/figure.png`));
    assert.deepEqual([png.width, png.height], [
      2 * figure.width,
      2 * figure.height,
    ]);
    const channels = png.channels;
    let top = 0;
    let dark = 0;
    for (let i = 0; i < png.width * png.height; i++) {
      const [r, g, b] = png.data.subarray(i * channels, i * channels + 3);
      if (r === 0xfd && g === 0xe7 && b === 0x25) top++;
      if (r < 60 && g < 60 && b < 60) dark++;
    }
    // The 4x4 image fills a frame of several hundred px per side at 2x.
    assert.ok(top > 100_000, `viridis top pixels: ${top}`);
    // Text, ticks and frame are drawn (a font was found).
    assert.ok(dark > 500, `dark pixels: ${dark}`);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("renderPng: scale option, and a clear error when no font can be read for text", async () => {
  const figure = imshow(constant(0), { title: "Needs a font" });
  const png = decode(await renderPng(figure, { scale: 1 }));
  assert.deepEqual([png.width, png.height], [figure.width, figure.height]);
  await assert.rejects(
    () =>
      renderPng(figure, {
        fontFiles: [{ path: "/nonexistent/font.ttf", family: "None" }],
      }),
    /saveFigure: no font file could be read for PNG text \(tried \/nonexistent\/font\.ttf\)/,
  );
  await assert.rejects(
    () => renderPng(figure, { scale: 0 }),
    /renderPng: options\.scale must be a number in \(0, 8\]/,
  );
});

Deno.test("saveFigure rejects other extensions and non-figures", async () => {
  const figure = imshow(constant(0));
  await assert.rejects(() => saveFigure("/tmp/figure.jpg", figure), {
    name: "TypeError",
    message:
      'saveFigure: path must be a file path ending in ".svg" or ".png", got "/tmp/figure.jpg"',
  });
  await assert.rejects(
    () => saveFigure("/tmp/x.svg", { svg: 3 } as unknown as typeof figure),
    /saveFigure: figure must be a Figure/,
  );
});

Deno.test("encodeView: version 1 document with float32 little-endian C-order data from views", () => {
  const base = ndarray(
    Uint16Array.from({ length: 4 * 5 * 6 }, (_, i) => i * 3),
    [4, 5, 6],
  );
  const view = base.transpose(0, 2, 1).hi(3, 6, 4); // shape [3, 6, 4], non-contiguous
  const eigen = ndarray(new Float64Array(3 * 6 * 4).fill(0.25), [3, 6, 4]);
  const encoded = encodeView({
    title: "Sample and eigenvalues",
    panels: [
      { title: "sample", volume: view, label: "intensity" },
      { title: "rank 0", volume: eigen, cmap: "viridis", vmin: 0, vmax: 1 },
    ],
    widgets: ["slices", "3d"],
    physicalSizes: { X: 1.24, Y: 1.24, Z: 1.25, T: 60 },
    physicalUnit: "µm",
  });
  assert.equal(encoded.format, "stria-view");
  assert.equal(encoded.version, 1);
  assert.equal(encoded.axes, "ZYX");
  assert.deepEqual(encoded.shape, [3, 6, 4]);
  assert.deepEqual(encoded.physicalSizes, { Z: 1.25, Y: 1.24, X: 1.24 });
  assert.equal(encoded.physicalUnit, "µm");
  assert.equal(encoded.initialPlane, 1);
  assert.deepEqual(encoded.widgets, ["slices", "3d"]);
  const [sample, rank0] = encoded.panels;
  assert.deepEqual([sample.cmap, sample.label, rank0.cmap, rank0.label], [
    "gray",
    "intensity",
    "viridis",
    "",
  ]);
  const bytes = Uint8Array.from(atob(sample.data), (c) => c.charCodeAt(0));
  const values = new DataView(bytes.buffer);
  assert.equal(bytes.length, 3 * 6 * 4 * 4);
  let i = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let z = 0; z < 3; z++) {
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 4; x++, i++) {
        const expected = view.get(z, y, x);
        assert.equal(values.getFloat32(i * 4, true), expected);
        min = Math.min(min, expected);
        max = Math.max(max, expected);
      }
    }
  }
  assert.deepEqual([sample.vmin, sample.vmax], [min, max]);
  assert.deepEqual([rank0.vmin, rank0.vmax], [0, 1]);
});

Deno.test("encodeView rejects mismatched shapes, bad widgets and planes", () => {
  const a = ndarray(new Float32Array(8), [2, 2, 2]);
  const b = ndarray(new Float32Array(12), [3, 2, 2]);
  assert.throws(
    () =>
      encodeView({
        title: "t",
        panels: [{ title: "a", volume: a }, { title: "b", volume: b }],
      }),
    /encodeView: panels\[1\]\.volume must be of shape \[2, 2, 2\] like panels\[0\], got ndarray of shape \[3, 2, 2\]/,
  );
  assert.throws(
    () =>
      encodeView({
        title: "t",
        panels: [{ title: "a", volume: a }],
        widgets: ["movie" as "3d"],
      }),
    /encodeView: widgets must be an array of "slices" and "3d"/,
  );
  assert.throws(
    () =>
      encodeView({
        title: "t",
        panels: [{ title: "a", volume: a }],
        initialPlane: 2,
      }),
    /encodeView: initialPlane must be an integer in \[0, 1\], got 2/,
  );
  assert.throws(
    () => encodeView({ title: "t", panels: [] }),
    /encodeView: panels must be a non-empty array/,
  );
  assert.throws(
    () =>
      encodeView({
        title: "t",
        panels: [{ title: "a", volume: ndarray(new Float32Array(4), [2, 2]) }],
      }),
    /encodeView: panels\[0\]\.volume must be a 3-D ndarray/,
  );
});

Deno.test("saveView writes the JSON document atomically to a .view.json path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const spec = {
      title: "Zeros",
      panels: [{
        title: "zeros",
        volume: ndarray(new Float32Array(8), [2, 2, 2]),
      }],
    };
    await saveView(`${dir}/out/zeros.view.json`, spec);
    assert.deepEqual(
      JSON.parse(await Deno.readTextFile(`${dir}/out/zeros.view.json`)),
      encodeView(spec),
    );
    assert.deepEqual([...Deno.readDirSync(`${dir}/out`)].map((e) => e.name), [
      "zeros.view.json",
    ]);
    await assert.rejects(
      () => saveView(`${dir}/zeros.json`, spec),
      /saveView: path must be a file path ending in ".view.json"/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("encodeView: physicalSizes default to 1 per axis, a TIFF's record passes straight in, bad sizes are refused", () => {
  const volume = ndarray(new Float32Array(8), [2, 2, 2]);
  const plain = encodeView({ title: "t", panels: [{ title: "a", volume }] });
  assert.deepEqual(plain.physicalSizes, { Z: 1, Y: 1, X: 1 });
  assert.ok(!("physicalUnit" in plain));
  // readTiff gives X and Y from the resolution tags and no Z for a plain TIFF.
  const fromTiff = encodeView({
    title: "t",
    panels: [{ title: "a", volume }],
    physicalSizes: { X: 0.5, Y: 0.25 },
  });
  assert.deepEqual(fromTiff.physicalSizes, { Z: 1, Y: 0.25, X: 0.5 });
  assert.throws(
    () =>
      encodeView({
        title: "t",
        panels: [{ title: "a", volume }],
        physicalSizes: { Z: 0, Y: 1, X: 1 },
      }),
    {
      message:
        "encodeView: physicalSizes.Z must be a positive finite number, got 0",
    },
  );
  assert.throws(
    () =>
      encodeView({
        title: "t",
        panels: [{ title: "a", volume }],
        physicalSizes: [1, 1, 1] as unknown as { Z: number },
      }),
    /^TypeError: encodeView: physicalSizes must be an object such as \{ Z: 1\.25, Y: 1\.24, X: 1\.24 \}, got \[1, 1, 1\]$/,
  );
  assert.throws(
    () =>
      encodeView({
        title: "t",
        panels: [{ title: "a", volume }],
        physicalUnit: "",
      }),
    /encodeView: physicalUnit must be a non-empty string, got ""/,
  );
  // Through saveView, errors name saveView.
  return assert.rejects(
    () =>
      saveView("/tmp/never-written.view.json", {
        title: "t",
        panels: [{ title: "a", volume }],
        physicalSizes: { X: -1 },
      }),
    /^TypeError: saveView: physicalSizes\.X must be a positive finite number, got -1$/,
  );
});

/**
 * Writes `first` to `path`, then rewrites it with `second` while writes fail
 * after a few bytes, as on a full disk: the call must reject naming the path,
 * leave the first file byte for byte, and leave no temporary file.
 */
async function checkFailedRewrite(
  folder: string,
  path: string,
  first: () => Promise<void>,
  second: () => Promise<void>,
) {
  await first();
  const before = await Deno.readFile(path);
  const { failures, error } = await withFailingWrites(16, second);
  assert.ok(failures > 0, "the rewrite wrote through the failing writes");
  assert.ok(error instanceof Error, `rejected: ${error}`);
  assert.ok(
    error.message.includes(path),
    `error names the path: ${error.message}`,
  );
  assert.deepEqual(await Deno.readFile(path), before, "old file intact");
  assert.deepEqual(await temporaryFilesIn(folder), []);
}

Deno.test("saveFigure on a full disk: the old SVG and PNG stay intact, no temporary file is left", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const old = imshow(constant(0), { title: "Old" });
    const fresh = imshow(constant(1), { title: "New figure" });
    for (const name of ["figure.svg", "figure.png"]) {
      const path = `${dir}/${name}`;
      await checkFailedRewrite(
        dir,
        path,
        () => saveFigure(path, old),
        () => saveFigure(path, fresh),
      );
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("saveView on a full disk: the old view file stays intact, no temporary file is left", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/volume.view.json`;
    const view = (value: number) => ({
      title: "Constant",
      panels: [{
        title: "constant",
        volume: ndarray(new Float32Array(4 * 4 * 4).fill(value), [4, 4, 4]),
      }],
    });
    await checkFailedRewrite(
      dir,
      path,
      () => saveView(path, view(0)),
      () => saveView(path, view(1)),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
