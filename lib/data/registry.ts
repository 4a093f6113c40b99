/**
 * The registry of datasets stria can download: where each file lives, its
 * sha256, what it holds and how to cite it.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import { DatasetError } from "./dataset_error.ts";

/**
 * One downloadable dataset file and the facts needed to load and cite it.
 *
 * @example
 * ```ts
 * import type { DatasetEntry } from "./registry.ts";
 * import { getDataset } from "./registry.ts";
 *
 * // A copy of the kidney file on one's own server, with its own hash.
 * const entry: DatasetEntry = {
 *   ...getDataset("kidney"),
 *   url: "https://data.example.org/kidney-tissue-fluorescence.tif",
 * };
 * const { physicalSizes, physicalUnit } = entry;
 * if (physicalSizes.Z !== 1.25 || physicalSizes.X !== 1.24 || physicalUnit !== "µm") {
 *   throw new Error(JSON.stringify(physicalSizes));
 * }
 * console.log(physicalSizes, physicalUnit); // { Z: 1.25, Y: 1.24, X: 1.24 } µm
 * ```
 */
export interface DatasetEntry {
  /** Registry key, e.g. `"kidney"`. */
  readonly name: string;
  /** File name in the cache folder and on mirrors. */
  readonly fileName: string;
  /** Canonical download URL. */
  readonly url: string;
  /** Lowercase hex sha256 of the file's bytes. */
  readonly sha256: string;
  /**
   * File size in bytes, when known: the download's exact bound (a different
   * Content-Length is refused before the body is read, a longer body is cut
   * off) and the progress total.
   */
  readonly size?: number;
  /**
   * An upper bound on the file size in bytes, for an entry whose exact size
   * is not known; a longer body is cut off. Ignored when `size` is given.
   */
  readonly maxBytes?: number;
  /** What the data shows, one or two sentences. */
  readonly description: string;
  /** Axes as stored in the file (most likely ImageJ order) and as returned by the loader. */
  readonly axes: { readonly stored: string; readonly returned: string };
  /** Returned shape, in `axes.returned` order. */
  readonly shape: readonly number[];
  /** Sample type of the returned array. */
  readonly dtype: string;
  /** Voxel size along the spatial axes, keyed by axis letter, in `physicalUnit`. */
  readonly physicalSizes: Readonly<
    Partial<Record<"X" | "Y" | "Z" | "T", number>>
  >;
  /** Unit of `physicalSizes`, e.g. `"µm"`. */
  readonly physicalUnit: string;
  /** One name per channel, in channel order. */
  readonly channelNames: readonly string[];
  /** SPDX-style license identifier. */
  readonly license: string;
  /** How to credit the data. */
  readonly citation: string;
}

const kidney: DatasetEntry = {
  name: "kidney",
  fileName: "kidney-tissue-fluorescence.tif",
  url:
    "https://gitlab.com/scikit-image/data/-/raw/2cdc5ce89b334d28f06a58c9f0ca21aa6992a5ba/kidney-tissue-fluorescence.tif",
  sha256: "80c0799bc58b08cf6eaa53ecd202305eb42fd7bc73746cb6c5064dbeae7e8476",
  // fileName, sha256 and URL are scikit-image 0.19.3's (skimage/data/_registry.py, "data/kidney.tif"),
  // with the URL pinned to a commit of scikit-image/data instead of the branch "master";
  // tests/data_registry_test.ts checks them against tests/fixtures/data/skimage_registry_kidney.json.
  // `size` is left out: that registry records none, and no source of the exact size was found.
  // `maxBytes` bounds the download instead: the samples alone, uncompressed, are
  // 16 * 3 * 512 * 512 * 2 = 25 165 824 bytes; 32 MiB leaves 8 MB for the TIFF's tags and metadata.
  maxBytes: 32 * 2 ** 20,
  description:
    "Mouse kidney tissue on a prepared slide, confocal fluorescence (Nikon C1), " +
    "16 planes of 512 x 512 pixels, 3 channels, uint16.",
  axes: { stored: "ZCYX", returned: "ZYXC" },
  shape: [16, 512, 512, 3],
  dtype: "uint16",
  physicalSizes: { Z: 1.25, Y: 1.24, X: 1.24 },
  physicalUnit: "µm",
  channelNames: ["450 nm emission", "515 nm emission", "605 nm emission"],
  license: "CC0-1.0",
  citation:
    "Kidney tissue fluorescence image, acquired at Monash Micro Imaging (2018), " +
    "distributed with scikit-image's data (gitlab.com/scikit-image/data), CC0.",
};

/**
 * Every dataset stria knows, by name. Frozen: add entries by passing your own
 * {@linkcode DatasetEntry} to `fetchDataset`.
 *
 * @example
 * ```ts
 * import { datasetRegistry } from "./registry.ts";
 *
 * const names = Object.keys(datasetRegistry);
 * if (names.join() !== "kidney") throw new Error(names.join());
 * console.log(names); // [ "kidney" ]
 * ```
 */
export const datasetRegistry: Readonly<Record<string, DatasetEntry>> = Object
  .freeze({
    kidney: Object.freeze(kidney),
  });

/**
 * Looks a dataset up by name.
 *
 * @throws {DatasetError} `UNKNOWN_DATASET`, listing the known names.
 *
 * @example
 * ```ts
 * import { getDataset } from "./registry.ts";
 *
 * const entry = getDataset("kidney");
 * if (entry.fileName !== "kidney-tissue-fluorescence.tif" || entry.shape.join() !== "16,512,512,3") {
 *   throw new Error(entry.fileName);
 * }
 * console.log(entry.fileName, entry.shape); // kidney-tissue-fluorescence.tif [ 16, 512, 512, 3 ]
 * ```
 */
export function getDataset(name: string): DatasetEntry {
  if (typeof name !== "string") {
    throw argumentError("getDataset", "name", name, "a string");
  }
  if (!Object.hasOwn(datasetRegistry, name)) {
    const known = Object.keys(datasetRegistry).map((n) => JSON.stringify(n))
      .join(", ");
    throw new DatasetError(
      "UNKNOWN_DATASET",
      `getDataset: no dataset named ${
        JSON.stringify(name)
      }; known datasets: ${known}`,
    );
  }
  return datasetRegistry[name];
}
