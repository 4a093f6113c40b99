/**
 * readTiff on damaged or self-contradicting files, made by patching files that
 * encodeTiff wrote: each fails with an Error naming the file, what was expected
 * and what was found, and never returns partial data.
 */

import { deepStrictEqual as assertEquals, rejects } from "node:assert/strict";
import { ndarray } from "../lib/deps.ts";
import { encodeTiff, readTiff } from "../lib/io/mod.ts";
import { ifdOffsets, patchTag } from "./io_tiff_patches.ts";

/** A 2-plane, 2-channel uint16 hyperstack of 4 x 5 pixels: 4 pages. */
function hyperstack(): Uint8Array {
  const data = ndarray(new Uint16Array(2 * 2 * 4 * 5).map((_, i) => i), [
    2,
    2,
    4,
    5,
  ]);
  return encodeTiff(data, { axes: "ZCYX" });
}

/** Replaces the description with `text`, padded with spaces to the same length. */
function patchDescription(bytes: Uint8Array, text: string): Uint8Array {
  const patched = bytes.slice();
  const end = patched.indexOf(0, 8);
  if (text.length > end - 8) {
    throw new Error("description too long for the patch");
  }
  patched.set(new TextEncoder().encode(text.padEnd(end - 8, " ")), 8);
  return patched;
}

Deno.test("the patch helpers leave a readable file when the patch is harmless", async () => {
  const harmless = patchDescription(
    patchTag(hyperstack(), 1, 254, 0),
    "ImageJ=1.11a\nimages=4\nchannels=2\nslices=2",
  );
  const image = await readTiff(harmless);
  assertEquals([image.axes, image.data.shape], ["ZCYX", [2, 2, 4, 5]]);
});

Deno.test("readTiff refuses pages of different sizes", async () => {
  await rejects(
    () => readTiff(patchTag(hyperstack(), 2, 257, 3), { name: "mixed.tif" }),
    /readTiff: mixed\.tif: inconsistent pages: expected every page to be 5x4 of uint16 like page 0, page 2 is 5x3 of uint16/,
  );
});

Deno.test("readTiff refuses pages of different sample types", async () => {
  await rejects(
    () => readTiff(patchTag(hyperstack(), 3, 339, 2)),
    /inconsistent pages: expected every page to be 5x4 of uint16 like page 0, page 3 is 5x4 of int16/,
  );
});

Deno.test("readTiff refuses sample types it cannot represent", async () => {
  await rejects(
    () => readTiff(patchTag(hyperstack(), 0, 258, 12)),
    /page 0: unsupported samples: expected 8, 16 or 32-bit integers or 32 or 64-bit floats, found 12-bit SampleFormat 1/,
  );
});

Deno.test("readTiff refuses strips that run past the end of the file", async () => {
  const bytes = hyperstack();
  await rejects(
    () => readTiff(patchTag(bytes, 1, 279, 100_000)),
    new RegExp(
      `the file is truncated: page 1 strip 0 spans bytes \\d+\\.\\.\\d+ but the file has ${bytes.length} bytes`,
    ),
  );
});

Deno.test("readTiff refuses an IFD chain that loops", async () => {
  const bytes = hyperstack();
  const offsets = ifdOffsets(bytes);
  const looped = bytes.slice();
  const view = new DataView(looped.buffer);
  const last = offsets[offsets.length - 1];
  view.setUint32(last + 2 + 12 * view.getUint16(last, true), offsets[1], true);
  await rejects(
    () => readTiff(looped),
    /corrupt file: IFD 3 links back to the IFD at byte offset \d+ \(a loop\)/,
  );
});

Deno.test("readTiff refuses an ImageJ description whose image count disagrees with the pages", async () => {
  const bytes = patchDescription(
    hyperstack(),
    "ImageJ=1.11a\nimages=6\nchannels=2\nslices=3\nframes=1\nhyperstack=true\n",
  );
  await rejects(
    () => readTiff(bytes, { name: "lying.tif" }),
    /readTiff: lying\.tif: ImageJ description says images=6 \(2 channels x 3 slices x 1 frames\) but the file has 4 pages/,
  );
});

Deno.test("readTiff refuses an ImageJ description whose dimensions disagree with its image count", async () => {
  const bytes = patchDescription(
    hyperstack(),
    "ImageJ=1.11a\nimages=4\nchannels=3\nslices=2\nframes=1\n",
  );
  await rejects(
    () => readTiff(bytes),
    /ImageJ description says images=4 but channels x slices x frames = 3 x 2 x 1 = 6/,
  );
  await rejects(
    () =>
      readTiff(
        patchDescription(
          hyperstack(),
          "ImageJ=1.11a\nimages=4\nchannels=two\n",
        ),
      ),
    /ImageJ description: expected channels to be a positive integer, found "two"/,
  );
});

Deno.test("readTiff refuses a tifffile shape that disagrees with the pages", async () => {
  await rejects(
    () =>
      readTiff(
        patchDescription(
          hyperstack(),
          '{"shape": [3, 2, 4, 5], "axes": "ZCYX"}',
        ),
      ),
    /description gives shape \[3, 2, 4, 5\] \(120 values\) but the file holds 4 pages of 4x5 \(80 values\)/,
  );
  await rejects(
    () =>
      readTiff(
        patchDescription(
          hyperstack(),
          '{"shape": [2, 2, 4, 5], "axes": "ZYX"}',
        ),
      ),
    /description gives axes "ZYX" for shape \[2, 2, 4, 5\]; expected one letter per axis/,
  );
});

Deno.test("readTiff names axes a tifffile shape leaves unnamed Q, and falls back to Z for plain stacks", async () => {
  const shaped = await readTiff(
    patchDescription(hyperstack(), '{"shape": [2, 2, 4, 5]}'),
  );
  assertEquals([shaped.axes, shaped.data.shape], ["QQYX", [2, 2, 4, 5]]);
  const plain = await readTiff(
    patchDescription(hyperstack(), "no structured description"),
  );
  assertEquals([plain.axes, plain.data.shape], ["ZYX", [4, 4, 5]]);
});

Deno.test("readTiff refuses headers that are too short or of another version", async () => {
  await rejects(
    () => readTiff(new Uint8Array([0x49, 0x49, 42, 0])),
    /the file is 4 bytes long; a TIFF header alone takes 8 bytes/,
  );
  await rejects(
    () => readTiff(new Uint8Array([0x49, 0x49, 41, 0, 8, 0, 0, 0])),
    /not a TIFF file: expected version 42 \(TIFF\) or 43 \(BigTIFF\) at byte 2, found 41/,
  );
  await rejects(
    () => readTiff(new Uint8Array([0x4d, 0x4d, 0, 42, 0, 0, 0, 0])),
    /the file holds no image: its first IFD offset is 0/,
  );
  const bytes = hyperstack();
  await rejects(
    () => readTiff(bytes.subarray(0, bytes.length - 10)),
    new RegExp(
      `the file is truncated: IFD 3 \\(\\d+ entries\\) spans bytes \\d+\\.\\.${bytes.length} but the file has ${
        bytes.length - 10
      } bytes`,
    ),
  );
});

Deno.test("readTiff refuses uncompressed strips shorter than their rows", async () => {
  await rejects(
    () => readTiff(patchTag(hyperstack(), 1, 279, 10)),
    /corrupt page 1: strip 0 holds 10 bytes, expected 40 for 4 rows/,
  );
  await rejects(
    () => readTiff(patchTag(hyperstack(), 2, 278, 1)),
    /corrupt page 2: expected 4 strips of 1 rows, found 1/,
  );
});
