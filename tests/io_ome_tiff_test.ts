/**
 * OME-TIFF in stria against tifffile:
 *
 * - tests/fixtures/io/ome/*.ome.tif, written by tifffile
 *   (scripts/make_ome_fixtures.py, manifest.json): readTiff returns the axes,
 *   shape and values tifffile read, the OME-XML's sizes in µm and seconds and
 *   its channel names, or refuses a multi-file set naming the other file;
 * - writeTiff(..., { ome: true }) then readTiff: values, axes, sizes, names;
 * - tests/fixtures/io/ome/tifffile_ome_readback.json (printed by
 *   `scripts/verify_tiff_with_tifffile.py --ome`): what tifffile read from the
 *   OME files stria writes today, re-run live where /usr/bin/python3 has tifffile;
 * - malformed or inconsistent OME-XML, refused naming the file and the field;
 * - option errors of the OME writer.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
  rejects as assertRejects,
  throws as assertThrows,
} from "node:assert/strict";
import { ndarray } from "../lib/deps.ts";
import { encodeTiff, readTiff, writeTiff } from "../lib/io/mod.ts";
import { omeSamples } from "./fixtures/io/ome/ome_samples.ts";
import { sha256 } from "./_sha256.ts";

const FIXTURES = new URL("./fixtures/io/ome/", import.meta.url);
const PYTHON = "/usr/bin/python3";

type OmePixels = Record<string, string | number>;
interface TifffileOme {
  shape: number[];
  dtype: string;
  pages: number;
  sha256_of_c_order_little_endian_values: string;
  is_ome: boolean;
  ome_images: number;
  ome_pixels: OmePixels;
  ome_channel_names: (string | null)[];
}
interface FixtureEntry extends TifffileOme {
  tifffile_axes: string;
  series: number;
  stria: { axes?: string; images?: number; error?: string };
}
interface ReadbackEntry extends TifffileOme {
  axes: string;
}

const manifest: { files: Record<string, FixtureEntry> } = JSON.parse(
  await Deno.readTextFile(new URL("manifest.json", FIXTURES)),
);
const readback: {
  tifffile_version: string;
  files: Record<string, ReadbackEntry>;
} = JSON.parse(
  await Deno.readTextFile(new URL("tifffile_ome_readback.json", FIXTURES)),
);

/** µm per unit and seconds per unit, written out here independently of the reader's table. */
const MICROMETRES: Record<string, number> = { "µm": 1, nm: 1e-3 };
const SECONDS: Record<string, number> = { s: 1, ms: 1e-3 };

/** The physical sizes readTiff must report for an OME-XML's Pixels as tifffile parsed them. */
function expectedSizes(pixels: OmePixels): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const axis of ["X", "Y", "Z"]) {
    const value = pixels[`PhysicalSize${axis}`];
    if (value === undefined) continue;
    const unit = String(pixels[`PhysicalSize${axis}Unit`] ?? "µm");
    sizes[axis] = Number(value) * MICROMETRES[unit];
  }
  if (pixels.TimeIncrement !== undefined) {
    const unit = String(pixels.TimeIncrementUnit ?? "s");
    sizes.T = Number(pixels.TimeIncrement) * SECONDS[unit];
  }
  return sizes;
}

function assertClose(
  actual: Record<string, number | undefined>,
  expected: Record<string, number>,
) {
  assertEquals(Object.keys(actual).sort(), Object.keys(expected).sort());
  for (const [axis, value] of Object.entries(expected)) {
    assert(
      Math.abs(actual[axis]! - value) <= 1e-12 * value,
      `${axis}: ${actual[axis]} != ${value}`,
    );
  }
}

Deno.test("the OME fixtures are tifffile's OME-TIFFs, small", async () => {
  let total = 0;
  for (const [file, entry] of Object.entries(manifest.files)) {
    assert(entry.is_ome, file);
    total += (await Deno.stat(new URL(file, FIXTURES))).size;
  }
  assertEquals(Object.keys(manifest.files).length, 7);
  assert(total < 100_000, `${total} bytes`);
});

for (const [file, entry] of Object.entries(manifest.files)) {
  const { axes, error } = entry.stria;
  if (error !== undefined) {
    Deno.test(`readTiff refuses tifffile's ${file}: ${error}`, async () => {
      await assertRejects(readTiff(new URL(file, FIXTURES)), (e: Error) => {
        assert(e.message.includes(file), e.message);
        assert(e.message.includes(error), e.message);
        return true;
      });
    });
    continue;
  }
  Deno.test(`readTiff reads tifffile's ${file} as ${axes}, sizes in µm`, async () => {
    const image = await readTiff(new URL(file, FIXTURES));
    assertEquals(image.axes, axes);
    assertEquals(image.axes, entry.tifffile_axes);
    assertEquals(image.data.shape, entry.shape);
    assertEquals(image.data.dtype, entry.dtype);
    assertEquals(
      sha256(image.data.data),
      entry.sha256_of_c_order_little_endian_values,
    );
    assertClose(image.metadata.physicalSizes, expectedSizes(entry.ome_pixels));
    const lengths = Object.keys(image.metadata.physicalSizes).filter((axis) =>
      axis !== "T"
    );
    assertEquals(
      image.metadata.physicalUnit,
      lengths.length ? "µm" : undefined,
    );
    const names = entry.ome_channel_names.map((name) => name ?? "");
    assertEquals(
      image.metadata.channelNames,
      names.some((name) => name !== "") ? names : undefined,
    );
    assertEquals(image.metadata.ome?.channelNames, names);
    assertEquals(image.metadata.ome?.images, entry.stria.images ?? 1);
    assertEquals(
      image.metadata.ome?.dimensionOrder,
      entry.ome_pixels.DimensionOrder,
    );
  });
}

Deno.test("issue 12: tifffile's ZCYX stack of 2 channels reads as ZCYX with its voxel size", async () => {
  const image = await readTiff(new URL("zcyx_2ch_um.ome.tif", FIXTURES));
  assertEquals(image.axes, "ZCYX");
  assertEquals(image.data.shape, [6, 2, 32, 24]);
  assertEquals(image.metadata.physicalSizes, { X: 0.65, Y: 0.65, Z: 2 });
  assertEquals(image.metadata.physicalUnit, "µm");
  assertEquals(image.metadata.channelNames, ["DAPI", "GFP"]);
});

for (const sample of omeSamples()) {
  Deno.test(`writeTiff ome ${sample.file} then readTiff: values, axes, sizes, names`, async () => {
    const folder = await Deno.makeTempDir({ prefix: "stria_ome_" });
    try {
      const path = `${folder}/${sample.file}`;
      await writeTiff(path, sample.data, {
        axes: sample.axes,
        ome: true,
        metadata: sample.metadata,
      });
      const image = await readTiff(path);
      assertEquals(image.axes, sample.axes);
      assertEquals(image.data.shape, sample.data.shape);
      assertEquals(image.data.data, sample.data.data);
      const unit = sample.metadata?.physicalUnit ?? "µm";
      const sizes = sample.metadata?.physicalSizes ?? {};
      const expected: Record<string, number> = {};
      for (const [axis, size] of Object.entries(sizes)) {
        expected[axis] = axis === "T" ? size : size * MICROMETRES[unit];
      }
      assertClose(image.metadata.physicalSizes, expected);
      assertEquals(image.metadata.channelNames, sample.metadata?.channelNames);
      assertEquals(image.metadata.imagej, undefined);
      assertEquals(image.metadata.resolution, undefined);
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  });
}

Deno.test("every axis order of T, Z, C round-trips through OME-XML's DimensionOrder", async () => {
  for (const leading of ["ZCT", "ZTC", "CZT", "CTZ", "TZC", "TCZ"]) {
    const axes = `${leading}YX`;
    const shape = [2, 3, 4, 5, 6];
    const data = ndarray(new Uint8Array(720).map((_, i) => i % 251), shape);
    const image = await readTiff(encodeTiff(data, { axes, ome: true }));
    assertEquals(image.axes, axes);
    assertEquals(
      image.metadata.ome?.dimensionOrder,
      `XY${[...leading].reverse().join("")}`,
    );
    assertEquals(image.data.data, data.data);
  }
});

Deno.test("tifffile's readback of the OME files stria writes today matches the record", async () => {
  assertEquals(
    Object.keys(readback.files).sort(),
    omeSamples().map((sample) => sample.file).sort(),
  );
  for (const sample of omeSamples()) {
    const expected = readback.files[sample.file];
    const image = await readTiff(
      encodeTiff(sample.data, {
        axes: sample.axes,
        ome: true,
        metadata: sample.metadata,
      }),
    );
    const ome = image.metadata.ome!;
    assertEquals(expected.is_ome, true);
    assertEquals(image.axes, expected.axes);
    assertEquals(image.data.shape, expected.shape);
    assertEquals(image.data.dtype, expected.dtype);
    assertEquals(image.metadata.pageCount, expected.pages);
    assertEquals(
      sha256(image.data.data),
      expected.sha256_of_c_order_little_endian_values,
    );
    const pixels: OmePixels = {
      DimensionOrder: ome.dimensionOrder,
      Type: ome.type,
      ...Object.fromEntries(
        Object.entries(ome.sizes).map(([axis, size]) => [`Size${axis}`, size]),
      ),
    };
    for (const [axis, size] of Object.entries(ome.physicalSizes)) {
      pixels[`PhysicalSize${axis}`] = size.value;
      pixels[`PhysicalSize${axis}Unit`] = size.unit;
    }
    if (ome.timeIncrement) {
      pixels.TimeIncrement = ome.timeIncrement.value;
      pixels.TimeIncrementUnit = ome.timeIncrement.unit;
    }
    assertEquals(pixels, expected.ome_pixels);
    assertEquals(
      ome.channelNames,
      expected.ome_channel_names.map((name) => name ?? ""),
    );
  }
});

// Interoperability: needs Debian's python3-tifffile (`.ci/run` installs it).
Deno.test("tifffile re-reads today's OME files as recorded (live, with /usr/bin/python3's tifffile)", async () => {
  const probe = await new Deno.Command(PYTHON, {
    args: ["-c", "import tifffile"],
    stdout: "null",
    stderr: "null",
  }).output().catch(() => undefined);
  assert(
    probe?.success,
    `${PYTHON} cannot import tifffile: apt-get install python3-tifffile`,
  );
  const script = new URL(
    "../scripts/verify_tiff_with_tifffile.py",
    import.meta.url,
  );
  const denoFolder = Deno.execPath().replace(/\/[^/]*$/, "");
  const run = await new Deno.Command(PYTHON, {
    args: [script.pathname, "--ome"],
    env: { PATH: `${denoFolder}:${Deno.env.get("PATH") ?? ""}` },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert(run.success, new TextDecoder().decode(run.stderr));
  const live = JSON.parse(new TextDecoder().decode(run.stdout));
  assertEquals(live, readback);
});

/** An OME-TIFF of a 3 x 2 x 4 x 5 ZCYX uint16 stack, and its OME-XML. */
function omeFile(): { bytes: Uint8Array; xml: string } {
  const data = ndarray(new Uint16Array(120).map((_, i) => i), [3, 2, 4, 5]);
  const bytes = encodeTiff(data, {
    axes: "ZCYX",
    ome: true,
    metadata: {
      physicalSizes: { X: 0.65, Y: 0.65, Z: 2 },
      channelNames: ["DAPI", "GFP"],
    },
  });
  const text = new TextDecoder().decode(bytes.subarray(8));
  return { bytes, xml: text.slice(0, text.indexOf("\0")) };
}

/** `bytes` with page 0's description replaced by `xml`, padded with NULs to the original length. */
function withDescription(bytes: Uint8Array, original: string, xml: string) {
  const encoded = new TextEncoder().encode(xml);
  const length = new TextEncoder().encode(original).length;
  assert(encoded.length <= length, "the new description must not be longer");
  const copy = bytes.slice();
  copy.fill(0, 8, 8 + length);
  copy.set(encoded, 8);
  return copy;
}

Deno.test("a tolerant parser: prefixes, single quotes, comments, entities, CDATA", async () => {
  const { bytes, xml } = omeFile();
  const handWritten =
    `<?xml version='1.0'?><!-- by hand --><ome:OME xmlns:ome='http://www.openmicroscopy.org/Schemas/OME/2016-06'>
  <ome:Image ID='Image:0'><ome:Pixels ID = "Pixels:0" DimensionOrder='XYCZT' Type="uint16"
   SizeX="5" SizeY="4" SizeZ="3" SizeC="2" SizeT="1" PhysicalSizeX="650" PhysicalSizeXUnit="nm">
   <ome:Channel ID="Channel:0:0" Name="a&amp;b &#181;&#x3bc;"/><ome:Channel ID="Channel:0:1" Name='&lt;&quot;&apos;&gt;'></ome:Channel>
   <ome:TiffData><![CDATA[ignored]]></ome:TiffData></ome:Pixels></ome:Image></ome:OME>`;
  const image = await readTiff(withDescription(bytes, xml, handWritten));
  assertEquals(image.axes, "ZCYX");
  assertEquals(image.data.get(2, 1, 3, 4), 119);
  assertEquals(image.metadata.physicalSizes, { X: 0.65 });
  assertEquals(image.metadata.channelNames, ["a&b µμ", `<"'>`]);
});

Deno.test("TiffData elements map planes to pages: one per plane, in reverse", async () => {
  const { bytes, xml } = omeFile();
  // Plane (z, c) of DimensionOrder XYCZT is plane c + 2z; put it on page 5 - (c + 2z).
  const tiffData = Array.from(
    { length: 6 },
    (_, plane) =>
      `<TiffData IFD="${5 - plane}" FirstZ="${plane >> 1}" FirstC="${
        plane & 1
      }"/>`,
  ).join("");
  const reversed =
    `<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06"><Image ID="Image:0">` +
    `<Pixels ID="Pixels:0" DimensionOrder="XYCZT" Type="uint16" SizeX="5" SizeY="4" SizeZ="3" SizeC="2" SizeT="1">` +
    `${tiffData}</Pixels></Image></OME>`;
  const image = await readTiff(withDescription(bytes, xml, reversed));
  assertEquals(image.axes, "ZCYX");
  for (let plane = 0; plane < 6; plane++) {
    const z = plane >> 1, c = plane & 1;
    assertEquals(image.data.get(z, c, 0, 0), 20 * (5 - plane));
  }
});

const MALFORMED: [what: string, edit: (xml: string) => string, says: RegExp][] =
  [
    [
      "truncated XML",
      (xml) => xml.slice(0, xml.indexOf("<TiffData")),
      /truncated: <Pixels> is never closed/,
    ],
    [
      "SizeZ x SizeC x SizeT != pages",
      (xml) => xml.replace('SizeZ="3"', 'SizeZ="4"'),
      /SizeZ x SizeC x SizeT = 4 x 2 x 1 = 8 planes but the file has 6 pages/,
    ],
    [
      "unknown DimensionOrder",
      (xml) => xml.replace('"XYCZT"', '"XYCZQ"'),
      /DimensionOrder to be one of XYZCT, .*found "XYCZQ"/,
    ],
    [
      "unknown unit",
      (xml) => xml.replace('PhysicalSizeXUnit="µm"', 'PhysicalSizeXUnit="ft"'),
      /PhysicalSizeXUnit to be one of .*found "ft"/,
    ],
    [
      "bad number",
      (xml) => xml.replace('PhysicalSizeY="0.65"', 'PhysicalSizeY="0,65"'),
      /Pixels PhysicalSizeY to be a finite number > 0, found "0,65"/,
    ],
    [
      "bad count",
      (xml) => xml.replace('SizeY="4"', 'SizeY="x"'),
      /Pixels SizeY to be an integer >= 1, found "x"/,
    ],
    [
      "SizeX disagreeing with the pages",
      (xml) => xml.replace('SizeX="5"', 'SizeX="6"'),
      /Pixels SizeX 6 but the pages have 5/,
    ],
    [
      "Type disagreeing with the pages",
      (xml) => xml.replace('Type="uint16"', 'Type="uint32"'),
      /Pixels Type uint32 but the pages have samples of uint16/,
    ],
    [
      "TiffData past the pages",
      (xml) => xml.replace('IFD="0"', 'IFD="1"'),
      /TiffData IFD=1 PlaneCount=6 .*points past the file's 6 pages/,
    ],
    [
      "an unknown entity",
      (xml) => xml.replace('Name="DAPI"', 'Name="&zz;"'),
      /malformed OME-XML: unknown entity "&zz;"/,
    ],
    [
      "a mismatched closing tag",
      (xml) => xml.replace("</Image>", "</Imag>"),
      /<\/Imag> closes <Image>/,
    ],
    [
      "no TiffData",
      (xml) => xml.replace('<TiffData IFD="0" PlaneCount="6"/>', ""),
      /has no TiffData element/,
    ],
    [
      "a foreign namespace",
      (xml) => xml.replace("openmicroscopy.org", "example.org/omx"),
      /expected the OME element in the namespace/,
    ],
  ];

for (const [what, edit, says] of MALFORMED) {
  Deno.test(`readTiff refuses OME-XML with ${what}, naming the file`, async () => {
    const { bytes, xml } = omeFile();
    const edited = edit(xml);
    assert(edited !== xml, "the edit must change the description");
    await assertRejects(
      readTiff(withDescription(bytes, xml, edited), { name: "lab.ome.tif" }),
      (error: Error) => {
        assert(
          error.message.startsWith("readTiff: lab.ome.tif: "),
          error.message,
        );
        assert(says.test(error.message), error.message);
        return true;
      },
    );
  });
}

Deno.test("encodeTiff with ome: option errors name the option and what was expected", () => {
  const data = ndarray(new Uint16Array(2 * 3 * 4), [2, 3, 4]);
  const cases: [options: Record<string, unknown>, says: RegExp][] = [
    [
      { axes: "ZYX", ome: "yes" },
      /options\.ome must be true or false, got "yes"/,
    ],
    [
      { axes: "ZZYX", ome: true },
      /options\.axes must be T, Z and C at most once each/,
    ],
    [
      { axes: "YXZ", ome: true },
      /options\.axes must be T, Z and C .*got "YXZ"/,
    ],
    [{ axes: "SYX", ome: true }, /options\.axes must be/],
    [
      { axes: "TZYX", ome: true },
      /one letter per axis of data \(3 for shape \[2, 3, 4\]\)/,
    ],
    [
      { axes: "ZYX", ome: true, metadata: { physicalUnit: "furlong" } },
      /options\.metadata\.physicalUnit must be one of OME's length units µm, .*got "furlong"/,
    ],
    [
      { axes: "ZYX", ome: true, metadata: { physicalSizes: { Z: -1 } } },
      /options\.metadata\.physicalSizes\.Z must be a finite number > 0, got -1/,
    ],
    [
      { axes: "ZYX", ome: true, metadata: { physicalSizes: { X: Infinity } } },
      /physicalSizes\.X must be a finite number > 0, got Infinity/,
    ],
    [
      { axes: "CYX", ome: true, metadata: { channelNames: ["one"] } },
      /options\.metadata\.channelNames must be an array of 2 strings, one per channel, got \["one"\]/,
    ],
    [
      { axes: "CYX", ome: true, metadata: { channelNames: ["one", 2] } },
      /channelNames must be an array of 2 strings/,
    ],
  ];
  for (const [options, says] of cases) {
    assertThrows(
      // deno-lint-ignore no-explicit-any
      () => encodeTiff(data, options as any),
      (error: Error) => {
        assert(error.message.startsWith("encodeTiff: "), error.message);
        assert(says.test(error.message), error.message);
        return true;
      },
    );
  }
});

Deno.test("ome: true writes every sample type; ImageJ files keep ImageJ's three", async () => {
  const data = ndarray(new Int32Array([-5, 7, 2 ** 31 - 1, -(2 ** 31)]), [
    2,
    2,
  ]);
  assertThrows(
    () => encodeTiff(data, { axes: "YX" }),
    /uint8, uint16 or float32/,
  );
  const image = await readTiff(encodeTiff(data, { axes: "YX", ome: true }));
  assertEquals(image.metadata.ome?.type, "int32");
  assertEquals(image.data.data, data.data);
  const clamped = ndarray(new Uint8ClampedArray(4), [2, 2]);
  assertThrows(
    () => encodeTiff(clamped, { axes: "YX", ome: true }),
    /encodeTiff: data must be an ndarray of uint8, .* \(OME's pixel types\), got "uint8_clamped ndarray"/,
  );
});

Deno.test("ome: true writes ImageJ's micron, um and the Greek mu as OME's µm, and the angstrom sign as Å", async () => {
  const data = ndarray(new Uint16Array(2 * 2 * 3), [2, 2, 3]);
  for (
    const [unit, written, sizes] of [
      ["micron", "µm", { X: 0.5, Y: 0.5, Z: 2 }],
      ["um", "µm", { X: 0.5, Y: 0.5, Z: 2 }],
      ["\u03bcm", "µm", { X: 0.5, Y: 0.5, Z: 2 }],
      ["\u212b", "\u00c5", { X: 5e-5, Y: 5e-5, Z: 2e-4 }],
    ] as const
  ) {
    const bytes = encodeTiff(data, {
      axes: "ZYX",
      ome: true,
      metadata: {
        physicalSizes: { X: 0.5, Y: 0.5, Z: 2 },
        physicalUnit: unit,
      },
    });
    const xml = new TextDecoder().decode(bytes);
    assert(xml.includes(`PhysicalSizeXUnit="${written}"`), unit);
    const image = await readTiff(bytes);
    assertEquals(image.metadata.physicalUnit, "µm", unit);
    assertEquals(image.metadata.physicalSizes, sizes, unit);
  }
});
