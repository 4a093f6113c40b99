/**
 * openTiffPlanes and readTiff read through the same directory reader and page
 * decoder: on every fixture (tests/fixtures/tiff, ../shared/fixtures/tiff,
 * tests/fixtures/io: compressed, tiled, both byte orders) and on damaged files
 * they agree, planes for planes (channel by channel) and error for error;
 * files that cannot be streamed fail, saying why. Reads go one strip or tile
 * at a time, and the voxel size is readTiff's.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
  rejects as assertRejects,
} from "node:assert/strict";
import { ndarray } from "../lib/deps.ts";
import {
  encodeTiff,
  openTiffPlanes,
  readTiff,
  writeTiff,
} from "../lib/io/mod.ts";
import {
  entryValues,
  ifdOffsets,
  mapTiff,
  patchTag,
} from "./io_tiff_patches.ts";

const FOLDERS = [
  new URL("./fixtures/tiff/", import.meta.url),
  new URL("../../shared/fixtures/tiff/", import.meta.url),
  new URL("./fixtures/io/", import.meta.url),
  new URL("./fixtures/io/ome/", import.meta.url),
];

function tiffFiles(): URL[] {
  const files: URL[] = [];
  for (const folder of FOLDERS) {
    let entries: Deno.DirEntry[];
    try {
      entries = [...Deno.readDirSync(folder)];
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.endsWith(".tif")) files.push(new URL(entry.name, folder));
    }
  }
  return files.sort((a, b) => a.href < b.href ? -1 : 1);
}

/** The error message after "fn: ", or undefined when `action` succeeds. */
async function failureOf(action: () => Promise<unknown>) {
  try {
    await action();
    return undefined;
  } catch (error) {
    return (error as Error).message.replace(/^\w+: /, "");
  }
}

/** Opens `path` and reads every plane of `channel`. */
async function readAllPlanes(path: string, channel: number) {
  const reader = await openTiffPlanes(path, { channel });
  try {
    return { reader, planes: await reader.readPlanes(0, reader.shape[0]) };
  } finally {
    reader.close();
  }
}

/** Checks that openTiffPlanes reads `path` as readTiff does, or fails saying why it cannot. */
async function assertAgree(path: string): Promise<"planes" | "refused"> {
  const readFailure = await failureOf(() => readTiff(path));
  if (readFailure !== undefined) {
    assertEquals(
      await failureOf(() => readAllPlanes(path, 0)),
      readFailure,
      path,
    );
    return "refused";
  }
  const image = await readTiff(path);
  const { metadata, axes, data } = image;
  const refusal = await failureOf(() => openTiffPlanes(path, { channel: 0 }));
  if (refusal !== undefined) {
    assert(metadata.samplesPerPixel !== 1, `${path}: ${refusal}`);
    assert(
      refusal.includes(
        `page 0 has ${metadata.samplesPerPixel} ${
          metadata.planarConfiguration === "separate" ? "planar" : "interleaved"
        } samples per pixel; expected 1`,
      ),
      `${path}: ${refusal}`,
    );
    return "refused";
  }
  // readTiff's axes before YX: the channel axis, if any, and the plane axes.
  const leading = [...axes.slice(0, -2)];
  const channelAxis = leading.indexOf("C");
  const channels = channelAxis < 0 ? 1 : data.shape[channelAxis];
  const planeAxes = leading.flatMap((axis, i) => axis === "C" ? [] : [i]);
  const planes = planeAxes.reduce((n, i) => n * data.shape[i], 1);
  for (let channel = 0; channel < channels; channel++) {
    const { reader, planes: read } = await readAllPlanes(path, channel);
    assertEquals(reader.shape, [planes, metadata.height, metadata.width]);
    assertEquals(reader.dtype, metadata.dtype);
    assertEquals(reader.physicalSizes, metadata.physicalSizes, path);
    assertEquals(reader.physicalUnit, metadata.physicalUnit, path);
    for (let plane = 0; plane < planes; plane++) {
      // The plane's index along each plane axis, in C order, with the channel.
      const index: (number | null)[] = [...leading.map(() => 0), null, null];
      let rest = plane;
      for (const i of [...planeAxes].reverse()) {
        index[i] = rest % data.shape[i];
        rest = Math.floor(rest / data.shape[i]);
      }
      if (channelAxis >= 0) index[channelAxis] = channel;
      const expected = data.pick(...index);
      const got = read.pick(plane, null, null);
      const values = (array: typeof got) =>
        Array.from(
          { length: metadata.height * metadata.width },
          (_, i) =>
            array.get(Math.floor(i / metadata.width), i % metadata.width),
        );
      assertEquals(
        values(got),
        values(expected),
        `${path} channel ${channel} plane ${plane}`,
      );
    }
  }
  return "planes";
}

Deno.test("openTiffPlanes and readTiff agree on every fixture", async () => {
  const outcomes: Record<string, number> = { planes: 0, refused: 0 };
  for (const url of tiffFiles()) outcomes[await assertAgree(url.pathname)]++;
  // The single-sample files (10 in each copy of tests/fixtures/tiff: deflate,
  // LZW with predictor, PackBits and tiled ones among them, 7 in
  // tests/fixtures/io, 5 OME-TIFFs in tests/fixtures/io/ome, their planes
  // where their TiffData puts them) are read plane by plane; RGB and broken
  // ones (and the multi-file OME set) are refused, as readTiff refuses them.
  const shared = tiffFiles().filter((url) => url.pathname.includes("/shared/"));
  const copies = shared.length > 0 ? 2 : 1;
  assertEquals(outcomes, {
    planes: 10 * copies + 7 + 5,
    refused: 5 * copies + 2 + 2,
  });
});

Deno.test("openTiffPlanes and readTiff fail alike on damaged files", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const values = new Uint16Array(4 * 3 * 5).map((_, i) => i);
    const bytes = encodeTiff(ndarray(values, [4, 3, 5]), { axes: "ZYX" });
    const offsets = ifdOffsets(bytes);
    const looped = bytes.slice();
    const view = new DataView(looped.buffer);
    // The last IFD links back to the second.
    view.setUint32(
      offsets[3] + 2 + 12 * view.getUint16(offsets[3], true),
      offsets[1],
      true,
    );
    const truncated = bytes.slice();
    // The first IFD lies past the end.
    new DataView(truncated.buffer).setUint32(4, bytes.length + 2, true);
    const damaged: Record<string, Uint8Array> = {
      "looped.tif": looped,
      "inconsistent.tif": patchTag(bytes, 1, 256, 9),
      "truncated.tif": truncated,
      "short_strip.tif": patchTag(bytes, 2, 279, 10),
      "foreign.tif": new Uint8Array([0x25, 0x50, ...bytes.subarray(2)]),
    };
    for (const [name, file] of Object.entries(damaged)) {
      await Deno.writeFile(`${folder}/${name}`, file);
      assertEquals(await assertAgree(`${folder}/${name}`), "refused", name);
    }
    await Deno.writeFile(`${folder}/good.tif`, bytes);
    assertEquals(await assertAgree(`${folder}/good.tif`), "planes");
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("openTiffPlanes reads a compressed or tiled file one strip or tile at a time", async () => {
  const reads: number[] = [];
  const read = Deno.FsFile.prototype.read;
  Deno.FsFile.prototype.read = function (buffer: Uint8Array) {
    reads.push(buffer.length);
    return read.call(this, buffer);
  };
  try {
    for (
      const [name, channel] of [
        ["tiled_deflate_zyx_u16.tif", 0],
        ["imagej_hyperstack_zcyx_u16_lzw_predictor.tif", 2],
      ] as const
    ) {
      const path = new URL(`./fixtures/tiff/${name}`, import.meta.url);
      const file = await Deno.readFile(path);
      const reader = await openTiffPlanes(path, { channel });
      reads.length = 0;
      const planes = await reader.readPlanes(1, 2);
      reader.close();
      const { data } = await readTiff(file);
      const expected = data.shape.length === 4
        ? data.pick(null, channel)
        : data;
      assertEquals(planes.get(1, 7, 9), expected.get(2, 7, 9), name);
      // Exactly one read per strip or tile of the pages of planes 1 and 2.
      const channels = data.shape.length === 4 ? data.shape[1] : 1;
      const pages = [1, 2].map((plane) => plane * channels + channel);
      const map = mapTiff(file);
      const blockBytes = map.entries
        .filter((e) =>
          pages.includes(e.page) && (e.tag === 279 || e.tag === 325)
        )
        .flatMap((entry) => entryValues(file, map, entry));
      assertEquals(reads.sort(), blockBytes.sort(), name);
    }
  } finally {
    Deno.FsFile.prototype.read = read;
  }
});

Deno.test("openTiffPlanes gives readTiff's voxel size and refuses what it cannot tell apart", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const volume = ndarray(
      new Uint16Array(3 * 2 * 4 * 5).map((_, i) => i),
      [3, 2, 4, 5],
    );
    const metadata = {
      physicalSizes: { X: 0.25, Y: 0.5, Z: 1.5 },
      physicalUnit: "µm",
    };
    await writeTiff(`${folder}/sized.tif`, volume, { axes: "ZCYX", metadata });
    const reader = await openTiffPlanes(`${folder}/sized.tif`, { channel: 1 });
    reader.close();
    assertEquals(
      [reader.shape, reader.physicalSizes, reader.physicalUnit],
      [[3, 4, 5], metadata.physicalSizes, "µm"],
    );

    const bytes = encodeTiff(volume, { axes: "ZCYX" });
    // Same-length descriptions in place of the ImageJ one.
    const start = new TextDecoder().decode(bytes).indexOf("ImageJ=");
    const length = bytes.indexOf(0, start) - start;
    const described = (text: string) => {
      const copy = bytes.slice();
      copy.set(new TextEncoder().encode(text.padEnd(length)), start);
      return copy;
    };
    const refused: [string, string][] = [
      // readTiff's rule, so readTiff's message.
      ["<OME/>", "OME-XML: expected the OME element"],
      [
        '{"shape": [2, 3, 5, 4], "axes": "CZYX"}',
        "the file's axes are CZYX with shape [2, 3, 5, 4]; expected axes ending in YX over pages of 4 x 5",
      ],
    ];
    for (const [text, message] of refused) {
      await Deno.writeFile(`${folder}/d.tif`, described(text));
      const failure = await failureOf(() =>
        openTiffPlanes(`${folder}/d.tif`, { channel: 0 })
      );
      assert(failure?.includes(`${folder}/d.tif: ${message}`), failure);
    }
    // A C axis first: a channel's pages are one block, not interleaved.
    await Deno.writeFile(
      `${folder}/czyx.tif`,
      described('{"shape": [2, 3, 4, 5], "axes": "CZYX"}'),
    );
    const values = Uint16Array.from(
      (await readTiff(`${folder}/czyx.tif`)).data.pick(1).data.subarray(60),
    );
    const czyx = await openTiffPlanes(`${folder}/czyx.tif`, { channel: 1 });
    const planes = await czyx.readPlanes(0, 3);
    czyx.close();
    assertEquals(czyx.shape, [3, 4, 5]);
    assertEquals(planes.data, values);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("openTiffPlanes readBox reads only the strips or tiles its box overlaps", async () => {
  const reads: number[] = [];
  const read = Deno.FsFile.prototype.read;
  Deno.FsFile.prototype.read = function (buffer: Uint8Array) {
    reads.push(buffer.length);
    return read.call(this, buffer);
  };
  try {
    const path = new URL(
      "./fixtures/tiff/tiled_deflate_zyx_u16.tif",
      import.meta.url,
    );
    const file = await Deno.readFile(path);
    const { data } = await readTiff(file);
    const reader = await openTiffPlanes(path);
    reads.length = 0;
    // Rows and columns 0 to 15: the first tile (16 × 16) of planes 1 and 2.
    const box = await reader.readBox([1, 3], [0, 16], [0, 16]);
    const reads16 = [...reads];
    // Straddling tile edges by one row and one column on each side.
    const edges = await reader.readBox([0, 3], [15, 17], [15, 17]);
    reader.close();
    reads.length = 0;
    reads.push(...reads16);
    for (let z = 0; z < 3; z++) {
      for (let y = 0; y < 2; y++) {
        for (let x = 0; x < 2; x++) {
          assertEquals(edges.get(z, y, x), data.get(z, 15 + y, 15 + x));
        }
      }
    }
    assertEquals(box.shape, [2, 16, 16]);
    assertEquals(box.get(1, 7, 9), data.get(2, 7, 9));
    const map = mapTiff(file);
    const firstTiles = [1, 2].map((page) =>
      entryValues(
        file,
        map,
        map.entries.find((e) => e.page === page && e.tag === 325)!,
      )[0]
    );
    assertEquals(reads.sort(), firstTiles.sort());
    await assertRejects(
      () => reader.readBox([0, 1], [0, 1], [0, 1]),
      /readBox: the reader is closed/,
    );
  } finally {
    Deno.FsFile.prototype.read = read;
  }
});

Deno.test("openTiffPlanes readBox reads only the rows of the box from an uncompressed strip", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  const reads: number[] = [];
  const read = Deno.FsFile.prototype.read;
  try {
    const stack = ndarray(
      new Uint16Array(3 * 40 * 24).map((_, i) => i),
      [3, 40, 24],
    );
    await writeTiff(`${folder}/s.tif`, stack, { axes: "ZYX" });
    const reader = await openTiffPlanes(`${folder}/s.tif`);
    Deno.FsFile.prototype.read = function (buffer: Uint8Array) {
      reads.push(buffer.length);
      return read.call(this, buffer);
    };
    const box = await reader.readBox([1, 3], [10, 14], [2, 5]);
    Deno.FsFile.prototype.read = read;
    reader.close();
    assertEquals(box.get(1, 3, 2), stack.get(2, 13, 4));
    // Rows 10 to 13 of each page: 4 rows of 24 uint16 values.
    assertEquals(reads, [4 * 24 * 2, 4 * 24 * 2]);
  } finally {
    Deno.FsFile.prototype.read = read;
    await Deno.remove(folder, { recursive: true });
  }
});
