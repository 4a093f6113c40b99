/**
 * OME-Zarr in stria (lib/zarr):
 *
 * - writeOmeZarr then readOmeZarr: values, axes, voxel sizes and units for
 *   every dtype, several axis orders, views, uneven chunks, NGFF 0.4 and 0.5;
 * - every written store passes a checker of the OME-NGFF rules written here
 *   from the spec's text (not from lib/zarr's tables), itself shown to catch
 *   each rule broken;
 * - tests/fixtures/zarr/, written by zarr-python (scripts/make_zarr_fixtures.py):
 *   values, axes, sizes and units, zlib and gzip chunks, plane reads;
 * - refusals, each naming the store's file and field; writer argument errors;
 * - writes interrupted part-way (a full disk) leave a store the readers refuse;
 * - writeOmeZarrArrays / readOmeZarrArrays: analysis outputs at the voxel size.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
  rejects as assertRejects,
} from "node:assert/strict";
import { join } from "node:path";
import { type NdArray, ndarray } from "../lib/deps.ts";
import { structureTensorAnalysis } from "../lib/feature/mod.ts";
import {
  openOmeZarrPlanes,
  readOmeZarr,
  readOmeZarrArrays,
  writeOmeZarr,
  writeOmeZarrArrays,
} from "../lib/zarr/mod.ts";
import { temporaryFilesIn, withFailingWrites } from "./_write_faults.ts";

const FIXTURES = new URL("./fixtures/zarr/", import.meta.url).pathname;

type Json = Record<string, unknown>;

// ---------------------------------------------------------------- the spec

/** Units the spec (0.4 and 0.5, "axes" metadata) lists, a subset suffices. */
const SPEC_SPACE_UNITS = [
  "angstrom",
  "centimeter",
  "foot",
  "inch",
  "meter",
  "micrometer",
  "mile",
  "millimeter",
  "nanometer",
  "picometer",
  "yard",
  "kilometer",
  "decimeter",
];
const SPEC_TIME_UNITS = [
  "second",
  "millisecond",
  "microsecond",
  "nanosecond",
  "minute",
  "hour",
  "day",
  "picosecond",
];

/**
 * The OME-NGFF rules a multiscales group must follow, from the spec's text:
 * multiscales a non-empty list; each with axes (2 to 5, unique names; 2 or 3
 * of type space, last; at most one time axis, first; at most one channel or
 * custom axis, before space; units valid for their type) and datasets (each
 * with a path and coordinateTransformations of only scale and translation,
 * exactly one scale and it first, scale as long as axes); 0.4: version in the
 * multiscale, .zarray's dimension_separator "/"; 0.5: attributes.ome.version,
 * zarr.json with node_type group, arrays' dimension_names equal the axes' names.
 */
function specProblems(
  version: "0.4" | "0.5",
  group: Json,
  arrays: Record<string, Json>,
): string[] {
  const problems: string[] = [];
  let ms: unknown;
  if (version === "0.5") {
    if (group.zarr_format !== 3 || group.node_type !== "group") {
      problems.push("zarr.json is not a v3 group");
    }
    const ome = (group.attributes as Json | undefined)?.ome as Json | undefined;
    if (ome?.version !== "0.5") problems.push("ome.version is not 0.5");
    ms = ome?.multiscales;
  } else {
    ms = group.multiscales;
  }
  if (!Array.isArray(ms) || ms.length === 0) return ["no multiscales"];
  for (const m of ms as Json[]) {
    if (version === "0.4" && m.version !== "0.4") problems.push("version");
    const axes = m.axes as Json[];
    if (!Array.isArray(axes)) return [...problems, "no axes"];
    if (axes.length < 2 || axes.length > 5) problems.push("axes count");
    const names = axes.map((a) => a.name);
    if (new Set(names).size !== names.length) problems.push("names unique");
    const types = axes.map((a) => a.type as string);
    const space = types.filter((t) => t === "space").length;
    if (space < 2 || space > 3) problems.push("2 or 3 space axes");
    const first = types.indexOf("space");
    if (types.slice(first).some((t) => t !== "space")) {
      problems.push("space axes last");
    }
    const times = types.filter((t) => t === "time").length;
    if (times > 1 || (times === 1 && types[0] !== "time")) {
      problems.push("time first");
    }
    if (types.filter((t) => t !== "time" && t !== "space").length > 1) {
      problems.push("one channel or custom axis");
    }
    for (const a of axes) {
      if (a.unit === undefined) continue;
      const list = a.type === "space"
        ? SPEC_SPACE_UNITS
        : a.type === "time"
        ? SPEC_TIME_UNITS
        : [];
      if (!list.includes(a.unit as string)) problems.push(`unit ${a.unit}`);
    }
    const datasets = m.datasets as Json[];
    if (!Array.isArray(datasets) || datasets.length === 0) {
      problems.push("no datasets");
      continue;
    }
    for (const d of datasets) {
      if (typeof d.path !== "string") problems.push("dataset path");
      const ts = d.coordinateTransformations as Json[];
      if (!Array.isArray(ts)) {
        problems.push("no coordinateTransformations");
        continue;
      }
      if (ts.some((t) => t.type !== "scale" && t.type !== "translation")) {
        problems.push("transform types");
      }
      if (ts.filter((t) => t.type === "scale").length !== 1) {
        problems.push("one scale");
      }
      if (ts[0]?.type !== "scale") problems.push("scale first");
      for (const t of ts) {
        const v = (t.scale ?? t.translation) as unknown[];
        if (!Array.isArray(v) || v.length !== axes.length) {
          problems.push("scale length");
        }
      }
      const array = arrays[d.path as string];
      if (array === undefined) {
        problems.push(`array ${d.path} missing`);
        continue;
      }
      const shape = array.shape as number[];
      if (shape.length !== axes.length) problems.push("array dimensions");
      if (version === "0.5") {
        if (JSON.stringify(array.dimension_names) !== JSON.stringify(names)) {
          problems.push("dimension_names");
        }
      } else if (array.dimension_separator !== "/") {
        problems.push("dimension_separator");
      }
    }
  }
  return problems;
}

async function readJson(path: string): Promise<Json> {
  return JSON.parse(await Deno.readTextFile(path));
}

/** The spec problems of the image group at `path`, as stored on disk. */
async function storeProblems(path: string): Promise<string[]> {
  let version: "0.4" | "0.5";
  let group: Json;
  try {
    group = await readJson(join(path, "zarr.json"));
    version = "0.5";
  } catch {
    group = await readJson(join(path, ".zattrs"));
    await readJson(join(path, ".zgroup"));
    version = "0.4";
  }
  const ms =
    (version === "0.5"
      ? ((group.attributes as Json).ome as Json).multiscales
      : group.multiscales) as Json[];
  const arrays: Record<string, Json> = {};
  for (const d of ms?.[0]?.datasets as Json[] ?? []) {
    const file = version === "0.5" ? "zarr.json" : ".zarray";
    arrays[d.path as string] = await readJson(
      join(path, d.path as string, file),
    );
  }
  return specProblems(version, group, arrays);
}

Deno.test("the spec checker catches each rule broken", () => {
  const axes = [
    { name: "c", type: "channel" },
    { name: "z", type: "space", unit: "micrometer" },
    { name: "y", type: "space", unit: "micrometer" },
    { name: "x", type: "space", unit: "micrometer" },
  ];
  const good = (a: Json[], scale: number[], extra: Json = {}) => ({
    multiscales: [{
      version: "0.4",
      axes: a,
      datasets: [{
        path: "0",
        coordinateTransformations: [
          { type: "scale", scale },
          ...(extra.t as Json[] ?? []),
        ],
      }],
    }],
  });
  const array = { "0": { shape: [2, 3, 4, 5], dimension_separator: "/" } };
  assertEquals(specProblems("0.4", good(axes, [1, 2, 1, 1]), array), []);
  const cases: [Json[], number[], string, Json?][] = [
    [[axes[1], axes[0], axes[2], axes[3]], [1, 1, 1, 1], "space axes last"],
    [
      [axes[0], axes[1], axes[2], { name: "t", type: "time" }],
      [1, 1, 1, 1],
      "space axes last",
    ],
    [
      [axes[0], { name: "t", type: "time" }, axes[2], axes[3]],
      [1, 1, 1, 1],
      "time first",
    ],
    [
      [axes[0], { name: "q", type: "angle" }, axes[2], axes[3]],
      [1, 1, 1, 1],
      "one channel or custom axis",
    ],
    [[axes[0], axes[1], axes[1], axes[3]], [1, 1, 1, 1], "names unique"],
    [
      [axes[0], axes[1], axes[2], { ...axes[3], unit: "µm" }],
      [1, 1, 1, 1],
      "unit µm",
    ],
    [
      [axes[0], { name: "z", type: "channel" }, axes[2], axes[3]],
      [1, 1, 1, 1],
      "one channel or custom axis",
    ],
    [axes, [1, 1, 1], "scale length"],
    [axes, [1, 1, 1, 1], "scale first", {
      t: [{ type: "translation", translation: [0, 0, 0, 0] }],
    }],
    [[axes[0], axes[3]], [1, 1], "2 or 3 space axes"],
  ];
  for (const [a, scale, problem, extra] of cases) {
    let doc = good(a, scale, extra ?? {});
    if (problem === "scale first") {
      const d = doc.multiscales[0].datasets[0];
      d.coordinateTransformations.reverse();
    }
    if (problem === "2 or 3 space axes") {
      doc = good(a, scale);
    }
    const shapes = { "0": { ...array["0"], shape: a.map(() => 2) } };
    assert(
      specProblems("0.4", doc, shapes).includes(problem),
      `${problem}: ${specProblems("0.4", doc, shapes)}`,
    );
  }
  assert(
    specProblems("0.4", good(axes, [1, 1, 1, 1]), {
      "0": { shape: [2, 3, 4, 5] },
    }).includes("dimension_separator"),
  );
  assert(
    specProblems("0.4", good(axes, [1, 1, 1, 1]), {
      "0": { shape: [2, 3, 4], dimension_separator: "/" },
    }).includes("array dimensions"),
  );
});

// ---------------------------------------------------------------- round trips

const TYPES = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** Values of `dtype` spread over its range, with a fractional part for floats. */
function sample(dtype: keyof typeof TYPES, shape: number[]): NdArray {
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new TYPES[dtype](size);
  for (let i = 0; i < size; i++) {
    const v = (i * 7919) % 251;
    values[i] = dtype.startsWith("float")
      ? (v - 125) / 8
      : dtype.startsWith("int")
      ? v - 125
      : v * (dtype === "uint8" ? 1 : 1001);
  }
  return ndarray(values, shape);
}

function plain(array: NdArray): number[] {
  const out: number[] = [];
  const walk = (index: number[]) => {
    if (index.length === array.shape.length) {
      out.push(array.get(...index));
      return;
    }
    for (let i = 0; i < array.shape[index.length]; i++) walk([...index, i]);
  };
  walk([]);
  return out;
}

const LAYOUTS: [keyof typeof TYPES, string, number[]][] = [
  ["uint8", "YX", [5, 7]],
  ["uint16", "ZYX", [3, 9, 10]],
  ["uint32", "CZYX", [2, 3, 4, 5]],
  ["int8", "TYX", [2, 6, 5]],
  ["int16", "TCZYX", [2, 2, 3, 4, 3]],
  ["int32", "CYX", [3, 4, 4]],
  ["float32", "ZYX", [4, 5, 6]],
  ["float64", "TZYX", [2, 3, 4, 5]],
];

for (const version of ["0.4", "0.5"] as const) {
  Deno.test(`writeOmeZarr → readOmeZarr (${version}): values, axes, sizes, units, spec rules`, async () => {
    const dir = await Deno.makeTempDir();
    try {
      for (const [dtype, axes, shape] of LAYOUTS) {
        const data = sample(dtype, shape);
        const path = join(dir, `${dtype}_${axes}.zarr`);
        const chunkShape = shape.map((n) => Math.max(1, Math.ceil(n / 2)));
        await writeOmeZarr(path, data, {
          axes,
          physicalSizes: { X: 0.25, Y: 0.5, Z: 2, T: 30 },
          chunkShape,
          version,
          name: dtype,
        });
        const back = await readOmeZarr(path);
        assertEquals(back.axes, axes, dtype);
        assertEquals(back.data.shape, shape, dtype);
        assertEquals(back.data.data.constructor, TYPES[dtype], dtype);
        assertEquals(Array.from(back.data.data), plain(data), dtype);
        const expected: Record<string, number> = {
          X: 0.25,
          Y: 0.5,
          Z: 2,
          T: 30,
        };
        assertEquals(
          back.metadata.physicalSizes,
          Object.fromEntries(
            [...axes].filter((l) => l !== "C").map((l) => [l, expected[l]]),
          ),
          dtype,
        );
        assertEquals(back.metadata.physicalUnit, "µm", dtype);
        assertEquals(back.metadata.version, version);
        assertEquals(back.metadata.name, dtype);
        assertEquals(back.metadata.chunkShape, chunkShape);
        assertEquals(await storeProblems(path), [], `${dtype} ${axes}`);
        const ms = (version === "0.5"
          ? ((await readJson(join(path, "zarr.json"))).attributes as Json)
            .ome as Json
          : await readJson(join(path, ".zattrs"))).multiscales as Json[];
        const written = ms[0].axes as Json[];
        assertEquals(
          written.map((a) => [a.name, a.type, a.unit]),
          [...axes].map((l) => [
            l.toLowerCase(),
            { T: "time", C: "channel" }[l] ?? "space",
            { T: "second", C: undefined }[l as "T"] ??
              (l === "C" ? undefined : "micrometer"),
          ]),
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
}

Deno.test("writeOmeZarr: a transposed view, default chunks, other units and sizes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const base = sample("uint16", [4, 300, 5]);
    const view = base.transpose(0, 2, 1); // [4, 5, 300], strided
    await writeOmeZarr(join(dir, "v.zarr"), view, {
      physicalUnit: "nm",
      physicalSizes: { X: 65 },
    });
    const back = await readOmeZarr(join(dir, "v.zarr"));
    assertEquals(Array.from(back.data.data), plain(view));
    assertEquals(back.metadata.chunkShape, [1, 5, 256]);
    assertEquals(back.metadata.physicalSizes, { Z: 1, Y: 1, X: 65 });
    assertEquals(back.metadata.physicalUnit, "nm");
    const ome =
      ((await readJson(join(dir, "v.zarr", "zarr.json"))).attributes as Json)
        .ome as Json;
    const m = (ome.multiscales as Json[])[0];
    assertEquals((m.axes as Json[]).map((a) => a.unit), [
      "nanometer",
      "nanometer",
      "nanometer",
    ]);
    assertEquals(
      (m.datasets as Json[])[0].coordinateTransformations,
      [{ type: "scale", scale: [1, 1, 65] }],
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------- zarr-python's stores

Deno.test("reads zarr-python's OME-Zarr 0.4 stores (zlib and gzip chunks)", async () => {
  const czyx = await readOmeZarr(join(FIXTURES, "python_czyx_u16.zarr"));
  assertEquals(czyx.axes, "CZYX");
  assertEquals(czyx.data.shape, [2, 3, 4, 5]);
  assertEquals(czyx.metadata.dtype, "uint16");
  assertEquals(
    Array.from(czyx.data.data),
    Array.from({ length: 120 }, (_, i) => i),
  );
  assertEquals(czyx.metadata.physicalSizes, { Z: 2, Y: 0.5, X: 0.25 });
  assertEquals(czyx.metadata.physicalUnit, "µm");
  assertEquals(czyx.metadata.chunkShape, [1, 2, 4, 3]);
  const tyx = await readOmeZarr(join(FIXTURES, "python_tyx_f32.zarr"));
  assertEquals(tyx.axes, "TYX");
  assertEquals(
    Array.from(tyx.data.data),
    Array.from({ length: 72 }, (_, i) => i / 8),
  );
  assertEquals(tyx.metadata.physicalSizes, { T: 0.04, Y: 100, X: 100 });
  assertEquals(tyx.metadata.physicalUnit, "nm");
});

Deno.test("openOmeZarrPlanes reads plane ranges across chunks, per channel and time", async () => {
  const reader = await openOmeZarrPlanes(
    join(FIXTURES, "python_czyx_u16.zarr"),
    { channel: 1 },
  );
  assertEquals(reader.shape, [3, 4, 5]);
  assertEquals(reader.physicalSizes, { Z: 2, Y: 0.5, X: 0.25 });
  const planes = await reader.readPlanes(1, 2);
  assertEquals(planes.shape, [2, 4, 5]);
  assertEquals(
    Array.from(planes.data),
    Array.from({ length: 40 }, (_, i) => 60 + 20 + i),
  );
  const tyx = await openOmeZarrPlanes(join(FIXTURES, "python_tyx_f32.zarr"), {
    time: 2,
  });
  assertEquals(tyx.shape, [1, 4, 6]);
  assertEquals(
    Array.from((await tyx.readPlanes(0, 1)).data),
    Array.from({ length: 24 }, (_, i) => (48 + i) / 8),
  );
  await assertRejects(
    () => reader.readPlanes(2, 2),
    /readPlanes: start, count must be a range of planes inside 0 … 2/,
  );
  await assertRejects(
    () =>
      openOmeZarrPlanes(join(FIXTURES, "python_czyx_u16.zarr"), { channel: 2 }),
    /openOmeZarrPlanes: options\.channel must be an integer from 0 to 1 \(axis C has 2\), got 2/,
  );
});

Deno.test("openOmeZarrPlanes readBox reads a box of planes, rows and columns, touching only its chunks", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const volume = sample("uint16", [2, 4, 8, 6]);
    const path = join(dir, "box.zarr");
    await writeOmeZarr(path, volume, {
      axes: "CZYX",
      chunkShape: [1, 2, 4, 3],
    });
    const reader = await openOmeZarrPlanes(path, { channel: 1 });
    assert(reader.readBox !== undefined);
    const box = await reader.readBox([1, 3], [2, 4], [3, 6]);
    assertEquals(box.shape, [2, 2, 3]);
    for (let z = 0; z < 2; z++) {
      for (let y = 0; y < 2; y++) {
        for (let x = 0; x < 3; x++) {
          assertEquals(box.get(z, y, x), volume.get(1, z + 1, y + 2, x + 3));
        }
      }
    }
    // Chunk (channel 1, planes 2-3, rows 4-7, columns 3-5) lies outside the
    // box: removed, a read of whole planes finds the fill value there, the
    // box its own values.
    const outside = join(path, "0", "c", "1", "1", "1", "1");
    await Deno.remove(outside);
    assertEquals((await reader.readBox([1, 3], [2, 4], [3, 6])).data, box.data);
    assert(volume.get(1, 2, 4, 3) !== 0);
    assertEquals((await reader.readPlanes(2, 1)).get(0, 4, 3), 0);
    await assertRejects(
      () => reader.readBox([1, 3], [2, 9], [0, 6]),
      /readBox: rows must be \[first, end\) with 0 <= first < end <= 8, got \[2, 9\]/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------- refusals

/** Writes a small store and edits its metadata with `edit`. */
async function edited(
  dir: string,
  name: string,
  version: "0.4" | "0.5",
  edit: (ome: Json, root: string) => void | Promise<void>,
): Promise<string> {
  const path = join(dir, name);
  await writeOmeZarr(path, sample("uint8", [2, 3, 4]), { version });
  const file = join(path, version === "0.5" ? "zarr.json" : ".zattrs");
  const doc = await readJson(file);
  const ome = version === "0.5" ? (doc.attributes as Json).ome as Json : doc;
  await edit(ome, path);
  await Deno.writeTextFile(file, JSON.stringify(doc));
  return path;
}

Deno.test("readOmeZarr applies a multiscale-wide scale after the level's, and ignores a translation", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = await edited(dir, "shared.zarr", "0.5", (ome) => {
      const m = (ome.multiscales as Json[])[0];
      m.coordinateTransformations = [{ type: "scale", scale: [3, 2, 2] }];
      (m.datasets as Json[])[0].coordinateTransformations = [
        { type: "scale", scale: [1, 0.5, 0.25] },
        { type: "translation", translation: [0, 10, 10] },
      ];
    });
    assertEquals((await readOmeZarr(path)).metadata.physicalSizes, {
      Z: 3,
      Y: 1,
      X: 0.5,
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("readOmeZarr refuses broken stores, naming the file and the field", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const cases: [
      string,
      "0.4" | "0.5",
      (ome: Json, root: string) => void | Promise<void>,
      RegExp,
    ][] = [
      [
        "version",
        "0.5",
        (ome) => {
          ome.version = "0.3";
        },
        /zarr\.json: attributes\.ome\.version "0\.3" is not a version stria reads/,
      ],
      [
        "version4",
        "0.4",
        (ome) => {
          (ome.multiscales as Json[])[0].version = "0.2";
        },
        /\.zattrs: multiscales\[0\]\.version "0\.2" is not a version stria reads/,
      ],
      [
        "nomultiscales",
        "0.5",
        (ome) => {
          delete ome.multiscales;
        },
        /zarr\.json: attributes\.ome\.multiscales is missing: not an OME-Zarr image/,
      ],
      ["nomultiscales4", "0.4", (ome) => {
        delete ome.multiscales;
      }, /\.zattrs: multiscales is missing/],
      [
        "scale",
        "0.5",
        (ome) => {
          ((ome.multiscales as Json[])[0].datasets as Json[])[0]
            .coordinateTransformations = [{ type: "scale", scale: [1, 1] }];
        },
        /multiscales\[0\]\.datasets\[0\]\.coordinateTransformations scale \[1,1\] must be 3 finite numbers > 0/,
      ],
      ["noscale", "0.4", (ome) => {
        ((ome.multiscales as Json[])[0].datasets as Json[])[0]
          .coordinateTransformations = [{
            type: "translation",
            translation: [1, 1, 1],
          }];
      }, /datasets\[0\]\.coordinateTransformations must hold one scale, first/],
      ["unit", "0.5", (ome) => {
        ((ome.multiscales as Json[])[0].axes as Json[])[2].unit = "µm";
      }, /axes axis "x" has unit "µm", not a unit of the spec for type space/],
      ["order", "0.5", (ome) => {
        const axes = (ome.multiscales as Json[])[0].axes as Json[];
        axes[0] = { name: "c", type: "channel" };
        axes.reverse();
      }, /axes types \[space, space, channel\] do not end with the space axes/],
      ["axescount", "0.4", (ome) => {
        const axes = (ome.multiscales as Json[])[0].axes as Json[];
        axes.unshift({ name: "t", type: "time" });
        ((ome.multiscales as Json[])[0].datasets as Json[])[0]
          .coordinateTransformations = [{ type: "scale", scale: [1, 1, 1, 1] }];
      }, /\/0: has 3 dimensions but .*\.zattrs: multiscales\[0\]\.axes has 4/],
      ["names", "0.5", (ome) => {
        const axes = (ome.multiscales as Json[])[0].axes as Json[];
        axes[0] = { name: "q", type: "space", unit: "micrometer" };
      }, /zarr\.json: dimension_names \[z,y,x\] do not match/],
      [
        "nolevel",
        "0.5",
        (_ome, root) => Deno.remove(join(root, "0"), { recursive: true }),
        /\/0: level 0's array cannot be opened/,
      ],
    ];
    for (const [name, version, edit, message] of cases) {
      const path = await edited(dir, name, version, edit);
      await assertRejects(() => readOmeZarr(path), (error: Error) => {
        assert(message.test(error.message), `${name}: ${error.message}`);
        assert(error.message.startsWith("readOmeZarr: "), error.message);
        assert(
          error.message.includes(path),
          `${name} names the store: ${error.message}`,
        );
        return true;
      });
    }
    const two = join(dir, "two");
    await writeOmeZarr(two, sample("uint8", [3, 4]));
    await assertRejects(
      () => readOmeZarr(two, { level: 1 }),
      /readOmeZarr: .*zarr\.json: attributes\.ome\.multiscales\[0\]\.datasets has 1 level\(s\); level 1 is missing/,
    );
    await Deno.mkdir(join(dir, "empty"));
    await assertRejects(
      () => readOmeZarr(join(dir, "empty")),
      /readOmeZarr: .*empty: not a Zarr group \(no zarr\.json or \.zgroup\)/,
    );
    await assertRejects(
      () => readOmeZarr(join(dir, "absent")),
      /readOmeZarr: .*absent: no such store/,
    );
    await Deno.writeTextFile(
      join(dir, "empty", "zarr.json"),
      JSON.stringify({ zarr_format: 3, node_type: "array" }),
    );
    await assertRejects(
      () => readOmeZarr(join(dir, "empty")),
      /zarr\.json: not a Zarr v3 group \(zarr_format 3, node_type "array"\)/,
    );
    await assertRejects(
      () => readOmeZarr(two, { level: -1 }),
      /readOmeZarr: options\.level must be an integer >= 0, got -1/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("writeOmeZarr refuses bad arguments and an existing path", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const data = sample("uint8", [2, 3, 4]);
    const path = join(dir, "a.zarr");
    const cases: [Json, RegExp][] = [
      [
        { axes: "ZCY" },
        /writeOmeZarr: options\.axes must be distinct letters of T, C, Z, Y, X in the OME-NGFF order .*got "ZCY"/,
      ],
      [{ axes: "ZZX" }, /options\.axes must be distinct letters/],
      [
        { axes: "YX" },
        /options\.axes must be 3 axis letters \(one per dimension of data\), got "YX"/,
      ],
      [
        { physicalUnit: "furlong" },
        /options\.physicalUnit must be a length unit .*got "furlong"/,
      ],
      [
        { physicalSizes: { Z: -1 } },
        /options\.physicalSizes\.Z must be a finite number > 0, got -1/,
      ],
      [
        { chunkShape: [1, 2] },
        /options\.chunkShape must be 3 integers > 0 \(one per axis\), got \[1, 2\]/,
      ],
      [
        { version: "0.3" },
        /options\.version must be "0\.4" or "0\.5", got "0\.3"/,
      ],
    ];
    for (const [options, message] of cases) {
      await assertRejects(() => writeOmeZarr(path, data, options), message);
    }
    await assertRejects(
      () => writeOmeZarr(path, ndarray(new Uint8Array(3), [3])),
      /data must be an ndarray with at least 2 dimension/,
    );
    await writeOmeZarr(path, data);
    await assertRejects(
      () => writeOmeZarr(path, data),
      /writeOmeZarr: .*a\.zarr: already exists; pass \{ overwrite: true \}/,
    );
    await writeOmeZarr(path, sample("float32", [3, 3]), { overwrite: true });
    assertEquals((await readOmeZarr(path)).data.shape, [3, 3]);
    await Deno.mkdir(join(dir, "folder"));
    await Deno.writeTextFile(join(dir, "folder", "notes.txt"), "keep");
    await assertRejects(
      () => writeOmeZarr(join(dir, "folder"), data, { overwrite: true }),
      /folder: exists and is not a Zarr store; not replaced/,
    );
    assertEquals(
      await Deno.readTextFile(join(dir, "folder", "notes.txt")),
      "keep",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------- interrupted writes

/** The chunk files under a level's folder (every file but its metadata). */
async function chunkFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) files.push(...await chunkFiles(path));
    else if (!/^(zarr\.json|\.zarray)$/.test(entry.name)) files.push(path);
  }
  return files;
}

Deno.test("an interrupted write leaves a store the readers refuse, and no temporary file", async () => {
  const dir = await Deno.makeTempDir();
  try {
    for (const version of ["0.4", "0.5"] as const) {
      const data = sample("uint16", [4, 16, 16]);
      const path = join(dir, `cut${version}.zarr`);
      // Enough for the level's array metadata and one and a half chunks (512 bytes each) of four.
      const probe = join(dir, `probe${version}.zarr`);
      await writeOmeZarr(probe, data, { version, chunkShape: [1, 16, 16] });
      const metadataBytes = (await Deno.stat(
        join(probe, "0", version === "0.5" ? "zarr.json" : ".zarray"),
      )).size;
      const allowed = metadataBytes + 512 + 256;
      const { error } = await withFailingWrites(
        allowed,
        () => writeOmeZarr(path, data, { version, chunkShape: [1, 16, 16] }),
      );
      assert(
        error instanceof Error &&
          /No space left/.test(String((error as Error).cause ?? error.message)),
        String(error),
      );
      await assertRejects(
        () => readOmeZarr(path),
        /readOmeZarr: .*: not a Zarr group \(no zarr\.json or \.zgroup\); a store whose write was interrupted has none/,
      );
      const chunks = (await chunkFiles(join(path, "0"))).length;
      assert(
        chunks >= 1 && chunks < 4,
        `the cut lands among the chunks: ${chunks} of 4 written`,
      );
      assertEquals(await temporaryFilesIn(path), []);
      assertEquals(await temporaryFilesIn(join(path, "0")), []);
      // Rewriting over the interrupted store completes it.
      await writeOmeZarr(path, data, { version, overwrite: true });
      assertEquals(
        Array.from((await readOmeZarr(path)).data.data),
        plain(data),
      );
      // An overwrite interrupted part-way leaves neither the old store nor a new one readable.
      await withFailingWrites(
        allowed,
        () =>
          writeOmeZarr(path, data, {
            version,
            overwrite: true,
            chunkShape: [1, 16, 16],
          }),
      );
      await assertRejects(() => readOmeZarr(path), /not a Zarr group/);
    }
    const arrays = {
      a: sample("float32", [2, 4, 8, 8]),
      b: sample("uint8", [4, 8, 8]),
    };
    const path = join(dir, "arrays.zarr");
    const { error } = await withFailingWrites(
      2200,
      () => writeOmeZarrArrays(path, arrays),
    );
    assert(error instanceof Error, "the write failed");
    await assertRejects(
      () => readOmeZarrArrays(path),
      /readOmeZarrArrays: .*arrays\.zarr: not a Zarr group .*interrupted/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------- analysis outputs

Deno.test("writeOmeZarrArrays stores analysis outputs as OME-Zarr images at the voxel size", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const volume = sample("float64", [5, 6, 7]);
    const result = structureTensorAnalysis(volume, {
      sigma: 1,
      spacing: [2, 0.5, 0.5],
      outputs: ["eigenvalues", "vectors", "fractionalAnisotropy", "shapeClass"],
    });
    const outputs: Record<string, NdArray> = {
      eigenvalues: result.eigenvalues!,
      vectors: result.vectors!,
      fractionalAnisotropy: result.fractionalAnisotropy!,
      shapeClass: result.shapeClass!.codes,
    };
    for (const version of ["0.4", "0.5"] as const) {
      const path = join(dir, `analysis${version}.zarr`);
      await writeOmeZarrArrays(path, outputs, {
        physicalSizes: { Z: 2, Y: 0.5, X: 0.5 },
        version,
      });
      const back = await readOmeZarrArrays(path);
      assertEquals(back.axes, "ZYX");
      assertEquals(back.physicalSizes, { Z: 2, Y: 0.5, X: 0.5 });
      assertEquals(back.physicalUnit, "µm");
      for (const [name, array] of Object.entries(outputs)) {
        assertEquals(back.arrays[name].shape, array.shape, name);
        assertEquals(Array.from(back.arrays[name].data), plain(array), name);
        assertEquals(await storeProblems(join(path, name)), [], name);
        const image = await readOmeZarr(join(path, name));
        assertEquals(image.axes, array.shape.length > 3 ? "CZYX" : "ZYX", name);
        assertEquals(
          image.metadata.physicalSizes,
          { Z: 2, Y: 0.5, X: 0.5 },
          name,
        );
      }
      assertEquals(
        (await readOmeZarr(join(path, "vectors"))).data.shape[0],
        result.vectors!.shape[0] * 3,
      );
      assertEquals(
        (await readOmeZarr(join(path, "shapeClass"))).metadata.dtype,
        "uint8",
      );
    }
    await assertRejects(
      () =>
        writeOmeZarrArrays(join(dir, "x.zarr"), {
          a: sample("uint8", [3, 4, 5]),
          b: sample("uint8", [3, 4, 6]),
        }),
      /writeOmeZarrArrays: arrays\.b must be an ndarray ending with the space shape \[3, 4, 5\] of the first array/,
    );
    await assertRejects(
      () =>
        writeOmeZarrArrays(join(dir, "x.zarr"), {
          "../up": sample("uint8", [3, 4]),
        }),
      /writeOmeZarrArrays: arrays' names must be letters, digits/,
    );
    await writeOmeZarr(join(dir, "plain.zarr"), sample("uint8", [3, 4]));
    await assertRejects(
      () => readOmeZarrArrays(join(dir, "plain.zarr")),
      /no stria\.arrays: not written by writeOmeZarrArrays/,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
