/**
 * createTiffPageWriter: pages written one at a time read back as writeTiff's
 * would, with the same tags, as ImageJ hyperstacks or (ome: true) OME-TIFFs
 * that readTiff, openTiffPlanes and tifffile read with their axes and voxel
 * size; a full disk, a wrong page or abort() leave the old target
 * byte-identical and no temporary file, with errors naming the path.
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
  openTiffPlanes,
  readTiff,
  type TiffPageDType,
  type TiffPageWriterOptions,
} from "../lib/io/mod.ts";
import { sha256 } from "./_sha256.ts";
import { temporaryFilesIn, withFailingWrites } from "./_write_faults.ts";

const HEIGHT = 4;
const WIDTH = 5;
const ARRAYS = {
  uint16: Uint16Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** Writes `pages` pages whose values count up from `start`, with `more` options. */
async function writePages(
  path: string,
  dtype: TiffPageDType,
  pages: number,
  channels = 1,
  start = 0,
  more: Pick<TiffPageWriterOptions, "ome" | "metadata"> = {},
): Promise<void> {
  const writer = await createTiffPageWriter(path, {
    height: HEIGHT,
    width: WIDTH,
    dtype,
    channels,
    ...more,
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

const OME_METADATA = {
  physicalSizes: { X: 200, Y: 250, Z: 500, T: 1.5 },
  physicalUnit: "nm",
  channelNames: ["DAPI", "GFP & <RFP>"],
};

Deno.test("createTiffPageWriter with ome: true writes encodeTiff's OME-TIFF: OME-XML, sizes, channel names, no resolution", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    for (
      const [dtype, channels, axes, order, metadata] of [
        ["float64", 2, "ZCYX", "XYCZT", OME_METADATA],
        ["uint16", 1, "ZYX", "XYZCT", { physicalSizes: { X: 0.5, Y: 0.5 } }],
      ] as const
    ) {
      const path = `${folder}/pages.ome.tif`;
      await writePages(path, dtype, 6, channels, 0, { ome: true, metadata });
      const streamed = await readTiff(path);
      const values = new ARRAYS[dtype](6 * HEIGHT * WIDTH).map((_, i) => i);
      const shape = channels > 1
        ? [6 / channels, channels, HEIGHT, WIDTH]
        : [6, HEIGHT, WIDTH];
      const whole = await readTiff(
        encodeTiff(ndarray(values, shape), { axes, ome: true, metadata }),
      );
      assertEquals(streamed.axes, axes);
      assertEquals(streamed.data.shape, shape);
      assertEquals(Array.from(streamed.data.data), Array.from(values));
      const ome = streamed.metadata.ome!;
      assertEquals(
        [ome.dimensionOrder, ome.sizes, ome.tiffData],
        [order, { X: WIDTH, Y: HEIGHT, Z: 6 / channels, C: channels, T: 1 }, [
          { ifd: 0, planeCount: 6, firstZ: 0, firstC: 0, firstT: 0 },
        ]],
      );
      // The same OME-XML and tags as encodeTiff's but the file's UUID; no
      // ImageJ description and no resolution tags.
      const { description, ome: { uuid, ...pixels }, ...tags } = streamed
        .metadata as typeof streamed.metadata & { ome: { uuid: string } };
      const {
        description: wholeDescription,
        ome: { uuid: wholeUuid, ...wholePixels },
        ...wholeTags
      } = whole.metadata as typeof whole.metadata & { ome: { uuid: string } };
      assert(uuid !== wholeUuid, "a new UUID per file");
      assertEquals(
        description!.replace(uuid, ""),
        wholeDescription!.replace(wholeUuid, ""),
      );
      assertEquals(pixels, wholePixels);
      assertEquals(tags, wholeTags);
      assertEquals([tags.imagej, tags.resolution], [undefined, undefined]);
    }
    const { metadata } = await readTiff(`${folder}/pages.ome.tif`);
    assertEquals(metadata.physicalSizes, { X: 0.5, Y: 0.5 });
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createTiffPageWriter's OME-TIFF: readTiff and openTiffPlanes read its axes and voxel size in µm", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const path = `${folder}/eigen.ome.tif`;
    await writePages(path, "float32", 6, 2, 0, {
      ome: true,
      metadata: OME_METADATA,
    });
    const image = await readTiff(path);
    const sizes = { X: 0.2, Y: 0.25, Z: 0.5, T: 1.5 };
    assertEquals(
      [image.axes, image.metadata.physicalSizes, image.metadata.physicalUnit],
      ["ZCYX", sizes, "µm"],
    );
    assertEquals(image.metadata.channelNames, OME_METADATA.channelNames);
    const reader = await openTiffPlanes(path, { channel: 1 });
    try {
      assertEquals(
        [reader.shape, reader.physicalSizes, reader.physicalUnit],
        [[3, HEIGHT, WIDTH], sizes, "µm"],
      );
      // Plane 2 of channel 1 is page 2 * 2 + 1.
      const planes = await reader.readPlanes(2, 1);
      assertEquals(planes.get(0, 0, 0), 5 * HEIGHT * WIDTH);
    } finally {
      reader.close();
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

Deno.test("createTiffPageWriter refuses an OME-TIFF unit, channel names or ome it cannot write, before any file", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const page = { height: 1, width: 1, dtype: "uint16" } as const;
    for (
      const [options, message] of [
        [
          { ome: true, metadata: { physicalUnit: "furlong" } },
          /createTiffPageWriter: options\.metadata\.physicalUnit must be one of OME's length units µm, .* \(or micron, um\), got "furlong"/,
        ],
        [
          { ome: "yes" },
          /createTiffPageWriter: options\.ome must be true or false, got "yes"/,
        ],
        [
          { channels: 2, ome: true, metadata: { channelNames: ["a"] } },
          /createTiffPageWriter: options\.metadata\.channelNames must be an array of 2 strings, one per channel/,
        ],
      ] as const
    ) {
      await rejects(
        () =>
          createTiffPageWriter(`${folder}/a.tif`, {
            ...page,
            ...options,
          } as TiffPageWriterOptions),
        message,
      );
    }
    assertEquals([...Deno.readDirSync(folder)], []);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});

// Interoperability: needs Debian's python3-tifffile (`.ci/run` installs it).
Deno.test("tifffile reads createTiffPageWriter's OME-TIFF as OME: series axes, shape, values, pixels (live, /usr/bin/python3)", async () => {
  const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
  try {
    const path = `${folder}/eigen.ome.tif`;
    await writePages(path, "float64", 6, 2, 0, {
      ome: true,
      metadata: OME_METADATA,
    });
    // tests/io_ome_tiff_test.ts's readback script, describe_ome, on this file.
    const scripts = new URL("../scripts", import.meta.url).pathname;
    const run = await new Deno.Command("/usr/bin/python3", {
      args: [
        "-c",
        "import json, sys; sys.path.insert(0, sys.argv[1]); " +
        "from verify_tiff_with_tifffile import describe_ome; " +
        "print(json.dumps(describe_ome(sys.argv[2])))",
        scripts,
        path,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert(
      run.success,
      `/usr/bin/python3 with tifffile (apt-get install python3-tifffile): ${
        new TextDecoder().decode(run.stderr)
      }`,
    );
    const seen = JSON.parse(new TextDecoder().decode(run.stdout));
    const { data } = await readTiff(path);
    assertEquals(seen.is_ome, true);
    assertEquals(
      [seen.axes, seen.shape, seen.dtype, seen.pages, seen.ome_images],
      ["ZCYX", [3, 2, HEIGHT, WIDTH], "float64", 6, 1],
    );
    assertEquals(
      seen.sha256_of_c_order_little_endian_values,
      sha256(data.data),
    );
    assertEquals(seen.ome_pixels, {
      DimensionOrder: "XYCZT",
      Type: "double",
      SizeX: WIDTH,
      SizeY: HEIGHT,
      SizeZ: 3,
      SizeC: 2,
      SizeT: 1,
      PhysicalSizeX: 200,
      PhysicalSizeXUnit: "nm",
      PhysicalSizeY: 250,
      PhysicalSizeYUnit: "nm",
      PhysicalSizeZ: 500,
      PhysicalSizeZUnit: "nm",
      TimeIncrement: 1.5,
      TimeIncrementUnit: "s",
    });
    assertEquals(seen.ome_channel_names, OME_METADATA.channelNames);
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
});
