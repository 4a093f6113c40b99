/**
 * What a store `stria analyze` wrote must hold: the whole-volume analysis,
 * by the store's array names, bit for bit (`tests/cli_analyze_test.ts`,
 * `tests/cli_tiles_test.ts`).
 *
 * @module
 */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import type { NdArray } from "../lib/deps.ts";
import {
  structureTensorAnalysis,
  type StructureTensorAnalysisOptions,
} from "../lib/feature/structure_tensor_analysis.ts";
import { readOmeZarrArrays } from "../lib/zarr/mod.ts";
import { assertSameValues } from "./_same_values.ts";

/** The whole-volume analysis, by the store's array names. */
export function expectedArrays(
  volume: NdArray,
  options: StructureTensorAnalysisOptions,
): Record<string, NdArray> {
  const r = structureTensorAnalysis(volume, options);
  const angles = r.angles as
    | { azimuth: NdArray; elevation: NdArray }
    | undefined;
  const arrays: Record<string, NdArray | undefined> = {
    eigenvalues: r.eigenvalues,
    vectors: r.vectors,
    fractionalAnisotropy: r.fractionalAnisotropy,
    westinLinear: r.westin?.linear,
    westinPlanar: r.westin?.planar,
    westinSpherical: r.westin?.spherical,
    shapeClass: r.shapeClass?.codes,
    azimuth: angles?.azimuth,
    elevation: angles?.elevation,
  };
  return Object.fromEntries(
    Object.entries(arrays).filter(([, a]) => a !== undefined),
  ) as Record<string, NdArray>;
}

/** Asserts the store at `path` holds exactly `expected`, bit for bit. */
export async function assertStoreEquals(
  path: string,
  expected: Record<string, NdArray>,
): Promise<void> {
  const { arrays } = await readOmeZarrArrays(path);
  assertEquals(Object.keys(arrays).sort(), Object.keys(expected).sort());
  for (const [name, array] of Object.entries(expected)) {
    assertEquals(arrays[name].shape, array.shape, name);
    assertEquals(
      arrays[name].data.constructor.name,
      array.data.constructor.name,
      name,
    );
    assertSameValues(arrays[name].data, array.data as ArrayLike<number>, name);
  }
}
