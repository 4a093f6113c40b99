/**
 * readTiff against the third-party fixtures of tests/fixtures/tiff/ (written by
 * tifffile and libtiff's tiffcp): every file decodes exactly as manifest.json
 * says, broken files fail with a message naming the file and the problem, and
 * every source form (path, file: URL, http: URL, bytes) gives the same result.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
  rejects,
} from "node:assert/strict";
import { readTiff, type TiffImage } from "../lib/io/mod.ts";
// geotiff: a second, independent decoder to check readTiff against (a test-only dependency).
import { fromArrayBuffer as geotiffFromArrayBuffer } from "geotiff";
import { sha256 } from "./_sha256.ts";

const FIXTURES = new URL("./fixtures/tiff/", import.meta.url);

interface Expected {
  axes: string;
  shape: number[];
  dtype: string;
  sha256_of_c_order_little_endian_values: string;
  min: number;
  max: number;
  first_values: number[];
  note: string;
}

interface ExpectedError {
  error: true;
  note: string;
}

const manifest: Record<string, Expected | ExpectedError> = JSON.parse(
  await Deno.readTextFile(new URL("manifest.json", FIXTURES)),
);

function assertDecodedAs(image: TiffImage, expected: Expected): void {
  const { data } = image;
  assertEquals(image.axes, expected.axes);
  assertEquals(data.shape, expected.shape);
  assertEquals(image.metadata.dtype, expected.dtype);
  assertEquals(data.dtype, expected.dtype);
  assertEquals(data.stride, cOrderStrides(expected.shape));
  assertEquals(data.offset, 0);
  let min = Infinity;
  let max = -Infinity;
  for (const value of data.data) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  assertEquals([min, max], [expected.min, expected.max]);
  assertEquals(
    Array.from(data.data.subarray(0, expected.first_values.length)),
    expected.first_values,
  );
  assertEquals(
    sha256(data.data),
    expected.sha256_of_c_order_little_endian_values,
  );
}

function cOrderStrides(shape: number[]): number[] {
  const strides = new Array<number>(shape.length);
  for (let axis = shape.length - 1, step = 1; axis >= 0; axis--) {
    strides[axis] = step;
    step *= shape[axis];
  }
  return strides;
}

const decodable = Object.entries(manifest).filter((
  entry,
): entry is [string, Expected] => !("error" in entry[1]));
const broken = Object.keys(manifest).filter((file) =>
  "error" in manifest[file]
);

Deno.test("the manifest lists decodable and broken fixtures", () => {
  assertEquals(decodable.length, 12);
  assertEquals(broken.sort(), ["empty.tif", "not_a_tiff.tif", "truncated.tif"]);
});

for (const [file, expected] of decodable) {
  Deno.test(`readTiff decodes ${file} as the manifest says (${expected.note})`, async () => {
    await assertDecodedAs(
      await readTiff(new URL(file, FIXTURES).pathname),
      expected,
    );
  });
}

Deno.test("readTiff reports each fixture's container and compression", async () => {
  const read = async (file: string) =>
    (await readTiff(new URL(file, FIXTURES))).metadata;
  const bigEndian = await read("bigendian_zyx_u16.tif");
  assertEquals([bigEndian.byteOrder, bigEndian.bigTiff, bigEndian.pageCount], [
    "big",
    false,
    4,
  ]);
  const bigTiff = await read("bigtiff_zyx_u16.tif");
  assertEquals([bigTiff.byteOrder, bigTiff.bigTiff], ["little", true]);
  const lzw = await read("imagej_hyperstack_zcyx_u16_lzw_predictor.tif");
  assertEquals([lzw.compressionName, lzw.predictor, lzw.bitsPerSample], [
    "lzw",
    2,
    16,
  ]);
  assertEquals(
    (await read("imagej_hyperstack_zcyx_u16_deflate.tif")).compressionName,
    "deflate",
  );
  assertEquals(
    (await read("packbits_zyx_u16.tif")).compressionName,
    "packbits",
  );
  assertEquals((await read("tiled_deflate_zyx_u16.tif")).compression, 8);
  const planar = await read("rgb_planar_zsyx_u16.tif");
  assertEquals([planar.samplesPerPixel, planar.planarConfiguration], [
    3,
    "separate",
  ]);
  const float = await read("float32_zyx.tif");
  assertEquals([float.sampleFormat, float.bitsPerSample, float.dtype], [
    "float",
    32,
    "float32",
  ]);
});

Deno.test("readTiff parses the ImageJ and tifffile descriptions", async () => {
  const imagej =
    (await readTiff(new URL("imagej_hyperstack_zcyx_u16.tif", FIXTURES)))
      .metadata;
  assertEquals(imagej.imagej, {
    ImageJ: "1.11a",
    images: 15,
    channels: 3,
    slices: 5,
    hyperstack: true,
    mode: "grayscale",
  });
  assert(imagej.description?.startsWith("ImageJ=1.11a\nimages=15\n"));
  assertEquals(imagej.shaped, undefined);
  const shaped =
    (await readTiff(new URL("tifffile_shaped_zcyx_u16.tif", FIXTURES)))
      .metadata;
  assertEquals(shaped.shaped, { axes: "ZCYX", shape: [5, 3, 40, 36] });
  assertEquals(shaped.imagej, undefined);
  // tifffile's placeholder resolution (1/1, no unit) is not a physical size.
  assertEquals(shaped.resolution, { x: 1, y: 1, unit: "none" });
  assertEquals(shaped.physicalSizes, {});
});

Deno.test("readTiff fails on the empty fixture, saying it is empty", async () => {
  await rejects(
    () => readTiff(new URL("empty.tif", FIXTURES).pathname),
    /empty\.tif: the file is empty \(0 bytes\)/,
  );
});

Deno.test("readTiff fails on the non-TIFF fixture, showing what it found", async () => {
  await rejects(
    () => readTiff(new URL("not_a_tiff.tif", FIXTURES).pathname),
    /not_a_tiff\.tif: not a TIFF file: expected the byte-order mark "II" or "MM" at byte 0, found 25 50 44 46 \("%PDF"\)/,
  );
});

Deno.test("readTiff fails on the truncated fixture, saying where the file ends", async () => {
  await rejects(
    () => readTiff(new URL("truncated.tif", FIXTURES).pathname),
    /truncated\.tif: the file is truncated: IFD 1 should start at byte offset 43552 but the file has 15292 bytes/,
  );
});

Deno.test("readTiff reads the same values from a file: URL, bytes, an ArrayBuffer and http:", async () => {
  const file = "imagej_hyperstack_zcyx_u16_deflate.tif";
  const expected = manifest[file] as Expected;
  const bytes = await Deno.readFile(new URL(file, FIXTURES));
  const before = bytes.slice();
  await assertDecodedAs(await readTiff(new URL(file, FIXTURES)), expected);
  await assertDecodedAs(await readTiff(bytes), expected);
  assertEquals(bytes, before);
  // Bytes inside a larger buffer: only the view is read.
  const padded = new Uint8Array(bytes.length + 7);
  padded.set(bytes, 3);
  await assertDecodedAs(
    await readTiff(padded.subarray(3, 3 + bytes.length)),
    expected,
  );
  await assertDecodedAs(await readTiff(bytes.slice().buffer), expected);

  await using server = Deno.serve({
    hostname: "127.0.0.1",
    port: 0,
    onListen() {},
  }, (request) => {
    const path = new URL(request.url).pathname;
    return path === `/${file}`
      ? new Response(bytes)
      : new Response("missing", { status: 404 });
  });
  const base = `http://127.0.0.1:${server.addr.port}/`;
  await assertDecodedAs(await readTiff(new URL(file, base)), expected);
  await rejects(
    () => readTiff(new URL("missing.tif", base)),
    /readTiff: http:\/\/127\.0\.0\.1:\d+\/missing\.tif: download failed: expected HTTP 200, got 404/,
  );
});

Deno.test("readTiff names in-memory sources in errors as told", async () => {
  await rejects(
    () => readTiff(new Uint8Array(0)),
    /readTiff: the given bytes: the file is empty/,
  );
  await rejects(
    () => readTiff(new Uint8Array(0), { name: "upload.tif" }),
    /readTiff: upload\.tif: the file is empty/,
  );
});

Deno.test("readTiff rejects bad arguments and missing files", async () => {
  await rejects(
    () => readTiff(42 as unknown as string),
    /readTiff: source must be a file path, a file: or http\(s\): URL/,
  );
  await rejects(
    () => readTiff(""),
    /readTiff: source must be a non-empty file path, got ""/,
  );
  await rejects(
    () => readTiff(new URL("ftp://example.org/a.tif")),
    /readTiff: source must be a file:, http: or https: URL/,
  );
  await rejects(
    () => readTiff(new Uint8Array(8), { name: 3 as unknown as string }),
    /readTiff: options\.name must be a string, got 3/,
  );
  await rejects(
    () => readTiff(new URL("no_such_file.tif", FIXTURES).pathname),
    /readTiff: .*no_such_file\.tif: no such file/,
  );
});

Deno.test("readTiff's decoder agrees with geotiff's on every fixture, compressed, tiled or not", async () => {
  const files = [
    ...decodable.map(([file]) => new URL(file, FIXTURES)),
    ...[...Deno.readDirSync(new URL("./fixtures/io/", import.meta.url))]
      .filter((entry) => entry.name.endsWith(".tif"))
      .map((entry) => new URL(`./fixtures/io/${entry.name}`, import.meta.url)),
  ];
  const compressions = new Set<string>();
  for (const url of files) {
    const image = await readTiff(url);
    compressions.add(image.metadata.compressionName);
    const tiff = await geotiffFromArrayBuffer(
      (await Deno.readFile(url)).buffer,
    );
    const decoded: number[] = [];
    for (let index = 0; index < image.metadata.pageCount; index++) {
      const page = await tiff.getImage(index);
      const planar = image.metadata.planarConfiguration === "separate";
      const rasters = planar
        ? await page.readRasters({ interleave: false })
        : [await page.readRasters({ interleave: true })];
      for (const raster of rasters) decoded.push(...raster);
    }
    assertEquals(Array.from(image.data.data), decoded, url.pathname);
  }
  assertEquals(files.length, 21);
  assertEquals([...compressions].sort(), [
    "deflate",
    "lzw",
    "none",
    "packbits",
  ]);
});

Deno.test("readTiff leaves the bytes it is given untouched, even when swapping big-endian samples", async () => {
  const file = "bigendian_zyx_u16.tif";
  const bytes = await Deno.readFile(new URL(file, FIXTURES));
  const before = bytes.slice();
  await assertDecodedAs(await readTiff(bytes), manifest[file] as Expected);
  await assertDecodedAs(
    await readTiff(bytes.buffer),
    manifest[file] as Expected,
  );
  assertEquals(bytes, before);
});
