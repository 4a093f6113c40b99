/**
 * The kidney tissue volume used by scikit-image's "Estimate anisotropy in a 3D
 * microscopy image" tutorial, downloaded on first use.
 *
 * @module
 */

import {
  copyToContiguous,
  type NumericNdArray,
  sizeOf,
} from "../array/_strided.ts";
import { type NdArray, ndarray } from "../deps.ts";
import { readTiff, type TiffImage } from "../io/read_tiff.ts";
import { DatasetError } from "./dataset_error.ts";
import { checkOptionsObject } from "../_options_object.ts";
import { fetchDataset, type FetchDatasetOptions } from "./fetch_dataset.ts";
import { FETCH_OPTION_KEYS } from "./_fetch_arguments.ts";
import type { KidneyVolume } from "./kidney_volume.ts";
import { type DatasetEntry, getDataset } from "./registry.ts";
import { withPermission } from "./_permissions.ts";

/**
 * Options of {@linkcode kidney}: those of `fetchDataset`, and the entry to load.
 *
 * @example
 * ```ts
 * import type { KidneyOptions } from "./kidney.ts";
 *
 * const options: KidneyOptions = { cacheDir: "/tmp/stria-data", mirror: "file:///srv/mirror/", quiet: true };
 * if (options.mirror !== "file:///srv/mirror/") throw new Error(String(options.mirror));
 * console.log(options.mirror); // file:///srv/mirror/
 * ```
 */
export interface KidneyOptions extends FetchDatasetOptions {
  /**
   * The registry entry to fetch; default `getDataset("kidney")`. Another entry
   * (e.g. a copy of the file on a server of one's own, with its sha256) must
   * still hold a 16 x 3 x 512 x 512 uint16 volume.
   */
  dataset?: DatasetEntry;
}

const FN = "kidney";
const RETURNED_AXES = "ZYXC";

function describe(image: TiffImage): string {
  return `${image.metadata.dtype} values of shape [${
    image.data.shape.join(", ")
  }] with axes "${image.axes}"`;
}

/**
 * Copies `image` into a C-contiguous array with axes ZYXC (channel last, as
 * scikit-image's `data.kidney()` returns it), from whatever order the file
 * stores; refuses a file whose axes, sample type or shape differ from `entry`'s.
 */
function toZyxc(
  image: TiffImage,
  entry: DatasetEntry,
  path: string,
): NdArray<Uint16Array> {
  const { data, axes } = image;
  // tifffile and readTiff call interleaved samples "S"; a file may name channels either way.
  const channelLetter = axes.includes("C") ? "C" : "S";
  const order = [..."ZYX", channelLetter].map((letter) => axes.indexOf(letter));
  const expectedShape = entry.shape;
  const shape = order.map((axis) => (axis < 0 ? 0 : data.shape[axis]));
  const fits = axes.length === 4 && order.every((axis) => axis >= 0) &&
    data.data instanceof Uint16Array && image.metadata.dtype === "uint16" &&
    shape.every((n, i) => n === expectedShape[i]);
  if (!fits) {
    throw new DatasetError(
      "UNEXPECTED_CONTENT",
      `${FN}: ${path} holds ${
        describe(image)
      }; expected uint16 values with axes Z, C, Y, X ` +
        `(in any order) that give shape [${
          expectedShape.join(", ")
        }] in ${RETURNED_AXES} order. ` +
        "The file does not match the dataset's description: remove it from the cache or check the registry entry",
    );
  }
  const values = new Uint16Array(sizeOf(shape));
  copyToContiguous(data.transpose(...order) as NumericNdArray, values);
  return ndarray(values, shape);
}

/**
 * Mouse kidney tissue, confocal fluorescence (Nikon C1, Monash Micro Imaging,
 * 2018, CC0): 16 planes of 512 x 512 pixels, 3 channels (emission 450, 515 and
 * 605 nm), uint16, voxel size 1.25 µm in Z and 1.24 µm in Y and X. The same data
 * as scikit-image's `skimage.data.kidney()`, returned the same way: shape
 * `[16, 512, 512, 3]`, axes ZYXC (channel last).
 *
 * The file is fetched and verified by {@linkcode fetchDataset} (cache folder,
 * `STRIA_DATA_MIRROR`, retries, progress: see there), read with `readTiff`, and
 * the channel axis, wherever the file's own metadata puts it, is moved last into
 * a new C-contiguous array. A file whose axes, sample type or shape differ is
 * refused with a {@linkcode DatasetError} (`UNEXPECTED_CONTENT`) saying what was
 * found and what was expected. For offline work, `kidneyPhantom()` returns a
 * synthetic volume of the same form.
 *
 * Least permissions: those of `fetchDataset`, i.e. `--allow-read=<cache dir>
 * --allow-write=<cache dir> --allow-net=gitlab.com` and
 * `--allow-env=STRIA_DATA_DIR,STRIA_DATA_MIRROR,XDG_CACHE_HOME,HOME,USERPROFILE`
 * (no `--allow-env` needed when `cacheDir` and `mirror` are given; no
 * `--allow-net` once the file is cached).
 *
 * @example Load a copy served from a mirror folder
 * ```ts
 * import { createHash } from "node:crypto";
 * import { ndarray } from "../deps.ts";
 * import { encodeTiff } from "../io/encode_tiff.ts";
 * import { kidney } from "./kidney.ts";
 * import { getDataset } from "./registry.ts";
 *
 * // A stand-in file in the real layout: 16 planes x 3 channels of 512 x 512.
 * const planes = ndarray(new Uint16Array(16 * 3 * 512 * 512), [16, 3, 512, 512]);
 * planes.set(8, 1, 100, 200, 4095);
 * const bytes = encodeTiff(planes, { axes: "ZCYX" });
 * const dir = await Deno.makeTempDir();
 * await Deno.writeFile(`${dir}/kidney-tissue-fluorescence.tif`, bytes);
 * const dataset = { ...getDataset("kidney"), sha256: createHash("sha256").update(bytes).digest("hex") };
 *
 * const { data, axes } = await kidney({ dataset, cacheDir: `${dir}/cache`, mirror: `file://${dir}/`, quiet: true });
 * const value = data.get(8, 100, 200, 1);
 * if (data.shape.join() !== "16,512,512,3" || axes !== "ZYXC" || value !== 4095) {
 *   throw new Error(`${data.shape} ${axes} ${value}`);
 * }
 * console.log(data.shape, axes, value); // [ 16, 512, 512, 3 ] ZYXC 4095
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function kidney(
  options: KidneyOptions = {},
): Promise<KidneyVolume> {
  checkOptionsObject(FN, options, [...FETCH_OPTION_KEYS, "dataset"]);
  const { dataset, ...fetchOptions } = options;
  const entry = dataset ?? getDataset("kidney");
  const path = await fetchDataset(entry, fetchOptions);
  let image: TiffImage;
  try {
    image = await withPermission(
      FN,
      `reading ${path}`,
      `--allow-read=${path}`,
      () => readTiff(path),
    );
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(
      "UNEXPECTED_CONTENT",
      `${FN}: cannot read ${path} as a TIFF (${(error as Error).message})`,
      { cause: error },
    );
  }
  const data = toZyxc(image, entry, path);
  const fileSizes = image.metadata.physicalSizes;
  const size = (axis: "Z" | "Y" | "X") =>
    entry.physicalSizes[axis] ?? fileSizes[axis] ?? NaN;
  return {
    data,
    axes: RETURNED_AXES,
    metadata: {
      physicalSizes: { Z: size("Z"), Y: size("Y"), X: size("X") },
      physicalUnit: entry.physicalUnit,
      channelNames: entry.channelNames,
      description: entry.description,
      license: entry.license,
      citation: entry.citation,
      fileAxes: image.axes,
      tiff: image.metadata,
    },
    source: { name: entry.name, path, sha256: entry.sha256, synthetic: false },
  };
}
