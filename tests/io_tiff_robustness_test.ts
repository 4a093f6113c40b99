/**
 * readTiff (and openTiffPlanes) on damaged, hostile or self-contradicting
 * files, made by patching files that encodeTiff wrote or the fixtures: each
 * fails within a second with an Error naming the file, what was expected and
 * what was found, and never returns partial or wrong data.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
  rejects,
} from "node:assert/strict";
import { ndarray } from "../lib/deps.ts";
import { memorySource } from "../lib/io/_byte_source.ts";
import { encodeTiff, openTiffPlanes, readTiff } from "../lib/io/mod.ts";
import {
  ifdOffsets,
  mapTiff,
  patchCount,
  patchTag,
  patchType,
  writeOffset,
} from "./io_tiff_patches.ts";

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
  // The decoder's check, or the layout's before anything is allocated.
  await rejects(
    () => readTiff(patchTag(hyperstack(), 1, 279, 10)),
    /corrupt page 1: strip 0 holds 10 bytes, expected 40 for 4 rows|page 1 claims 40 bytes of uint16 samples, more than the 10 bytes of its strips can hold uncompressed/,
  );
  await rejects(
    () => readTiff(patchTag(hyperstack(), 2, 278, 1)),
    /corrupt page 2: expected 4 strips of 1 rows, found 1/,
  );
});

const FIXTURES = new URL("./fixtures/tiff/", import.meta.url);

/** What readTiff and openTiffPlanes make of `bytes`: the same Error from both, or values. */
async function bothRefuse(bytes: Uint8Array, pattern: RegExp): Promise<void> {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const path = `${folder}/hostile.tif`;
    await Deno.writeFile(path, bytes);
    await rejects(() => readTiff(bytes, { name: "hostile.tif" }), (error) => {
      assert(error instanceof Error && !(error instanceof RangeError));
      assert(
        error.message.startsWith("readTiff: hostile.tif: "),
        error.message,
      );
      assert(pattern.test(error.message), error.message);
      return true;
    });
    await rejects(async () => {
      const reader = await openTiffPlanes(path, { channel: 0 });
      try {
        await reader.readPlanes(0, reader.shape[0]);
      } finally {
        reader.close();
      }
    }, (error) => {
      assert(error instanceof Error && !(error instanceof RangeError));
      assert(
        error.message.startsWith(`openTiffPlanes: ${path}: `),
        error.message,
      );
      assert(pattern.test(error.message), error.message);
      return true;
    });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("readTiff and openTiffPlanes refuse a strip offset of 0 instead of returning the header as pixels", async () => {
  await bothRefuse(
    patchTag(hyperstack(), 0, 273, 0),
    /corrupt file: the header \(bytes 0\.\.8\) and page 0 strip 0 \(bytes 0\.\.40\) overlap/,
  );
});

Deno.test("readTiff refuses strips over an IFD, over tag values or partly over another strip", async () => {
  const bytes = hyperstack();
  const [, second] = ifdOffsets(bytes);
  await bothRefuse(
    patchTag(bytes, 0, 273, second),
    new RegExp(
      `corrupt file: page 0 strip 0 \\(bytes ${second}\\.\\.${
        second + 40
      }\\) and IFD 1 \\(bytes ${second}\\.\\.\\d+\\) overlap`,
    ),
  );
  // The description is page 0's only out-of-line value.
  await bothRefuse(
    patchTag(bytes, 1, 273, 16),
    /corrupt file: the ImageDescription values of IFD 0 \(bytes 8\.\.91\) and page 1 strip 0 \(bytes 16\.\.56\) overlap/,
  );
  const stripOf = (page: number) =>
    new DataView(bytes.buffer).getUint32(
      mapTiff(bytes).entries.find((e) => e.page === page && e.tag === 273)!
        .valueAt,
      true,
    );
  await bothRefuse(
    patchTag(bytes, 1, 273, stripOf(2) - 2),
    /corrupt file: page 1 strip 0 \(bytes \d+\.\.\d+\) and page 2 strip 0 \(bytes \d+\.\.\d+\) overlap/,
  );
  // Pages may share a strip: both read its values.
  const shared = await readTiff(patchTag(bytes, 1, 273, stripOf(0)));
  assertEquals(
    Array.from(shared.data.pick(0, 1).data.subarray(0, 40)),
    Array.from(shared.data.pick(0, 0).data.subarray(0, 40)),
  );
});

Deno.test("readTiff refuses field types a tag cannot have, and reads any integer type as libtiff does", async () => {
  const bytes = hyperstack();
  // A FLOAT StripOffsets read as a number is a denormal: offset 0, the header as pixels.
  await bothRefuse(
    patchType(bytes, 0, 273, 11),
    /corrupt file: the StripOffsets entry of IFD 0 has field type 11; expected BYTE or SHORT or LONG or SBYTE or SSHORT or SLONG/,
  );
  await bothRefuse(
    patchType(bytes, 2, 278, 12),
    /the RowsPerStrip entry of IFD 2 has field type 12; expected BYTE or SHORT/,
  );
  // LONG8 exists in BigTIFF only.
  await bothRefuse(
    patchType(bytes, 0, 256, 16),
    /the ImageWidth entry of IFD 0 has field type 16; expected BYTE or SHORT or LONG or SBYTE or SSHORT or SLONG$/,
  );
  await bothRefuse(
    patchType(bytes, 0, 270, 7),
    /the ImageDescription entry of IFD 0 has field type 7; expected ASCII/,
  );
  await bothRefuse(
    patchType(patchTag(bytes, 0, 256, 0xffff), 0, 256, 8),
    /the ImageWidth entry of IFD 0 holds the negative value -1; expected a size, count, offset or code/,
  );
  // A SHORT ImageWidth (the LONG's low half here) reads as the same width.
  const narrowed = await readTiff(patchType(bytes, 0, 256, 3));
  assertEquals(narrowed.data.shape, [2, 2, 4, 5]);
});

Deno.test("readTiff refuses value counts a tag cannot have, without an internal error", async () => {
  const bytes = hyperstack();
  await bothRefuse(
    patchCount(bytes, 0, 273, 0x3fffffff),
    new RegExp(
      `the file is truncated: the StripOffsets values of IFD 0 span bytes \\d+\\.\\.\\d+ but the file has ${bytes.length} bytes`,
    ),
  );
  await bothRefuse(
    patchCount(bytes, 0, 256, 2),
    /corrupt file: the ImageWidth entry of IFD 0 holds 2 values; expected 1/,
  );
  await bothRefuse(
    patchCount(bytes, 1, 258, 0),
    /corrupt file: the BitsPerSample entry of IFD 1 holds 0 values; expected at least 1/,
  );
});

Deno.test("readTiff refuses IFDs inside the header, overlapping each other, or naming a tag twice", async () => {
  const bytes = hyperstack();
  const map = mapTiff(bytes);
  const intoHeader = bytes.slice();
  writeOffset(intoHeader, map, 4, 4);
  await bothRefuse(
    intoHeader,
    /corrupt file: IFD 0 should start at byte offset 4, inside the 8-byte header/,
  );
  const overlapping = bytes.slice();
  writeOffset(overlapping, map, map.nextAt[1], map.ifds[1] + 12);
  await bothRefuse(
    overlapping,
    new RegExp(
      `corrupt file: IFD 1 \\(bytes ${
        map.ifds[1]
      }\\.\\.\\d+\\) and IFD 2 \\(bytes ${
        map.ifds[1] + 12
      }\\.\\.\\d+\\) overlap`,
    ),
  );
  const twice = bytes.slice();
  const height = map.entries.find((e) => e.page === 3 && e.tag === 257)!;
  new DataView(twice.buffer).setUint16(height.typeAt - 2, 256, true);
  await bothRefuse(twice, /corrupt file: IFD 3 has two ImageWidth entries/);
});

Deno.test("the byte source names what it could not read", async () => {
  const fail = (message: string) => new Error(`test: file.tif: ${message}`);
  const source = memorySource(new Uint8Array(10), fail);
  await rejects(
    () => source.readAt(6, 8, "page 3 strip 1"),
    /test: file\.tif: the file is truncated: expected page 3 strip 1 \(bytes 6\.\.14\) but the file has 10 bytes/,
  );
  await rejects(
    () => source.readAt(2.5, 2, "page 0 tile 0"),
    /test: file\.tif: corrupt file: cannot read page 0 tile 0 \(bytes 2\.5\.\.4\.5\); expected a whole, non-negative offset and length/,
  );
  await rejects(
    () => source.readAt(-1, 2),
    /cannot read bytes -1\.\.1; expected a whole, non-negative offset and length/,
  );
});

Deno.test("openTiffPlanes refuses a description whose page count the IFD chain does not have", async () => {
  const bytes = hyperstack();
  const map = mapTiff(bytes);
  const cut = bytes.slice();
  writeOffset(cut, map, map.nextAt[1], 0);
  await bothRefuse(
    cut,
    /ImageJ description says images=4 .*but the file has 2 pages/,
  );
});

// The next tests need the page layout changes proposed with this file:
// RowsPerStrip 0, positive sizes, tile sides, the allocation bound.

Deno.test("readTiff reads RowsPerStrip 0 as one strip for the whole page, as libtiff and tifffile do", async () => {
  const bytes = hyperstack();
  let zero = bytes;
  for (let page = 0; page < 4; page++) zero = patchTag(zero, page, 278, 0);
  assertEquals(
    Array.from((await readTiff(zero)).data.data),
    Array.from((await readTiff(bytes)).data.data),
  );
});

Deno.test("readTiff refuses a 100000 x 100000 claim in a small file before allocating it", async () => {
  let huge = hyperstack();
  for (let page = 0; page < 4; page++) {
    huge = patchTag(patchTag(huge, page, 256, 100_000), page, 257, 100_000);
    huge = patchTag(huge, page, 278, 100_000);
  }
  const started = performance.now();
  await bothRefuse(
    huge,
    /page 0 claims 20000000000 bytes of uint16 samples, more than the 40 bytes of its strips can hold uncompressed/,
  );
  // Compressed: capped at the codec's best ratio.
  const lzw = await Deno.readFile(
    new URL("imagej_hyperstack_zcyx_u16_lzw_predictor.tif", FIXTURES),
  );
  let wide: Uint8Array = lzw;
  for (let page = 0; page < 15; page++) {
    wide = patchTag(wide, page, 256, 60_000); // ImageWidth is a SHORT here
  }
  await bothRefuse(
    wide,
    /page 0 claims 4800000 bytes of uint16 samples, more than the \d+ bytes of its strips can hold at lzw's best ratio of 3641:1/,
  );
  assert(performance.now() - started < 1000);
});

Deno.test("readTiff refuses sizes of 0 and tile sides TIFF does not allow, never a NaN or a wrong tile", async () => {
  await bothRefuse(
    patchTag(hyperstack(), 2, 256, 0),
    /page 2: expected ImageWidth to be at least 1, found 0/,
  );
  const tiled = await Deno.readFile(
    new URL("tiled_deflate_zyx_u16.tif", FIXTURES),
  );
  // 14-row tiles still make 3 down a 40-row page, and 448 of each tile's 512 bytes would be read as them.
  await bothRefuse(
    patchTag(tiled, 1, 323, 14),
    /page 1: expected TileLength to be a multiple of 16 \(TIFF 6\.0, section 15\), found 14/,
  );
});
