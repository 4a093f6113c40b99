/**
 * createTiffPageWriter: pages written one at a time read back as writeTiff's
 * would, with the same tags; a full disk, a wrong page or abort() leave the
 * old target byte-identical and no temporary file, with errors naming the path.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
  rejects,
} from "node:assert/strict";
import { ndarray } from "../lib/deps.ts";
import {
  createTiffPageWriter,
  encodeTiff,
  readTiff,
  type TiffPageDType,
} from "../lib/io/mod.ts";
import { temporaryFilesIn, withFailingWrites } from "./_write_faults.ts";

const HEIGHT = 4;
const WIDTH = 5;
const ARRAYS = {
  uint16: Uint16Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** Writes `pages` pages whose values count up from `start`. */
async function writePages(
  path: string,
  dtype: TiffPageDType,
  pages: number,
  channels = 1,
  start = 0,
): Promise<void> {
  const writer = await createTiffPageWriter(path, {
    height: HEIGHT,
    width: WIDTH,
    dtype,
    channels,
  });
  for (let page = 0; page < pages; page++) {
    await writer.writePage(
      new ARRAYS[dtype](HEIGHT * WIDTH).map((_, i) =>
        start + page * HEIGHT * WIDTH + i
      ),
    );
  }
  await writer.close();
}

Deno.test("createTiffPageWriter output reads back as encodeTiff's: same values, description and metadata", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const path = `${folder}/pages.tif`;
    await writePages(path, "float32", 6, 2);
    const streamed = await readTiff(path);
    const values = new Float32Array(6 * HEIGHT * WIDTH).map((_, i) => i);
    const whole = await readTiff(
      encodeTiff(ndarray(values, [3, 2, HEIGHT, WIDTH]), { axes: "ZCYX" }),
    );
    assertEquals(streamed.axes, "ZCYX");
    assertEquals(streamed.data.shape, [3, 2, HEIGHT, WIDTH]);
    assertEquals(Array.from(streamed.data.data), Array.from(values));
    // The same description and tags; only where the parts lie differs.
    const { description, imagej, ...tags } = streamed.metadata;
    const {
      description: wholeDescription,
      imagej: wholeImageJ,
      ...wholeTags
    } = whole.metadata;
    assertEquals([description, imagej], [wholeDescription, wholeImageJ]);
    assertEquals(tags, wholeTags);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createTiffPageWriter writes float64 files as ImageJ hyperstacks too", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    await writePages(`${folder}/a.tif`, "float64", 6, 3);
    const image = await readTiff(`${folder}/a.tif`);
    assertEquals(
      [image.metadata.imagej?.channels, image.metadata.imagej?.slices],
      [3, 2],
    );
    assertEquals([image.axes, image.data.dtype], ["ZCYX", "float64"]);
    assertEquals(image.data.get(1, 2, 3, 4), 5 * HEIGHT * WIDTH + 19);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createTiffPageWriter stores the voxel size as writeTiff does", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const metadata = {
      physicalSizes: { X: 1.24, Y: 0.3, Z: 1.25, T: 2.5 },
      physicalUnit: "µm",
    };
    for (const dtype of ["uint16", "float32"] as const) {
      const writer = await createTiffPageWriter(`${folder}/a.tif`, {
        height: HEIGHT,
        width: WIDTH,
        dtype,
        metadata,
      });
      for (let page = 0; page < 2; page++) {
        await writer.writePage(new ARRAYS[dtype](HEIGHT * WIDTH).fill(page));
      }
      await writer.close();
      const streamed = await readTiff(`${folder}/a.tif`);
      const whole = await readTiff(
        encodeTiff(
          ndarray(new ARRAYS[dtype](2 * HEIGHT * WIDTH), [2, HEIGHT, WIDTH]),
          { axes: "ZYX", metadata },
        ),
      );
      assertEquals(streamed.metadata.physicalSizes, metadata.physicalSizes);
      assertEquals(streamed.metadata.physicalUnit, "µm");
      // The same description and tags as writeTiff's, resolution included.
      assertEquals(streamed.metadata, whole.metadata);
    }
    await rejects(
      () =>
        createTiffPageWriter(`${folder}/b.tif`, {
          height: 1,
          width: 1,
          dtype: "uint16",
          metadata: { physicalSizes: { Z: 0 } },
        }),
      /createTiffPageWriter: options\.metadata\.physicalSizes\.Z must be a finite number > 0, got 0/,
    );
    assertEquals(await temporaryFilesIn(folder), []);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createTiffPageWriter on a full disk names the path, keeps the old file and leaves no temporary file", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const path = `${folder}/eigen.tif`;
    await writePages(path, "uint16", 3);
    const before = await Deno.readFile(path);
    // Fail in the header placeholder, in page 2, in the directories, and in the final header.
    const pageBytes = HEIGHT * WIDTH * 2;
    for (
      const allowedBytes of [
        0,
        16 + pageBytes + 7,
        before.length - 20,
        before.length,
      ]
    ) {
      const { failures, error } = await withFailingWrites(
        allowedBytes,
        () => writePages(path, "uint16", 3, 1, 1000),
      );
      assert(failures > 0, `no write failed with ${allowedBytes} bytes`);
      assert(error instanceof Error, `no error with ${allowedBytes} bytes`);
      assert(
        error.message.startsWith(
          `createTiffPageWriter: ${path}: cannot be written`,
        ) && error.message.includes("No space left on device"),
        error.message,
      );
      assertEquals(await Deno.readFile(path), before, `${allowedBytes} bytes`);
      assertEquals(await temporaryFilesIn(folder), []);
    }
    // Nothing was left broken: the same writer code then succeeds.
    await writePages(path, "uint16", 3, 1, 1000);
    assertEquals((await readTiff(path)).data.get(0, 0, 0), 1000);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createTiffPageWriter: a wrong page or abort() keeps the old file and leaves no temporary file", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const path = `${folder}/a.tif`;
    await writePages(path, "float32", 2);
    const before = await Deno.readFile(path);

    const wrong = await createTiffPageWriter(path, {
      height: HEIGHT,
      width: WIDTH,
      dtype: "float32",
    });
    await wrong.writePage(new Float32Array(HEIGHT * WIDTH));
    await rejects(
      () => wrong.writePage(new Float64Array(HEIGHT * WIDTH)),
      /writePage: values must be a Float32Array of 20 values \(4 x 5\), got Float64Array\(20\)/,
    );
    await rejects(
      () => wrong.close(),
      new RegExp(`createTiffPageWriter: ${path}: the writer is aborted`),
    );
    assertEquals(await temporaryFilesIn(folder), []);

    const aborted = await createTiffPageWriter(path, {
      height: HEIGHT,
      width: WIDTH,
      dtype: "float32",
    });
    await aborted.writePage(new Float32Array(HEIGHT * WIDTH));
    await aborted.abort();
    await aborted.abort();
    assertEquals(await temporaryFilesIn(folder), []);
    assertEquals(await Deno.readFile(path), before);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createTiffPageWriter refuses a file over 4 GiB at the page that would cross it", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const path = `${folder}/huge.tif`;
    // 2 GiB pages: the second would end past 2^32 - 1 bytes. A one-value
    // array that claims 2^29 values stands in for a page, to spare the memory.
    const writer = await createTiffPageWriter(path, {
      height: 2 ** 14,
      width: 2 ** 15,
      dtype: "float32",
    });
    const page = new Float32Array(1);
    Object.defineProperty(page, "length", { value: 2 ** 29 });
    await writer.writePage(page);
    await rejects(
      () => writer.writePage(page),
      new RegExp(
        `createTiffPageWriter: ${path}: the TIFF would take 4294967312 bytes; expected at most 4 GiB`,
      ),
    );
    assertEquals([...Deno.readDirSync(folder)], []);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
