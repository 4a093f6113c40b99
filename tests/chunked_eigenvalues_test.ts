import assert from "node:assert/strict";
import { type NdArray, ndarray } from "../lib/deps.ts";
import type { BoundaryMode } from "../lib/filters/boundary_mode.ts";
import { structureTensorEigenvaluesOfImage } from "../lib/feature/structure_tensor_eigenvalues_of_image.ts";
import { blockEigenvalues } from "../lib/feature/_tensor_3d.ts";
import { readTiff } from "../lib/io/read_tiff.ts";
import { writeTiff } from "../lib/io/write_tiff.ts";
import { encodeTiff } from "../lib/io/encode_tiff.ts";
import { openTiffPlanes } from "../lib/io/tiff_plane_reader.ts";
import { createTiffPageWriter } from "../lib/io/tiff_page_writer.ts";
import { structureTensorEigenvaluesTiff } from "../lib/chunked/structure_tensor_eigenvalues_tiff.ts";
import { mulberry32, uniformSource } from "../lib/data/_prng.ts";

const assertEquals = (actual: unknown, expected: unknown) =>
  assert.deepStrictEqual(actual, expected);

/** `run` rejects with an Error whose message contains `text`. */
async function rejects(run: () => Promise<unknown>, text: string) {
  await assert.rejects(run, (error: Error) => {
    assert.ok(
      error.message.includes(text),
      `expected "${text}" in: ${error.message}`,
    );
    return true;
  });
}

function randomVolume(shape: [number, number, number], seed: number) {
  const next = uniformSource(mulberry32(seed));
  const values = new Uint16Array(shape[0] * shape[1] * shape[2]).map(() =>
    Math.floor(next() * 4096)
  );
  return ndarray(values, shape);
}

/** Every value of `chunked` ([Z, 3, Y, X]) is Object.is-equal to `whole` ([3, Z, Y, X]). */
function assertSameEigenvalues(
  chunked: NdArray,
  whole: NdArray,
  label: string,
) {
  const [planes, ranks, height, width] = chunked.shape;
  assertEquals(chunked.shape, [
    whole.shape[1],
    3,
    whole.shape[2],
    whole.shape[3],
  ]);
  assertEquals(ranks, 3);
  for (let z = 0; z < planes; z++) {
    for (let r = 0; r < 3; r++) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const got = chunked.get(z, r, y, x);
          const expected = whole.get(r, z, y, x);
          if (!Object.is(got, expected)) {
            throw new Error(
              `${label}: at z=${z} rank=${r} y=${y} x=${x}: ${got} !== ${expected}`,
            );
          }
        }
      }
    }
  }
}

/** Sets the value of `tag` in the IFDs of a little-endian classic TIFF: every page, or only the last one. */
function patchTag(
  bytes: Uint8Array,
  tag: number,
  value: number,
  lastPageOnly = false,
): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const ifds: number[] = [];
  for (let ifd = view.getUint32(4, true); ifd !== 0;) {
    ifds.push(ifd);
    ifd = view.getUint32(ifd + 2 + 12 * view.getUint16(ifd, true), true);
  }
  for (const ifd of lastPageOnly ? ifds.slice(-1) : ifds) {
    for (let i = 0; i < view.getUint16(ifd, true); i++) {
      const at = ifd + 2 + 12 * i;
      if (view.getUint16(at, true) !== tag) continue;
      if (view.getUint16(at + 2, true) === 3) {
        view.setUint16(at + 8, value, true);
      } else view.setUint32(at + 8, value, true);
    }
  }
  return copy;
}

const MODES: [BoundaryMode, number][] = [
  ["reflect", 0],
  ["constant", 700.5],
  ["nearest", 0],
  ["mirror", 0],
  ["wrap", 0],
];
const SIGMA = [1, 0.8, 1.2];

Deno.test("chunked eigenvalues equal the whole-volume ones, every mode and block size", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const volume = randomVolume([13, 17, 19], 7);
    await writeTiff(`${folder}/in.tif`, volume, { axes: "ZYX" });
    for (const [mode, cval] of MODES) {
      const whole = structureTensorEigenvaluesOfImage(volume, {
        sigma: SIGMA,
        mode,
        cval,
      });
      for (const blockPlanes of [1, 2, 5]) {
        const out = `${folder}/eigen_${mode}_${blockPlanes}.tif`;
        await structureTensorEigenvaluesTiff(`${folder}/in.tif`, out, {
          sigma: SIGMA,
          mode,
          cval,
          blockPlanes,
        });
        const { data, axes, metadata } = await readTiff(out);
        assertEquals(axes, "ZCYX");
        assertEquals(metadata.dtype, "float64");
        assertSameEigenvalues(
          data,
          whole,
          `${mode} blockPlanes=${blockPlanes}`,
        );
      }
    }
    assertEquals(
      [...Deno.readDirSync(folder)].filter((e) => e.name.endsWith(".tmp")),
      [],
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("a Z radius larger than the block, and more planes of halo than the volume has", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const volume = randomVolume([6, 9, 7], 11);
    await writeTiff(`${folder}/in.tif`, volume, { axes: "ZYX" });
    // sigma_z 2: radius 8, halo 9 planes, more than the 6 planes.
    for (const [mode, cval] of MODES) {
      const sigma = [2, 1, 0.7];
      const whole = structureTensorEigenvaluesOfImage(volume, {
        sigma,
        mode,
        cval,
      });
      await structureTensorEigenvaluesTiff(
        `${folder}/in.tif`,
        `${folder}/o.tif`,
        {
          sigma,
          mode,
          cval,
          blockPlanes: 2,
        },
      );
      const { data } = await readTiff(`${folder}/o.tif`);
      assertSameEigenvalues(data, whole, `${mode} sigma_z=2`);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("float32 precision writes an ImageJ float32 hyperstack equal to the in-memory float32 result", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const volume = randomVolume([9, 8, 10], 3);
    await writeTiff(`${folder}/in.tif`, volume, { axes: "ZYX" });
    const whole = structureTensorEigenvaluesOfImage(volume, {
      sigma: 1,
      mode: "reflect",
      precision: "float32",
    });
    await structureTensorEigenvaluesTiff(
      `${folder}/in.tif`,
      `${folder}/o.tif`,
      {
        sigma: 1,
        mode: "reflect",
        precision: "float32",
        blockPlanes: 3,
        threads: 2,
      },
    );
    const { data, axes, metadata } = await readTiff(`${folder}/o.tif`);
    assertEquals(axes, "ZCYX");
    assertEquals(metadata.dtype, "float32");
    assertEquals(metadata.imagej?.channels, 3);
    assertEquals(metadata.imagej?.slices, 9);
    assertEquals(metadata.imagej?.hyperstack, true);
    assertSameEigenvalues(data, whole, "float32");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("chunked on 2 threads, with uint8 and float32 input, equals the whole volume", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const base = randomVolume([11, 40, 45], 5);
    const inputs: [string, NdArray<Uint16Array | Uint8Array | Float32Array>][] =
      [
        ["uint16", base],
        [
          "uint8",
          ndarray(Uint8Array.from(base.data, (v) => v >> 4), base.shape),
        ],
        // float32 input stays on the JavaScript kernels (scikit-image's float64 sums).
        [
          "float32",
          ndarray(Float32Array.from(base.data, (v) => v / 7), base.shape),
        ],
      ];
    for (const [dtype, volume] of inputs) {
      await writeTiff(`${folder}/in.tif`, volume, { axes: "ZYX" });
      for (const [mode, cval] of [["constant", 0.25], ["wrap", 0]] as const) {
        const whole = structureTensorEigenvaluesOfImage(volume, {
          sigma: SIGMA,
          mode,
          cval,
        });
        await structureTensorEigenvaluesTiff(
          `${folder}/in.tif`,
          `${folder}/o.tif`,
          { sigma: SIGMA, mode, cval, blockPlanes: 4, threads: 2 },
        );
        const { data } = await readTiff(`${folder}/o.tif`);
        assertSameEigenvalues(data, whole, `${dtype} ${mode}`);
      }
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("blockEigenvalues reuses one input and one output buffer for every block", () => {
  const volume = randomVolume([9, 6, 7], 2);
  const planeSize = 6 * 7;
  const eigenvaluesOf = blockEigenvalues({
    plane: [6, 7],
    maxDepth: 9,
    maxOutputPlanes: 3,
    dtype: "uint16",
    sigmas: [1, 1, 1],
    spacing: null,
    mode: "reflect",
    cval: 0,
    precision: "float64",
    threads: 2,
  });
  const whole = structureTensorEigenvaluesOfImage(volume, {
    sigma: 1,
    mode: "reflect",
  });
  const buffers = new Set<ArrayBufferLike>();
  for (const [first, end] of [[0, 3], [3, 6], [6, 9]]) {
    const eigen = eigenvaluesOf(volume.data, 9, first, end);
    buffers.add(eigen.buffer);
    assert.ok(eigen.buffer instanceof SharedArrayBuffer);
    for (let rank = 0; rank < 3; rank++) {
      const from = (rank * 9 + first) * planeSize;
      assert.deepEqual(
        [...eigen.subarray(rank * 3 * planeSize, (rank + 1) * 3 * planeSize)],
        [...whole.data.subarray(from, from + 3 * planeSize)],
        `planes ${first}..${end} rank ${rank}`,
      );
    }
  }
  assert.equal(buffers.size, 1);
});

Deno.test("openTiffPlanes reads page ranges and one channel of a hyperstack", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const values = new Float32Array(4 * 2 * 3 * 5).map((_, i) => i * 0.25);
    const stack = ndarray(values, [4, 2, 3, 5]);
    await writeTiff(`${folder}/czyx.tif`, stack, { axes: "ZCYX" });
    await rejects(
      () => openTiffPlanes(`${folder}/czyx.tif`),
      "options.channel",
    );
    const reader = await openTiffPlanes(`${folder}/czyx.tif`, { channel: 1 });
    assertEquals(reader.shape, [4, 3, 5]);
    assertEquals(reader.dtype, "float32");
    const planes = await reader.readPlanes(1, 3);
    for (let z = 0; z < 3; z++) {
      for (let y = 0; y < 3; y++) {
        for (let x = 0; x < 5; x++) {
          assertEquals(planes.get(z, y, x), stack.get(z + 1, 1, y, x));
        }
      }
    }
    await rejects(() => reader.readPlanes(3, 2), "start + count <= 4");
    reader.close();
    await rejects(() => reader.readPlanes(0, 1), "closed");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

/** A big-endian uint16 TIFF with two strips per page, built by hand. */
function bigEndianTiff(
  values: Uint16Array,
  pages: number,
  height: number,
  width: number,
) {
  const pageBytes = height * width * 2;
  const dataAt = 8;
  const ifdAt = dataAt + pages * pageBytes;
  const rowsPerStrip = Math.ceil(height / 2);
  const tags = 9;
  const ifdBytes = 2 + 12 * tags + 4 + 16; // plus 2 strip offsets, 2 counts
  const bytes = new Uint8Array(ifdAt + pages * ifdBytes);
  const view = new DataView(bytes.buffer);
  bytes[0] = bytes[1] = 0x4d;
  view.setUint16(2, 42);
  view.setUint32(4, ifdAt);
  values.forEach((v, i) => view.setUint16(dataAt + 2 * i, v));
  for (let page = 0; page < pages; page++) {
    const at = ifdAt + page * ifdBytes;
    const arrays = at + 2 + 12 * tags + 4;
    const start = dataAt + page * pageBytes;
    const firstBytes = rowsPerStrip * width * 2;
    view.setUint32(arrays, start);
    view.setUint32(arrays + 4, start + firstBytes);
    view.setUint32(arrays + 8, firstBytes);
    view.setUint32(arrays + 12, pageBytes - firstBytes);
    const entries = [
      [256, 4, 1, width],
      [257, 4, 1, height],
      [258, 3, 1, 16],
      [259, 3, 1, 1],
      [262, 3, 1, 1],
      [273, 4, 2, arrays],
      [277, 3, 1, 1],
      [278, 4, 1, rowsPerStrip],
      [279, 4, 2, arrays + 8],
    ];
    view.setUint16(at, tags);
    entries.forEach(([tag, type, count, value], i) => {
      const entry = at + 2 + 12 * i;
      view.setUint16(entry, tag);
      view.setUint16(entry + 2, type);
      view.setUint32(entry + 4, count);
      if (type === 3) view.setUint16(entry + 8, value);
      else view.setUint32(entry + 8, value);
    });
    view.setUint32(at + 2 + 12 * tags, page === pages - 1 ? 0 : at + ifdBytes);
  }
  return bytes;
}

Deno.test("openTiffPlanes reads big-endian files with several strips per page like readTiff", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const values = new Uint16Array(3 * 5 * 4).map((_, i) => i * 1000 + 1);
    await Deno.writeFile(`${folder}/mm.tif`, bigEndianTiff(values, 3, 5, 4));
    const expected = (await readTiff(`${folder}/mm.tif`)).data;
    const reader = await openTiffPlanes(`${folder}/mm.tif`);
    assertEquals(reader.shape, [3, 5, 4]);
    const planes = await reader.readPlanes(0, 3);
    reader.close();
    assertEquals(Array.from(planes.data), Array.from(expected.data));
    assertEquals(planes.get(2, 4, 3), values[59]);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createTiffPageWriter: abort and errors leave no temporary file", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const writer = await createTiffPageWriter(`${folder}/a.tif`, {
      height: 2,
      width: 2,
      dtype: "uint16",
    });
    await writer.writePage(new Uint16Array(4));
    await rejects(
      () => writer.writePage(new Uint16Array(3)),
      "Uint16Array of 4 values",
    );
    assertEquals([...Deno.readDirSync(folder)], []);
    const channels = await createTiffPageWriter(`${folder}/b.tif`, {
      height: 1,
      width: 1,
      dtype: "float64",
      channels: 3,
    });
    await channels.writePage(new Float64Array(1));
    await rejects(() => channels.close(), "multiple of 3 pages");
    assertEquals([...Deno.readDirSync(folder)], []);
    await rejects(
      () =>
        createTiffPageWriter(`${folder}/x.tif`, {
          height: 1,
          width: 1,
          dtype: "int8" as "uint16",
        }),
      "options.dtype",
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("structureTensorEigenvaluesTiff: argument and file errors", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const volume = randomVolume([5, 6, 7], 5);
    const bytes = encodeTiff(volume, { axes: "ZYX" });
    await Deno.writeFile(`${folder}/in.tif`, bytes);
    const run = (input: string, options: Record<string, unknown>) => () =>
      structureTensorEigenvaluesTiff(input, `${folder}/out.tif`, options);
    await rejects(run(`${folder}/missing.tif`, {}), "no such file");
    for (const blockPlanes of [0, 1.5, -2, "3"]) {
      await rejects(
        run(`${folder}/in.tif`, { blockPlanes }),
        "blockPlanes must be an integer >= 1",
      );
    }
    await rejects(run(`${folder}/in.tif`, { sigma: -1 }), "sigma must be");
    await rejects(run(`${folder}/in.tif`, { sigma: [1, 1] }), "sigma must be");
    await rejects(run(`${folder}/in.tif`, { mode: "edge" }), "mode must be");
    await rejects(run(`${folder}/in.tif`, { cval: NaN }), "cval must be");
    await rejects(
      run(`${folder}/in.tif`, { precision: "float16" }),
      "precision",
    );

    // Uncompressed strips marked deflate: the error names the file, page and strip.
    await Deno.writeFile(`${folder}/deflate.tif`, patchTag(bytes, 259, 8));
    await rejects(
      run(`${folder}/deflate.tif`, {}),
      `openTiffPlanes: ${folder}/deflate.tif: cannot decode page 0 strip 0`,
    );
    await rejects(
      run(
        new URL("./fixtures/tiff/rgb_contig_zyxs_u16.tif", import.meta.url)
          .pathname,
        {},
      ),
      "page 0 has 3 interleaved samples per pixel; expected 1",
    );

    // The last page's strip lies past the end: the failure comes after
    // earlier blocks were written, and the temporary output must go.
    await Deno.writeFile(
      `${folder}/truncated.tif`,
      patchTag(bytes, 273, bytes.length + 100, true),
    );
    await rejects(
      run(`${folder}/truncated.tif`, { blockPlanes: 1 }),
      "truncated",
    );
    const names = [...Deno.readDirSync(folder)].map((e) => e.name).sort();
    assertEquals(names, ["deflate.tif", "in.tif", "truncated.tif"]);
    await rejects(
      () =>
        structureTensorEigenvaluesTiff(
          `${folder}/in.tif`,
          `${folder}/no/out.tif`,
        ),
      "does not exist",
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("chunked eigenvalues of deflate, LZW, PackBits and tiled files equal the whole-volume ones", async () => {
  const folder = await Deno.makeTempDir();
  try {
    for (
      const [name, channel] of [
        ["imagej_hyperstack_zcyx_u16_deflate.tif", 1],
        ["imagej_hyperstack_zcyx_u16_lzw_predictor.tif", 2],
        ["packbits_zyx_u16.tif", undefined],
        ["tiled_deflate_zyx_u16.tif", undefined],
      ] as const
    ) {
      const input = new URL(`./fixtures/tiff/${name}`, import.meta.url);
      const { data } = await readTiff(input);
      const volume = channel === undefined ? data : data.pick(null, channel);
      for (const mode of ["reflect", "wrap"] as const) {
        const whole = structureTensorEigenvaluesOfImage(volume, {
          sigma: SIGMA,
          mode,
        });
        await structureTensorEigenvaluesTiff(input, `${folder}/o.tif`, {
          sigma: SIGMA,
          mode,
          blockPlanes: 2,
          ...(channel === undefined ? {} : { channel }),
        });
        const { data: chunked } = await readTiff(`${folder}/o.tif`);
        assertSameEigenvalues(chunked, whole, `${name} ${mode}`);
      }
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("the chunked output carries the input's voxel size and unit, float64 and float32", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const volume = randomVolume([4, 6, 5], 9);
    const metadata = {
      physicalSizes: { X: 1.24, Y: 0.3, Z: 2.5 },
      physicalUnit: "µm",
    };
    await writeTiff(`${folder}/sized.tif`, volume, { axes: "ZYX", metadata });
    await writeTiff(`${folder}/plain.tif`, volume, { axes: "ZYX" });
    for (const precision of ["float64", "float32"] as const) {
      await structureTensorEigenvaluesTiff(
        `${folder}/sized.tif`,
        `${folder}/o.tif`,
        { sigma: 1, precision },
      );
      const out = await readTiff(`${folder}/o.tif`);
      assertEquals(
        [out.axes, out.metadata.dtype, out.metadata.physicalSizes],
        ["ZCYX", precision, metadata.physicalSizes],
      );
      assertEquals(out.metadata.physicalUnit, "µm");
      // X and Y as the same resolution rationals as writeTiff's.
      const input = await readTiff(`${folder}/sized.tif`);
      assertEquals(out.metadata.resolution, input.metadata.resolution);
      await structureTensorEigenvaluesTiff(
        `${folder}/plain.tif`,
        `${folder}/p.tif`,
        { sigma: 1, precision },
      );
      const plain = await readTiff(`${folder}/p.tif`);
      assertEquals(
        [plain.metadata.physicalSizes, plain.metadata.physicalUnit],
        [{}, undefined],
      );
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("ome: true writes the eigenvalues as an OME-TIFF: ZCYX, channels named, the input's voxel size", async () => {
  const folder = await Deno.makeTempDir();
  try {
    const volume = randomVolume([5, 6, 7], 11);
    // An OME-TIFF input in nm: its sizes read back in µm, as OME-TIFF ones do.
    await writeTiff(`${folder}/in.ome.tif`, volume, {
      axes: "ZYX",
      ome: true,
      metadata: {
        physicalSizes: { X: 650, Y: 650, Z: 2000 },
        physicalUnit: "nm",
      },
    });
    const whole = structureTensorEigenvaluesOfImage(volume, {
      sigma: 1,
      mode: "reflect",
    });
    await structureTensorEigenvaluesTiff(
      `${folder}/in.ome.tif`,
      `${folder}/eigen.ome.tif`,
      { sigma: 1, mode: "reflect", blockPlanes: 2, ome: true },
    );
    const { data, axes, metadata } = await readTiff(`${folder}/eigen.ome.tif`);
    assertEquals(
      [axes, metadata.dtype, metadata.ome?.dimensionOrder, metadata.imagej],
      ["ZCYX", "float64", "XYCZT", undefined],
    );
    assertEquals(metadata.ome?.sizes, { X: 7, Y: 6, Z: 5, C: 3, T: 1 });
    assertEquals(metadata.channelNames, [
      "eigenvalue 0",
      "eigenvalue 1",
      "eigenvalue 2",
    ]);
    assertEquals(
      [metadata.physicalSizes, metadata.physicalUnit],
      [{ X: 0.65, Y: 0.65, Z: 2 }, "µm"],
    );
    assertSameEigenvalues(data, whole, "ome");
    await rejects(
      () =>
        structureTensorEigenvaluesTiff(
          `${folder}/in.ome.tif`,
          `${folder}/x.tif`,
          {
            ome: 1 as unknown as boolean,
          },
        ),
      "structureTensorEigenvaluesTiff: ome must be true or false, got 1",
    );
    // A unit OME-XML cannot state: refused before any output.
    await writeTiff(`${folder}/furlong.tif`, volume, {
      axes: "ZYX",
      metadata: { physicalSizes: { Z: 2 }, physicalUnit: "furlong" },
    });
    await rejects(
      () =>
        structureTensorEigenvaluesTiff(
          `${folder}/furlong.tif`,
          `${folder}/x.tif`,
          {
            ome: true,
          },
        ),
      `options.metadata.physicalUnit must be one of OME's length units`,
    );
    assertEquals(
      [...Deno.readDirSync(folder)].map((entry) => entry.name).sort(),
      ["eigen.ome.tif", "furlong.tif", "in.ome.tif"],
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
