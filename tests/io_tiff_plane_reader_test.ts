/**
 * openTiffPlanes and readTiff read through the same directory reader and page
 * decoder: on every fixture (tests/fixtures/tiff, ../shared/fixtures/tiff,
 * tests/fixtures/io) and on damaged files they agree, planes for planes and
 * error for error; files that cannot be streamed fail, saying why.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { ndarray } from "../lib/deps.ts";
import { encodeTiff, openTiffPlanes, readTiff } from "../lib/io/mod.ts";
import { ifdOffsets, patchTag } from "./io_tiff_patches.ts";

const FOLDERS = [
  new URL("./fixtures/tiff/", import.meta.url),
  new URL("../../shared/fixtures/tiff/", import.meta.url),
  new URL("./fixtures/io/", import.meta.url),
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
  const { metadata } = image;
  const refusal = await failureOf(() => openTiffPlanes(path, { channel: 0 }));
  if (refusal !== undefined) {
    const reason = metadata.compression !== 1
      ? `${metadata.compressionName}-compressed pages cannot be read plane by plane`
      : metadata.samplesPerPixel !== 1
      ? "expected 1 sample per pixel"
      : "tiled pages cannot be read plane by plane";
    assert(refusal.includes(reason), `${path}: ${refusal}`);
    return "refused";
  }
  const channels = Number(metadata.imagej?.channels ?? 1);
  const pageValues = metadata.width * metadata.height;
  for (let channel = 0; channel < channels; channel++) {
    const { reader, planes: read } = await readAllPlanes(path, channel);
    const planes = metadata.pageCount / channels;
    assertEquals(reader.shape, [planes, metadata.height, metadata.width]);
    assertEquals(reader.dtype, metadata.dtype);
    for (let plane = 0; plane < planes; plane++) {
      const page = plane * channels + channel;
      assertEquals(
        Array.from(
          read.data.subarray(plane * pageValues, (plane + 1) * pageValues),
        ),
        Array.from(
          image.data.data.subarray(page * pageValues, (page + 1) * pageValues),
        ),
        `${path} channel ${channel} plane ${plane}`,
      );
    }
  }
  return "planes";
}

Deno.test("openTiffPlanes and readTiff agree on every fixture", async () => {
  const outcomes: Record<string, number> = { planes: 0, refused: 0 };
  for (const url of tiffFiles()) outcomes[await assertAgree(url.pathname)]++;
  // The uncompressed single-sample files (6 in each copy of tests/fixtures/tiff,
  // 7 in tests/fixtures/io) are read plane by plane; compressed, tiled, RGB
  // and broken ones are refused.
  const shared = tiffFiles().filter((url) => url.pathname.includes("/shared/"));
  const copies = shared.length > 0 ? 2 : 1;
  assertEquals(outcomes, {
    planes: 6 * copies + 7,
    refused: 9 * copies + 2,
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
