/**
 * writeTiff and encodeTiff: everything written reads back exactly (values, axes,
 * dtype, physical sizes), from any ndarray view, without touching the input;
 * bad arguments fail with messages naming the argument.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
  rejects,
  throws,
} from "node:assert/strict";
import fc from "fast-check";
import { type NdArray, ndarray } from "../lib/deps.ts";
import type { NumericArray } from "../lib/array/types.ts";
import { encodeTiff, readTiff, writeTiff } from "../lib/io/mod.ts";
import { temporaryFilesIn, withFailingWrites } from "./_write_faults.ts";

function ramp<T extends NumericArray>(
  make: (n: number) => T,
  shape: number[],
  value: (i: number) => number,
) {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = make(size);
  for (let i = 0; i < size; i++) data[i] = value(i);
  return ndarray(data, shape);
}

/** The values of any view in C order, read element by element through `get`. */
function valuesOf(array: NdArray<NumericArray>): number[] {
  const values: number[] = [];
  const index = new Array<number>(array.shape.length).fill(0);
  for (let n = 0; n < array.size; n++) {
    values.push(array.get(...index));
    for (let axis = index.length - 1; axis >= 0; axis--) {
      if (++index[axis] < array.shape[axis]) break;
      index[axis] = 0;
    }
  }
  return values;
}

async function roundTrip(data: NdArray<NumericArray>, axes: string) {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const path = `${folder}/out.tif`;
    await writeTiff(path, data, { axes });
    const image = await readTiff(path);
    assertEquals(image.axes, axes);
    assertEquals(image.data.shape, data.shape);
    assertEquals(image.data.dtype, data.dtype);
    assertEquals(image.metadata.dtype, data.dtype);
    assertEquals(Array.from(image.data.data), valuesOf(data));
    // Only the renamed file is left behind: no temporary files.
    assertEquals([...Deno.readDirSync(folder)].map((entry) => entry.name), [
      "out.tif",
    ]);
    return image;
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
}

Deno.test("writeTiff round-trips uint8 YX", async () => {
  const image = await roundTrip(
    ramp((n) => new Uint8Array(n), [30, 40], (i) => (i * 7) % 256),
    "YX",
  );
  assertEquals(image.metadata.pageCount, 1);
  assertEquals(image.metadata.imagej?.images, 1);
});

Deno.test("writeTiff round-trips uint16 ZYX over the full value range", async () => {
  const image = await roundTrip(
    ramp((n) => new Uint16Array(n), [4, 24, 20], (i) => (i * 331) % 65536),
    "ZYX",
  );
  assertEquals([
    image.metadata.pageCount,
    image.metadata.byteOrder,
    image.metadata.compressionName,
  ], [
    4,
    "little",
    "none",
  ]);
});

Deno.test("writeTiff round-trips float32 ZCYX, including infinities, NaN and -0", async () => {
  const special = [
    Infinity,
    -Infinity,
    NaN,
    -0,
    3.4028234663852886e38,
    1.401298464324817e-45,
  ];
  const data = ramp(
    (n) => new Float32Array(n),
    [3, 2, 10, 12],
    (i) => special[i] ?? Math.sin(i) * 100,
  );
  const image = await roundTrip(data, "ZCYX");
  assert(Object.is(image.data.data[3], -0));
  assertEquals(image.metadata.imagej, {
    ImageJ: "1.11a",
    images: 6,
    channels: 2,
    slices: 3,
    frames: 1,
    hyperstack: true,
    mode: "grayscale",
  });
});

Deno.test("writeTiff round-trips a 4-D hyperstack with 3 channels (uint16 ZCYX)", async () => {
  const image = await roundTrip(
    ramp((n) => new Uint16Array(n), [5, 3, 16, 18], (i) => i % 4096),
    "ZCYX",
  );
  assertEquals(
    image.data.get(2, 1, 3, 4),
    (2 * 3 * 16 * 18 + 1 * 16 * 18 + 3 * 18 + 4) % 4096,
  );
});

Deno.test("writeTiff round-trips TZCYX and CYX", async () => {
  await roundTrip(
    ramp((n) => new Uint16Array(n), [2, 3, 3, 8, 9], (i) => 65535 - i),
    "TZCYX",
  );
  await roundTrip(
    ramp((n) => new Uint8Array(n), [3, 16, 16], (i) => i % 251),
    "CYX",
  );
});

Deno.test("writeTiff writes a transposed ZYXC view as ZCYX, leaving the input untouched", async () => {
  const channelsLast = ramp(
    (n) => new Uint16Array(n),
    [5, 16, 18, 3],
    (i) => (i * 97) % 65536,
  );
  const before = channelsLast.data.slice();
  const image = await roundTrip(channelsLast.transpose(0, 3, 1, 2), "ZCYX");
  assertEquals(channelsLast.data, before);
  assertEquals(image.data.get(4, 2, 15, 17), channelsLast.get(4, 15, 17, 2));
});

Deno.test("writeTiff writes offset, stepped and reversed views", async () => {
  const base = ramp((n) => new Float32Array(n), [6, 20, 22], (i) => i * 0.25);
  await roundTrip(base.lo(1, 2, 3).hi(4, 15, 16), "ZYX");
  await roundTrip(base.step(2, -1, 3), "ZYX");
  await roundTrip(base.pick(3, null, null).transpose(1, 0), "YX");
});

Deno.test("encodeTiff output reads back from memory for random arrays (property)", async () => {
  const arrays = fc.record({
    planes: fc.integer({ min: 1, max: 3 }),
    channels: fc.integer({ min: 1, max: 3 }),
    height: fc.integer({ min: 1, max: 7 }),
    width: fc.integer({ min: 1, max: 7 }),
    dtype: fc.constantFrom("uint8", "uint16", "float32"),
    seed: fc.integer({ min: 0, max: 1000 }),
  });
  await fc.assert(
    fc.asyncProperty(
      arrays,
      async ({ planes, channels, height, width, dtype, seed }) => {
        const make: (n: number) => NumericArray = dtype === "uint8"
          ? (n) => new Uint8Array(n)
          : dtype === "uint16"
          ? (n) => new Uint16Array(n)
          : (n) => new Float32Array(n);
        const data = ramp(
          make,
          [planes, channels, height, width],
          (i) => Math.fround((i * 7919 + seed) % 251 / 3),
        );
        const image = await readTiff(encodeTiff(data, { axes: "ZCYX" }));
        const expectedAxes = `${planes > 1 ? "Z" : ""}${
          channels > 1 ? "C" : ""
        }YX`;
        assertEquals(image.axes, expectedAxes);
        assertEquals(
          image.data.shape,
          data.shape.filter((size, axis) => axis >= 2 || size > 1),
        );
        assertEquals(image.data.dtype, dtype);
        assertEquals(Array.from(image.data.data), Array.from(data.data));
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("writeTiff stores voxel sizes that read back exactly, and read metadata can be written again", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const data = ramp((n) => new Uint16Array(n), [4, 3, 6, 5], (i) => i);
    const metadata = {
      physicalSizes: { X: 1.24, Y: 0.3, Z: 1.25, T: 2.5 },
      physicalUnit: "µm",
    };
    await writeTiff(new URL(`file://${folder}/a.tif`), data, {
      axes: "ZCYX",
      metadata,
    });
    const first = await readTiff(`${folder}/a.tif`);
    assertEquals(first.metadata.physicalSizes, metadata.physicalSizes);
    assertEquals(first.metadata.physicalUnit, "µm");
    assertEquals(first.metadata.imagej?.spacing, 1.25);
    assertEquals(first.metadata.resolution, {
      x: 25 / 31,
      y: 10 / 3,
      unit: "none",
    });
    assert(first.metadata.description?.includes("unit=\\u00b5m\n"));
    await writeTiff(`${folder}/b.tif`, first.data, {
      axes: first.axes,
      metadata: first.metadata,
    });
    const second = await readTiff(`${folder}/b.tif`);
    assertEquals(second.metadata.physicalSizes, metadata.physicalSizes);
    assertEquals(
      await Deno.readFile(`${folder}/b.tif`),
      await Deno.readFile(`${folder}/a.tif`),
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("writeTiff writes the ImageJ hyperstack description and little-endian header", () => {
  const bytes = encodeTiff(
    ramp((n) => new Uint8Array(n), [2, 3, 4, 5], (i) => i),
    { axes: "ZCYX" },
  );
  assertEquals(Array.from(bytes.subarray(0, 4)), [0x49, 0x49, 42, 0]);
  const text = new TextDecoder().decode(bytes.subarray(8, 120));
  assert(
    text.startsWith(
      "ImageJ=1.11a\nimages=6\nchannels=3\nslices=2\nframes=1\nhyperstack=true\nmode=grayscale\n\0",
    ),
    text,
  );
});

Deno.test("writeTiff replaces an existing file", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const path = `${folder}/a.tif`;
    await Deno.writeTextFile(path, "old contents");
    const data = ramp((n) => new Uint8Array(n), [3, 4], (i) => i);
    await writeTiff(path, data, { axes: "YX" });
    assertEquals(
      Array.from((await readTiff(path)).data.data),
      Array.from(data.data),
    );
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("writeTiff rejects bad axes, naming the argument and what was expected", () => {
  const volume = ramp((n) => new Uint16Array(n), [2, 3, 4], (i) => i);
  const bad = ["ZXY", "YXZ", "ZZYX", "QYX", "zyx", ""];
  for (const axes of bad) {
    throws(
      () => encodeTiff(volume, { axes }),
      (error: Error) =>
        error instanceof TypeError &&
        error.message.startsWith(
          `encodeTiff: options.axes must be a subsequence of "TZCYX" ending in "YX"`,
        ) &&
        error.message.endsWith(`got ${JSON.stringify(axes)}`),
    );
  }
  throws(
    () => encodeTiff(volume, {} as { axes: string }),
    /options\.axes must be a subsequence .* got undefined/,
  );
});

Deno.test("writeTiff rejects axes whose length differs from the number of dimensions", async () => {
  const volume = ramp((n) => new Uint16Array(n), [2, 3, 4], (i) => i);
  throws(
    () => encodeTiff(volume, { axes: "ZCYX" }),
    /encodeTiff: options\.axes must be one letter per axis of data \(3 for shape \[2, 3, 4\]\), got "ZCYX"/,
  );
  await rejects(
    () => writeTiff("/tmp/never.tif", volume, { axes: "YX" }),
    /writeTiff: options\.axes must be one letter per axis/,
  );
});

Deno.test("writeTiff rejects sample types ImageJ cannot store", () => {
  for (
    const data of [
      new Float64Array(4),
      new Int16Array(4),
      new Uint32Array(4),
      new Uint8ClampedArray(4),
    ]
  ) {
    throws(
      () => encodeTiff(ndarray(data, [2, 2]), { axes: "YX" }),
      /encodeTiff: data must be an ndarray of uint8, uint16 or float32 \(ImageJ's sample types\), got "(float64|int16|uint32|uint8_clamped) ndarray"/,
    );
  }
  throws(
    () => encodeTiff([1, 2] as unknown as NdArray<Uint8Array>, { axes: "YX" }),
    /encodeTiff: data must be an ndarray over a Uint8, .* typed array, got \[1, 2\]/,
  );
  throws(
    () => encodeTiff(ndarray(new Uint8Array(4), [4]), { axes: "X" }),
    /encodeTiff: data must be an ndarray with at least 2 dimension\(s\)/,
  );
  throws(
    () => encodeTiff(ndarray(new Uint8Array(0), [0, 4]), { axes: "YX" }),
    /encodeTiff: data must be a non-empty ndarray, got ndarray of shape \[0, 4\]/,
  );
});

Deno.test("encodeTiff and writeTiff refuse a view that reaches past its storage", async () => {
  // Nine values read from a four-element buffer.
  const overreaching = ndarray(new Uint16Array(4), [3, 3]);
  const expected =
    /data must be an ndarray whose view lies inside its storage \(offset \d+ and stride \[-?\d+, -?\d+\] reach indices -?\d+ to \d+, data length \d+\), got ndarray of shape \[3, [34]\]/;
  throws(
    () => encodeTiff(overreaching, { axes: "YX" }),
    (error: Error) =>
      error instanceof TypeError && error.message.startsWith("encodeTiff: ") &&
      expected.test(error.message),
  );
  // Offsets and negative steps are checked too.
  const base = ndarray(new Uint8Array(12), [3, 4]);
  throws(
    () => encodeTiff(ndarray(base.data, [3, 4], [4, 1], 1), { axes: "YX" }),
    expected,
  );
  throws(
    () => encodeTiff(ndarray(base.data, [3, 4], [-4, 1], 4), { axes: "YX" }),
    expected,
  );
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    await rejects(
      () => writeTiff(`${folder}/bad.tif`, overreaching, { axes: "YX" }),
      (error: Error) =>
        error instanceof TypeError &&
        error.message.startsWith("writeTiff: ") && expected.test(error.message),
    );
    assertEquals([...Deno.readDirSync(folder)], []);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("writeTiff on a full disk names the path, keeps the old file and leaves no temporary file", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const path = `${folder}/stack.tif`;
    const old = ramp((n) => new Uint16Array(n), [2, 4, 5], (i) => i);
    await writeTiff(path, old, { axes: "ZYX" });
    const before = await Deno.readFile(path);
    const replacement = ramp(
      (n) => new Uint16Array(n),
      [3, 6, 7],
      (i) => 7 * i,
    );
    for (const allowedBytes of [0, 100]) {
      const { failures, error } = await withFailingWrites(
        allowedBytes,
        () => writeTiff(path, replacement, { axes: "ZYX" }),
      );
      assert(failures > 0, "the write was not interrupted");
      assert(error instanceof Error, `no error for ${allowedBytes} bytes`);
      assert(
        error.message.startsWith(`writeTiff: ${path}: cannot be written`) &&
          error.message.includes("No space left on device"),
        error.message,
      );
      assertEquals(await Deno.readFile(path), before);
      assertEquals(await temporaryFilesIn(folder), []);
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("writeTiff rejects bad physical sizes and units", () => {
  const plane = ramp((n) => new Uint8Array(n), [2, 2], (i) => i);
  throws(
    () =>
      encodeTiff(plane, { axes: "YX", metadata: { physicalSizes: { X: -1 } } }),
    /encodeTiff: options\.metadata\.physicalSizes\.X must be a finite number > 0, got -1/,
  );
  throws(
    () =>
      encodeTiff(plane, {
        axes: "YX",
        metadata: { physicalSizes: { Z: NaN } },
      }),
    /physicalSizes\.Z must be a finite number > 0, got NaN/,
  );
  throws(
    () =>
      encodeTiff(plane, {
        axes: "YX",
        metadata: { physicalUnit: "µm\nimages=9" },
      }),
    /options\.metadata\.physicalUnit must be a non-empty string without control characters or '='/,
  );
});

Deno.test("writeTiff fails clearly when the folder is missing, and for bad paths", async () => {
  const plane = ramp((n) => new Uint8Array(n), [2, 2], (i) => i);
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    await rejects(
      () => writeTiff(`${folder}/missing/out.tif`, plane, { axes: "YX" }),
      new RegExp(
        `writeTiff: ${folder}/missing/out\\.tif: the folder ${folder}/missing does not exist; create it first`,
      ),
    );
    assertEquals([...Deno.readDirSync(folder)], []);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
  await rejects(
    () => writeTiff("", plane, { axes: "YX" }),
    /writeTiff: path must be a file path or a file: URL, got ""/,
  );
  await rejects(
    () =>
      writeTiff(new URL("https://example.org/a.tif"), plane, { axes: "YX" }),
    /writeTiff: path must be a file path or a file: URL, got "https:\/\/example\.org\/a\.tif"/,
  );
});

Deno.test("writeTiff refuses data that would exceed 4 GiB, before allocating anything", () => {
  // A zero-stride view: 5e9 values backed by a single byte.
  const huge = ndarray(new Uint8Array(1), [50_000, 100_000], [0, 0]);
  throws(
    () => encodeTiff(huge, { axes: "YX" }),
    (error: Error) =>
      error instanceof RangeError &&
      /^encodeTiff: the TIFF would take \d+ bytes; expected at most 4 GiB \(4294967295 bytes\)/
        .test(error.message),
  );
});
