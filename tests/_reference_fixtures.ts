/**
 * Loads the scikit-image / SciPy reference fixtures written by
 * scripts/make_reference_fixtures.py, and compares arrays against them.
 *
 * @module
 */

import { AssertionError } from "node:assert/strict";
import { type NdArray, ndarray } from "../lib/deps.ts";

const FOLDER = new URL("./fixtures/reference/", import.meta.url);

/** One reference computation: a function, its input, arguments and expected outputs. */
export interface ReferenceCase {
  name: string;
  function: string;
  input: string;
  args: Record<string, unknown>;
  outputs: string[];
}

interface ArrayEntry {
  file: string;
  dtype: string;
  shape: number[];
}

interface Index {
  versions: Record<string, string>;
  arrays: Record<string, ArrayEntry>;
  cases: ReferenceCase[];
}

const CONSTRUCTORS = {
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  float32: Float32Array,
  float64: Float64Array,
} as const;

/** The fixture index. */
export const index: Index = JSON.parse(
  await Deno.readTextFile(new URL("index.json", FOLDER)),
);

/** The cases of one function. */
export function casesOf(fn: string): ReferenceCase[] {
  return index.cases.filter((c) => c.function === fn);
}

/** A stored array as a C-contiguous ndarray of its dtype. */
export async function loadArray(name: string): Promise<NdArray> {
  const entry = index.arrays[name];
  const bytes = await Deno.readFile(new URL(entry.file, FOLDER));
  const Constructor = CONSTRUCTORS[entry.dtype as keyof typeof CONSTRUCTORS];
  if (Constructor === undefined) {
    throw new Error(`unknown fixture dtype ${entry.dtype}`);
  }
  const data = new Constructor(
    bytes.buffer,
    bytes.byteOffset,
    bytes.byteLength / Constructor.BYTES_PER_ELEMENT,
  );
  return ndarray(data, entry.shape.slice());
}

/** Values of an ndarray in C order. */
export function valuesOf(array: NdArray): number[] {
  const out: number[] = [];
  const walk = (axis: number, at: number): void => {
    if (axis === array.shape.length) {
      out.push((array.data as ArrayLike<number>)[at]);
      return;
    }
    for (let i = 0; i < array.shape[axis]; i++) {
      walk(axis + 1, at + i * array.stride[axis]);
    }
  };
  walk(0, array.offset);
  return out;
}

/**
 * Asserts equal shapes and `max |actual - expected| <= tolerance · max |expected|`
 * (the tolerance is absolute when expected is all zeros).
 */
export function assertClose(
  actual: NdArray,
  expected: NdArray,
  tolerance: number,
  label: string,
): void {
  if (actual.shape.join() !== expected.shape.join()) {
    throw new AssertionError({
      message: `${label}: shape [${actual.shape}] != [${expected.shape}]`,
    });
  }
  const a = valuesOf(actual);
  const e = valuesOf(expected);
  let scale = 0;
  for (const v of e) scale = Math.max(scale, Math.abs(v));
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < e.length; i++) {
    const error = Math.abs(a[i] - e[i]);
    if (!(error <= worst)) {
      worst = error;
      worstAt = i;
    }
  }
  if (!(worst <= tolerance * (scale || 1))) {
    throw new AssertionError({
      message: `${label}: max error ${worst} at flat ${worstAt} (got ${
        a[worstAt]
      }, expected ${e[worstAt]}) exceeds ${tolerance} × ${scale}`,
    });
  }
}
