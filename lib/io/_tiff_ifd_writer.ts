/**
 * The one TIFF writer core, shared by `encodeTiff`/`writeTiff` (whole file in
 * memory) and `createTiffPageWriter` (streamed): the little-endian classic
 * header, the NUL-terminated description, the voxel size (checked, then
 * stored as ImageJ description fields and resolution rationals), the checks
 * of an OME-TIFF's unit and channel names, and the chain
 * of image file directories (IFDs) of uncompressed single-strip pages of one
 * sample per pixel, stored one after another.
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import type { DType } from "../array/types.ts";
import {
  resolutionUnitCode,
  samplesOfDtype,
  UNCOMPRESSED,
} from "./_tiff_codes.ts";
import type { ImageJHyperstack } from "./_tiff_descriptions.ts";
import { LENGTH_UNITS } from "./_ome_xml.ts";
import { FIELD, TAG } from "./_tiff_tags.ts";

/** The largest classic TIFF: offsets are 32-bit. */
const MAX_CLASSIC_TIFF_BYTES = 2 ** 32 - 1;
const MAX_LONG = 2 ** 32 - 1;
/** PhotometricInterpretation BlackIsZero: grayscale. */
const BLACK_IS_ZERO = 1;
/** PlanarConfiguration 1: one sample per pixel, contiguous. */
const CONTIGUOUS = 1;
/** Tags on every page: those of `encodeIfdChain` but the description and resolution. */
const BASE_TAGS = 12;

/** The pages of a file being written and where its parts lie. */
export interface WrittenPages {
  pageCount: number;
  width: number;
  height: number;
  dtype: DType;
  /** Byte offset of page 0's values; the other pages follow without gaps. */
  dataAt: number;
  /** Where page 0's ImageDescription lies and its length with the NUL (see `encodeDescription`). */
  description: { at: number; byteLength: number };
  /** Where the X and Y rationals (`encodeResolution`) lie, and the ResolutionUnit value. */
  resolution?: { at: number; unit: number };
}

/** Bytes of one page's values. */
export function pageBytes(
  pages: Pick<WrittenPages, "width" | "height" | "dtype">,
): number {
  return pages.width * pages.height * samplesOfDtype(pages.dtype).bits / 8;
}

/** The 8-byte little-endian classic TIFF header pointing at the first IFD. */
export function encodeHeader(firstIfdAt: number): Uint8Array {
  const header = new Uint8Array(8);
  const view = new DataView(header.buffer);
  header[0] = header[1] = 0x49; // "II"
  view.setUint16(2, 42, true);
  view.setUint32(4, firstIfdAt, true);
  return header;
}

/** The description as TIFF ASCII: its bytes and a closing NUL. */
export function encodeDescription(description: string): Uint8Array {
  return new TextEncoder().encode(`${description}\0`);
}

/** XResolution then YResolution, each [numerator, denominator] as two LONGs: 16 bytes. */
export function encodeResolution(
  x: [number, number],
  y: [number, number],
): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  [...x, ...y].forEach((value, i) => view.setUint32(4 * i, value, true));
  return bytes;
}

/**
 * Where a written file keeps its voxel size: the ImageJ description's `unit`,
 * `spacing` (Z) and `finterval` (T), and the X and Y sizes as XResolution and
 * YResolution (pixels per unit) with their ResolutionUnit.
 */
export interface PhysicalSizeFields
  extends Pick<ImageJHyperstack, "unit" | "spacing" | "finterval"> {
  /** `encodeResolution`'s 16 bytes and the ResolutionUnit value, when both X and Y are given. */
  resolution?: { bytes: Uint8Array; unit: number };
}

/**
 * Checks the `options.metadata` of a TIFF writer named `fn` (`{ physicalSizes,
 * physicalUnit }`, as `readTiff` returns them) and lays the sizes out as
 * stored: the one rule for every file stria writes.
 */
export function physicalSizeFields(
  fn: string,
  metadata: unknown,
): PhysicalSizeFields {
  if (metadata === undefined) return {};
  if (typeof metadata !== "object" || metadata === null) {
    throw argumentError(
      fn,
      "options.metadata",
      metadata,
      "an object such as { physicalSizes, physicalUnit }",
    );
  }
  const { physicalSizes, physicalUnit: unit } = metadata as {
    physicalSizes?: Partial<Record<"X" | "Y" | "Z" | "T", unknown>>;
    physicalUnit?: unknown;
  };
  const sizes = physicalSizes ?? {};
  const size = (axis: "X" | "Y" | "Z" | "T"): number | undefined => {
    const value = sizes[axis];
    if (
      value !== undefined &&
      !(typeof value === "number" && Number.isFinite(value) && value > 0)
    ) {
      throw argumentError(
        fn,
        `options.metadata.physicalSizes.${axis}`,
        value,
        "a finite number > 0",
      );
    }
    return value;
  };
  const [x, y, spacing, finterval] = (["X", "Y", "Z", "T"] as const).map(size);
  if (
    unit !== undefined &&
    (typeof unit !== "string" || unit === "" ||
      [...unit].some((c) => c < " " || c === "="))
  ) {
    throw argumentError(
      fn,
      "options.metadata.physicalUnit",
      unit,
      "a non-empty string without control characters or '='",
    );
  }
  const fields: PhysicalSizeFields = {};
  if (unit !== undefined) fields.unit = unit;
  if (spacing !== undefined) fields.spacing = spacing;
  if (finterval !== undefined) fields.finterval = finterval;
  if (x !== undefined && y !== undefined) {
    fields.resolution = {
      bytes: encodeResolution(
        pixelsPerUnit(fn, "X", x),
        pixelsPerUnit(fn, "Y", y),
      ),
      unit: resolutionUnitCode(unit),
    };
  }
  return fields;
}

/**
 * Other spellings of OME length units, as OME-XML writes them: the Greek
 * letter mu and ImageJ's "micron" (what ImageJ hyperstacks carry) for the
 * micro sign's "µm", the angstrom sign for "Å".
 */
const OME_SPELLINGS: Readonly<Record<string, string>> = {
  "\u03bcm": "µm",
  "micron": "µm",
  "microns": "µm",
  "um": "µm",
  "\u212b": "\u00c5",
};

/**
 * The unit of an OME-TIFF written by `fn`: `unit` (checked by
 * `physicalSizeFields`) spelled as OME writes it when it is one of OME's
 * length units or another spelling of one (`OME_SPELLINGS`), else "µm" when
 * none is given.
 */
export function omeUnit(fn: string, unit: string | undefined): string {
  if (unit === undefined) return "µm";
  const spelled = OME_SPELLINGS[unit] ?? unit;
  if (!Object.hasOwn(LENGTH_UNITS, spelled)) {
    throw argumentError(
      fn,
      "options.metadata.physicalUnit",
      unit,
      `one of OME's length units ${
        Object.keys(LENGTH_UNITS).join(", ")
      } (or micron, um)`,
    );
  }
  return spelled;
}

/** Checks `options.metadata.channelNames` of `fn`: absent, or one string per channel of `channels`. */
export function checkChannelNames(
  fn: string,
  channelNames: unknown,
  channels: number,
): readonly string[] | undefined {
  if (
    channelNames !== undefined &&
    (!Array.isArray(channelNames) ||
      channelNames.length !== channels ||
      !channelNames.every((name) => typeof name === "string"))
  ) {
    throw argumentError(
      fn,
      "options.metadata.channelNames",
      channelNames,
      `an array of ${channels} strings, one per channel`,
    );
  }
  return channelNames;
}

/**
 * XResolution/YResolution for a pixel of `size` units, as [numerator, denominator]
 * = pixels per unit. The continued-fraction convergent whose denominator/numerator
 * equals `size` exactly (e.g. 1.24 → 25/31) is used when one fits 32 bits.
 */
function pixelsPerUnit(
  fn: string,
  axis: string,
  size: number,
): [number, number] {
  let [p0, q0, p1, q1] = [0, 1, 1, 0];
  let rest = size;
  for (let term = 0; term < 64; term++) {
    const whole = Math.floor(rest);
    const p2 = whole * p1 + p0;
    const q2 = whole * q1 + q0;
    if (p2 > MAX_LONG || q2 > MAX_LONG) break;
    [p0, q0, p1, q1] = [p1, q1, p2, q2];
    if (p1 / q1 === size || rest === whole) break;
    rest = 1 / (rest - whole);
  }
  if (p1 === 0 || q1 === 0) {
    throw argumentError(
      fn,
      `options.metadata.physicalSizes.${axis}`,
      size,
      "a size between 2^-32 and 2^32 units",
    );
  }
  return [q1, p1];
}

/** Bytes of the IFD chain of `pageCount` pages (see `encodeIfdChain`). */
export function ifdChainLength(
  pageCount: number,
  withResolution: boolean,
): number {
  const tags = BASE_TAGS + (withResolution ? 3 : 0);
  return pageCount * ifdLength(tags) + 12; // page 0 also has the description
}

/** The IFDs of every page, to be written at byte `firstIfdAt`; each links to the next. */
export function encodeIfdChain(
  pages: WrittenPages,
  firstIfdAt: number,
): Uint8Array {
  const { pageCount, width, height, resolution, description } = pages;
  const { bits, format } = samplesOfDtype(pages.dtype);
  const bytesPerPage = pageBytes(pages);
  const chain = new Uint8Array(ifdChainLength(pageCount, !!resolution));
  const view = new DataView(chain.buffer);
  let at = 0;
  for (let page = 0; page < pageCount; page++) {
    const entries: [tag: number, type: number, count: number, value: number][] =
      [
        [TAG.NewSubfileType, FIELD.LONG, 1, 0],
        [TAG.ImageWidth, FIELD.LONG, 1, width],
        [TAG.ImageLength, FIELD.LONG, 1, height],
        [TAG.BitsPerSample, FIELD.SHORT, 1, bits],
        [TAG.Compression, FIELD.SHORT, 1, UNCOMPRESSED],
        [TAG.PhotometricInterpretation, FIELD.SHORT, 1, BLACK_IS_ZERO],
        [TAG.StripOffsets, FIELD.LONG, 1, pages.dataAt + page * bytesPerPage],
        [TAG.SamplesPerPixel, FIELD.SHORT, 1, 1],
        [TAG.RowsPerStrip, FIELD.LONG, 1, height],
        [TAG.StripByteCounts, FIELD.LONG, 1, bytesPerPage],
        [TAG.PlanarConfiguration, FIELD.SHORT, 1, CONTIGUOUS],
        [TAG.SampleFormat, FIELD.SHORT, 1, format],
      ];
    // ImageJ reads the description from the first page only.
    if (page === 0) {
      entries.push([
        TAG.ImageDescription,
        FIELD.ASCII,
        description.byteLength,
        description.at,
      ]);
    }
    if (resolution) {
      entries.push(
        [TAG.XResolution, FIELD.RATIONAL, 1, resolution.at],
        [TAG.YResolution, FIELD.RATIONAL, 1, resolution.at + 8],
        [TAG.ResolutionUnit, FIELD.SHORT, 1, resolution.unit],
      );
    }
    entries.sort((a, b) => a[0] - b[0]);
    view.setUint16(at, entries.length, true);
    entries.forEach(([tag, type, count, value], i) => {
      const entry = at + 2 + 12 * i;
      view.setUint16(entry, tag, true);
      view.setUint16(entry + 2, type, true);
      view.setUint32(entry + 4, count, true);
      if (type === FIELD.SHORT) view.setUint16(entry + 8, value, true);
      else view.setUint32(entry + 8, value, true);
    });
    const next = at + ifdLength(entries.length);
    view.setUint32(
      at + 2 + 12 * entries.length,
      page === pageCount - 1 ? 0 : firstIfdAt + next,
      true,
    );
    at = next;
  }
  return chain;
}

/** Throws a RangeError (prefixed by `where`) when a file of `byteLength` bytes would not fit a classic TIFF. */
export function checkClassicTiffSize(where: string, byteLength: number): void {
  if (byteLength > MAX_CLASSIC_TIFF_BYTES) {
    throw new RangeError(
      `${where}: the TIFF would take ${byteLength} bytes; expected at most 4 GiB (${MAX_CLASSIC_TIFF_BYTES} bytes), ` +
        `as BigTIFF is not written: split the data into several files`,
    );
  }
}

/** `n` rounded up to an even byte offset, as TIFF requires of IFDs and values. */
export function even(n: number): number {
  return n + (n & 1);
}

function ifdLength(tags: number): number {
  return 2 + 12 * tags + 4;
}
