/**
 * Seeded fuzzing of the TIFF readers: a few hundred deterministic mutations of
 * small fixtures (byte flips, truncations, rewritten field types, counts,
 * values and IFD links) go through readTiff and through openTiffPlanes and
 * its readPlanes of every plane. Each outcome is classified:
 *
 * - correct: the same axes, shape and values as the original file;
 * - clear error: an Error whose message starts with the function and the
 *   file's name and is not an internal error passed on;
 * - pixel mutation: other values from a mutation that changed only bytes of
 *   the original's strips or tiles (no reader can tell);
 * - wrong data: other values, no error, from any other mutation;
 * - internal error: a RangeError or TypeError, a message without the function
 *   and file, or one that passes on an internal failure.
 *
 * The test prints the counts and requires no wrong data, no internal error and
 * every case within a second.
 */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { mulberry32 } from "../lib/data/_prng.ts";
import { openTiffPlanes, readTiff } from "../lib/io/mod.ts";
import {
  blockRanges,
  type IfdEntry,
  mapTiff,
  type TiffMap,
  writeOffset,
} from "./io_tiff_patches.ts";

const FIXTURES = new URL("./fixtures/tiff/", import.meta.url);
/** Small fixtures covering both byte orders, BigTIFF, strips and tiles, planar and interleaved samples, every codec. */
const FIXTURE_FILES = [
  "gray_yx_u8.tif",
  "float32_zyx.tif",
  "bigendian_zyx_u16.tif",
  "bigtiff_zyx_u16.tif",
  "packbits_zyx_u16.tif",
  "rgb_planar_zsyx_u16.tif",
  "rgb_contig_zyxs_u16.tif",
  "imagej_hyperstack_zcyx_u16_lzw_predictor.tif",
  "tiled_deflate_zyx_u16.tif",
];
const MUTATIONS_PER_FIXTURE = 36;
const SEED = 12;

/** The tags whose values say where and what the pixels are. */
const LAYOUT_TAGS = [
  256,
  257,
  258,
  259,
  273,
  277,
  278,
  279,
  284,
  317,
  322,
  323,
  324,
  325,
  339,
];
/** Field types to write: every defined one, and a few that are not. */
const FIELD_TYPES = [
  0,
  1,
  2,
  3,
  4,
  5,
  6,
  7,
  8,
  9,
  10,
  11,
  12,
  13,
  16,
  17,
  18,
  19,
  99,
  0xffff,
];

type Outcome =
  | "correct"
  | "clear error"
  | "pixel mutation"
  | "wrong data"
  | "internal error";

/** What a reader made of a file: values, or the error it threw. */
type Reading =
  | { axes: string; shape: number[]; values: ArrayLike<number> }
  | { error: unknown };

interface Mutation {
  label: string;
  bytes: Uint8Array;
}

/** Messages that pass on an internal failure rather than name the problem. */
const INTERNAL_TEXT =
  /RangeError|TypeError|undefined|NaN|Infinity|outside the bounds|out of bounds|out of range|allocation failed|Invalid (typed )?array length|is not a function|Cannot read|Maximum call stack/i;

function classify(
  reading: Reading,
  original: Reading,
  prefix: string,
  pixelsOnly: boolean,
): Outcome {
  if ("error" in reading) {
    const error = reading.error;
    const internal = !(error instanceof Error) ||
      error instanceof RangeError || error instanceof TypeError ||
      error.cause instanceof RangeError || error.cause instanceof TypeError ||
      !error.message.startsWith(prefix) || INTERNAL_TEXT.test(error.message);
    return internal ? "internal error" : "clear error";
  }
  if (!("error" in original) && sameReading(reading, original)) {
    return "correct";
  }
  return pixelsOnly ? "pixel mutation" : "wrong data";
}

function sameReading(
  a: Exclude<Reading, { error: unknown }>,
  b: Exclude<Reading, { error: unknown }>,
): boolean {
  if (a.axes !== b.axes || a.shape.join() !== b.shape.join()) return false;
  if (a.values.length !== b.values.length) return false;
  for (let i = 0; i < a.values.length; i++) {
    if (!Object.is(a.values[i], b.values[i])) return false;
  }
  return true;
}

async function readWhole(bytes: Uint8Array, name: string): Promise<Reading> {
  try {
    const { axes, data } = await readTiff(bytes, { name });
    return { axes, shape: data.shape, values: data.data };
  } catch (error) {
    return { error };
  }
}

/** Every plane through openTiffPlanes, one readPlanes call per plane. */
async function readByPlanes(
  path: string,
  channel: number | undefined,
): Promise<Reading> {
  try {
    const reader = await openTiffPlanes(path, { channel });
    try {
      const [planes, height, width] = reader.shape;
      const values: number[] = [];
      for (let plane = 0; plane < planes; plane++) {
        const { data } = await reader.readPlanes(plane, 1);
        for (let i = 0; i < data.length; i++) values.push(data[i]);
      }
      return { axes: reader.axes, shape: [planes, height, width], values };
    } finally {
      reader.close();
    }
  } catch (error) {
    return { error };
  }
}

/** One seeded mutation of `original`, a well-formed TIFF described by `map`. */
function mutate(
  original: Uint8Array,
  map: TiffMap,
  next: () => number,
): Mutation {
  const bytes = original.slice();
  const size = bytes.length;
  const view = new DataView(bytes.buffer);
  const pick = <T>(items: readonly T[]): T => items[next() % items.length];
  const layoutEntries = map.entries.filter((e) => LAYOUT_TAGS.includes(e.tag));
  const describe = (e: IfdEntry) => `IFD ${e.page} tag ${e.tag}`;
  switch (next() % 7) {
    case 0: {
      const at = next() % size;
      const mask = 1 + next() % 255;
      bytes[at] ^= mask;
      return { label: `byte ${at} xor ${mask}`, bytes };
    }
    case 1: {
      const length = next() % size;
      return {
        label: `truncated to ${length} bytes`,
        bytes: bytes.slice(0, length),
      };
    }
    case 2: {
      const entry = pick(map.entries);
      const type = pick(FIELD_TYPES);
      view.setUint16(entry.typeAt, type, map.littleEndian);
      return { label: `${describe(entry)} field type ${type}`, bytes };
    }
    case 3: {
      const entry = pick(layoutEntries);
      const count = pick([
        0,
        1,
        2,
        entry.count + 1,
        entry.count - 1,
        0x3fffffff,
        0xffffffff,
        next() % 65536,
      ]);
      writeOffset(bytes, map, entry.countAt, Math.max(count, 0));
      return { label: `${describe(entry)} count ${count}`, bytes };
    }
    case 4: {
      const entry = pick(map.entries);
      const value = pick([
        0,
        1,
        4,
        8,
        size - 1,
        size,
        size + 1000,
        0xffffffff,
        next() % size,
      ]);
      writeOffset(bytes, map, entry.valueAt, value);
      return { label: `${describe(entry)} value field ${value}`, bytes };
    }
    case 5: {
      const page = next() % map.ifds.length;
      const link = pick([
        0,
        1,
        4,
        size - 2,
        size + 10,
        next() % size,
        ...map.ifds,
      ]);
      writeOffset(bytes, map, map.nextAt[page], link);
      return { label: `IFD ${page} links to ${link}`, bytes };
    }
    default: {
      // A layout tag's first value: small, off by one, or absurdly large.
      const entry = pick(layoutEntries);
      const width = { 3: 2, 4: 4, 16: 8 }[entry.type] ?? 1;
      if (entry.count * width > (map.bigTiff ? 8 : 4)) {
        const value = pick([0, 1, size, 0xffffffff]);
        writeOffset(bytes, map, entry.valueAt, value);
        return { label: `${describe(entry)} values moved to ${value}`, bytes };
      }
      const at = entry.valueAt;
      const current = width === 2
        ? view.getUint16(at, map.littleEndian)
        : view.getUint32(at, map.littleEndian);
      const value = pick([
        0,
        1,
        2,
        3,
        current - 1,
        current + 1,
        2 * current,
        65535,
        100000,
      ]);
      const clamped = Math.max(
        0,
        Math.min(value, width === 2 ? 65535 : 0xffffffff),
      );
      if (width === 2) view.setUint16(at, clamped, map.littleEndian);
      else if (width === 8) {
        view.setBigUint64(at, BigInt(clamped), map.littleEndian);
      } else view.setUint32(at, clamped, map.littleEndian);
      return { label: `${describe(entry)} value ${clamped}`, bytes };
    }
  }
}

/** True when `mutated` differs from `original` only inside `ranges`. */
function changesOnly(
  original: Uint8Array,
  mutated: Uint8Array,
  ranges: [number, number][],
): boolean {
  if (original.length !== mutated.length) return false;
  for (let at = 0; at < original.length; at++) {
    if (
      original[at] !== mutated[at] &&
      !ranges.some(([start, end]) => at >= start && at < end)
    ) return false;
  }
  return true;
}

Deno.test("fuzzed TIFFs give the right values or a clear error, never wrong data or an internal error", async () => {
  const next = mulberry32(SEED);
  const folder = await Deno.makeTempDir();
  const counts: Record<string, Record<Outcome, number>> = {};
  const problems: string[] = [];
  let slowest = { ms: 0, label: "" };
  const tally = (
    api: string,
    outcome: Outcome,
    label: string,
    reading: Reading,
  ) => {
    counts[api] ??= {
      correct: 0,
      "clear error": 0,
      "pixel mutation": 0,
      "wrong data": 0,
      "internal error": 0,
    };
    counts[api][outcome]++;
    if (outcome === "wrong data" || outcome === "internal error") {
      const found = "error" in reading ? String(reading.error) : "other values";
      problems.push(`${api} ${outcome}: ${label}: ${found.slice(0, 200)}`);
    }
  };
  try {
    for (const file of FIXTURE_FILES) {
      const original = await Deno.readFile(new URL(file, FIXTURES));
      const map = mapTiff(original);
      const pixels = blockRanges(original);
      const whole = await readWhole(original, file);
      if ("error" in whole) throw whole.error;
      const originalPath = new URL(file, FIXTURES).pathname;
      const probe = await readTiff(original);
      const channels = Number(probe.metadata.imagej?.channels ?? 1);
      const channel = channels > 1 ? 0 : undefined;
      const planes = await readByPlanes(originalPath, channel);
      for (let i = 0; i < MUTATIONS_PER_FIXTURE; i++) {
        const { label, bytes } = mutate(original, map, next);
        const name = `fuzz_${i}_${file}`;
        const path = `${folder}/${name}`;
        const what = `${file}: ${label}`;
        const pixelsOnly = changesOnly(original, bytes, pixels);
        await Deno.writeFile(path, bytes);
        const started = performance.now();
        const wholeReading = await readWhole(bytes, name);
        const planeReading = await readByPlanes(path, channel);
        const ms = performance.now() - started;
        if (ms > slowest.ms) slowest = { ms, label: what };
        tally(
          "readTiff",
          classify(wholeReading, whole, `readTiff: ${name}: `, pixelsOnly),
          what,
          wholeReading,
        );
        tally(
          "openTiffPlanes",
          classify(
            planeReading,
            planes,
            `openTiffPlanes: ${path}: `,
            pixelsOnly,
          ),
          what,
          planeReading,
        );
      }
    }
  } finally {
    await Deno.remove(folder, { recursive: true });
  }
  console.log(
    `${
      FIXTURE_FILES.length * MUTATIONS_PER_FIXTURE
    } mutations (seed ${SEED}); slowest case ${
      slowest.ms.toFixed(0)
    } ms (${slowest.label})`,
  );
  for (const [api, outcomes] of Object.entries(counts)) {
    console.log(`${api}: ${JSON.stringify(outcomes)}`);
  }
  for (const problem of problems) console.log(problem);
  assertEquals(problems, []);
  assertEquals(slowest.ms < 1000, true, `slowest case: ${slowest.label}`);
});
