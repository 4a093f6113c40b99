/**
 * Opens one level of an OME-Zarr image for the readers: reads the group's
 * metadata (zarr.json for 0.5, .zgroup and .zattrs for 0.4), checks it by the
 * spec's rules with messages that name the file and the field, and opens the
 * level's array through zarrita.
 *
 * @module
 */

import { join } from "node:path";
import { argumentError } from "../_errors.ts";
import { filePath } from "../_atomic_write.ts";
import { loadZarrita, type NdArray, ndarray, type Zarrita } from "../deps.ts";
import { ARRAY_TYPES, copyToContiguous, sizeOf } from "../array/_strided.ts";
import type { DType, NumericArray } from "../array/types.ts";
import { FileStore } from "./_file_store.ts";
import { checkImageComplete } from "./_block_completion.ts";
import {
  axesProblems,
  axisLetter,
  axisType,
  type OmeZarrAxis,
  type OmeZarrVersion,
  type PhysicalSizes,
  SPACE_UNITS,
  TIME_UNITS,
  unitSymbol,
} from "./_ngff.ts";

/** What the readers report about an OME-Zarr image, beside its values. */
export interface OmeZarrMetadata {
  /** The level's sample type. */
  dtype: DType;
  /** The OME-NGFF version of the store: "0.4" (Zarr v2) or "0.5" (Zarr v3). */
  version: OmeZarrVersion;
  /** The multiscale's name, when it has one. */
  name?: string;
  /** The level read: an index into the multiscale's datasets. */
  level: number;
  /** How many levels the multiscale has. */
  levels: number;
  /** The level's chunk shape. */
  chunkShape: number[];
  /**
   * The level's scale per axis letter: X, Y, Z in `physicalUnit` (converted
   * to the X axis's unit when the axes differ), T in seconds.
   */
  physicalSizes: PhysicalSizes;
  /** Unit of the X, Y and Z sizes ("µm" for micrometer, "nm", … else the NGFF name). */
  physicalUnit?: string;
  /** The group's OME metadata as stored: the "ome" attributes (0.5) or the .zattrs (0.4). */
  ome: Record<string, unknown>;
}

/** An opened level: its zarrita array and what the readers report. */
export interface OpenedImage {
  zarr: Zarrita;
  array: Parameters<Zarrita["get"]>[0];
  shape: number[];
  axes: string;
  ngffAxes: OmeZarrAxis[];
  metadata: OmeZarrMetadata;
}

const DTYPES = new Set(Object.keys(ARRAY_TYPES));

type Json = Record<string, unknown>;

/** Reads a JSON document of the store, or undefined when it is missing. */
async function readJson(
  fail: (message: string) => Error,
  file: string,
): Promise<Json | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw fail(`${file}: cannot be read (${(error as Error).message})`);
  }
  try {
    const value = JSON.parse(text);
    if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      return value;
    }
  } catch {
    // reported below
  }
  throw fail(`${file}: not a JSON object`);
}

/** The group's OME metadata, version and stria attributes, from zarr.json or .zgroup/.zattrs. */
async function groupMetadata(
  fail: (message: string) => Error,
  root: string,
): Promise<
  { ome: Json; version: OmeZarrVersion; file: string; stria: unknown }
> {
  const v3File = join(root, "zarr.json");
  const v3 = await readJson(fail, v3File);
  if (v3 !== undefined) {
    if (v3.zarr_format !== 3 || v3.node_type !== "group") {
      throw fail(
        `${v3File}: not a Zarr v3 group (zarr_format ${
          JSON.stringify(v3.zarr_format)
        }, node_type ${JSON.stringify(v3.node_type)})`,
      );
    }
    const attributes = (v3.attributes ?? {}) as Json;
    const ome = attributes.ome as Json | undefined;
    if (typeof ome !== "object" || ome === null) {
      throw fail(
        `${v3File}: attributes.ome is missing: not an OME-Zarr 0.5 image${
          "multiscales" in attributes ? " (multiscales outside ome)" : ""
        }`,
      );
    }
    if (ome.version !== "0.5") {
      throw fail(
        `${v3File}: attributes.ome.version ${
          JSON.stringify(ome.version)
        } is not a version stria reads (0.5 on Zarr v3, 0.4 on Zarr v2)`,
      );
    }
    return { ome, version: "0.5", file: v3File, stria: attributes.stria };
  }
  const v2File = join(root, ".zgroup");
  if ((await readJson(fail, v2File)) === undefined) {
    try {
      await Deno.stat(root);
    } catch {
      throw fail(`${root}: no such store`);
    }
    throw fail(
      `${root}: not a Zarr group (no zarr.json or .zgroup); a store whose write was interrupted has none`,
    );
  }
  const attrsFile = join(root, ".zattrs");
  const ome = await readJson(fail, attrsFile) ?? {};
  const multiscales = ome.multiscales as Json[] | undefined;
  const version = Array.isArray(multiscales)
    ? (multiscales[0] as Json | undefined)?.version
    : undefined;
  if (Array.isArray(multiscales) && version !== "0.4") {
    throw fail(
      `${attrsFile}: multiscales[0].version ${
        JSON.stringify(version)
      } is not a version stria reads (0.4 on Zarr v2, 0.5 on Zarr v3)`,
    );
  }
  return { ome, version: "0.4", file: attrsFile, stria: ome.stria };
}

/** The product of the `scale` transforms of a list, checked against the axes. */
function scaleOf(
  fail: (message: string) => Error,
  where: string,
  transforms: unknown,
  count: number,
  required: boolean,
): number[] {
  if (transforms === undefined && !required) return new Array(count).fill(1);
  if (!Array.isArray(transforms)) {
    throw fail(`${where}.coordinateTransformations is missing`);
  }
  const scales = transforms.filter((t) => (t as Json)?.type === "scale");
  if (
    scales.length !== 1 || (transforms[0] as Json)?.type !== "scale" ||
    !transforms.every((t) =>
      ["scale", "translation"].includes((t as Json)?.type as string)
    )
  ) {
    throw fail(
      `${where}.coordinateTransformations must hold one scale, first, and at most a translation`,
    );
  }
  const scale = (scales[0] as Json).scale;
  if (
    !Array.isArray(scale) || scale.length !== count ||
    !scale.every((s) => typeof s === "number" && Number.isFinite(s) && s > 0)
  ) {
    throw fail(
      `${where}.coordinateTransformations scale ${
        JSON.stringify(scale)
      } must be ${count} finite numbers > 0 (one per axis)`,
    );
  }
  return scale;
}

/** Physical sizes by letter, and the space unit's symbol. */
function physicalOf(
  axes: readonly OmeZarrAxis[],
  letters: string,
  scale: readonly number[],
): { physicalSizes: PhysicalSizes; physicalUnit?: string } {
  const sizes: PhysicalSizes = {};
  const spaceUnits = axes.filter((a) => axisType(a) === "space" && a.unit)
    .map((a) => a.unit as string);
  const reference = axes.find((a) => a.name.toLowerCase() === "x")?.unit ??
    spaceUnits.at(-1);
  for (const [i, axis] of axes.entries()) {
    const letter = letters[i] as keyof PhysicalSizes;
    if (letter === "T") {
      sizes.T = scale[i] * (axis.unit ? TIME_UNITS[axis.unit] : 1);
    } else if ("XYZ".includes(letter)) {
      sizes[letter] = reference && axis.unit
        ? scale[i] * SPACE_UNITS[axis.unit] / SPACE_UNITS[reference]
        : scale[i];
    }
  }
  return reference === undefined
    ? { physicalSizes: sizes }
    : { physicalSizes: sizes, physicalUnit: unitSymbol(reference) };
}

/**
 * Opens level `level` of the OME-Zarr image at `path`, or throws an error
 * naming the store, the file and the field at fault.
 */
export async function openImage(
  fn: string,
  path: string | URL,
  level: unknown,
): Promise<OpenedImage> {
  if (
    level !== undefined && (!Number.isInteger(level) || (level as number) < 0)
  ) {
    throw argumentError(fn, "options.level", level, "an integer >= 0");
  }
  const levelIndex = (level as number | undefined) ?? 0;
  const root = filePath(path);
  const fail = (message: string) => new Error(`${fn}: ${message}`);
  const { ome, version, file, stria } = await groupMetadata(fail, root);
  await checkImageComplete(fn, root, stria);
  const field = version === "0.5"
    ? "attributes.ome.multiscales"
    : "multiscales";
  const multiscales = ome.multiscales;
  if (!Array.isArray(multiscales) || multiscales.length === 0) {
    throw fail(`${file}: ${field} is missing: not an OME-Zarr image`);
  }
  const multiscale = multiscales[0] as Json;
  const where = `${file}: ${field}[0]`;
  const axes = multiscale.axes;
  if (
    !Array.isArray(axes) ||
    !axes.every((a) => typeof (a as Json)?.name === "string")
  ) {
    throw fail(`${where}.axes must be a list of axes with names`);
  }
  const ngffAxes = axes as OmeZarrAxis[];
  const problems = axesProblems(ngffAxes);
  if (problems.length > 0) throw fail(`${where}.axes ${problems[0]}`);
  const letters = ngffAxes.map(axisLetter).join("");
  if (new Set(letters).size !== letters.length) {
    throw fail(
      `${where}.axes [${
        ngffAxes.map((a) => a.name)
      }] give the axis letters ${letters} twice`,
    );
  }
  const datasets = multiscale.datasets;
  if (!Array.isArray(datasets) || datasets.length === 0) {
    throw fail(`${where}.datasets is missing or empty`);
  }
  if (levelIndex >= datasets.length) {
    throw fail(
      `${where}.datasets has ${datasets.length} level(s); level ${levelIndex} is missing`,
    );
  }
  const dataset = datasets[levelIndex] as Json;
  const datasetWhere = `${where}.datasets[${levelIndex}]`;
  if (typeof dataset?.path !== "string" || dataset.path === "") {
    throw fail(`${datasetWhere}.path is missing`);
  }
  const own = scaleOf(
    fail,
    datasetWhere,
    dataset.coordinateTransformations,
    axes.length,
    true,
  );
  const shared = scaleOf(
    fail,
    where,
    multiscale.coordinateTransformations,
    axes.length,
    false,
  );
  const scale = own.map((s, i) => s * shared[i]);

  const zarr = await loadZarrita();
  const location = zarr.root(new FileStore(fn, root)).resolve(
    `/${dataset.path}`,
  );
  const arrayPath = join(root, dataset.path);
  let array: OpenedImage["array"];
  try {
    array = version === "0.5"
      ? await zarr.open.v3(location, { kind: "array" })
      : await zarr.open.v2(location, { kind: "array" });
  } catch (error) {
    throw fail(
      `${arrayPath}: level ${levelIndex}'s array cannot be opened (${
        (error as Error).message
      })`,
    );
  }
  if (array.shape.length !== axes.length) {
    throw fail(
      `${arrayPath}: has ${array.shape.length} dimensions but ${where}.axes has ${axes.length}`,
    );
  }
  const names =
    (array as unknown as { dimensionNames?: unknown }).dimensionNames;
  if (
    Array.isArray(names) &&
    names.some((n, i) => n !== null && n !== ngffAxes[i].name)
  ) {
    throw fail(
      `${arrayPath}/zarr.json: dimension_names [${names}] do not match ${where}.axes`,
    );
  }
  const dtype = array.dtype as string;
  if (!DTYPES.has(dtype)) {
    throw fail(
      `${arrayPath}: data type ${dtype} is not one stria reads (uint8/16/32, int8/16/32, float32/64)`,
    );
  }
  const { physicalSizes, physicalUnit } = physicalOf(ngffAxes, letters, scale);
  const metadata: OmeZarrMetadata = {
    dtype: dtype as DType,
    version,
    level: levelIndex,
    levels: datasets.length,
    chunkShape: [...array.chunks],
    physicalSizes,
    ome,
  };
  if (typeof multiscale.name === "string") metadata.name = multiscale.name;
  if (physicalUnit !== undefined) metadata.physicalUnit = physicalUnit;
  return {
    zarr,
    array,
    shape: [...array.shape],
    axes: letters,
    ngffAxes,
    metadata,
  };
}

/** Reads a selection of an opened level into a C-contiguous ndarray. */
export async function readSelection(
  opened: OpenedImage,
  selection: (number | ReturnType<Zarrita["slice"]> | null)[] | null,
): Promise<NdArray<NumericArray>> {
  const chunk = await opened.zarr.get(opened.array, selection) as unknown as {
    data: NumericArray;
    shape: number[];
    stride: number[];
  };
  const values = new ARRAY_TYPES[opened.metadata.dtype](sizeOf(chunk.shape));
  copyToContiguous(ndarray(chunk.data, chunk.shape, chunk.stride), values);
  return ndarray(values, chunk.shape);
}
