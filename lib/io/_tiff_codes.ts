/**
 * The value tables of TIFF 6.0 that stria reads and writes, once: compression
 * schemes, sample types (SampleFormat and BitsPerSample against stria's
 * dtypes, whose typed arrays are `ARRAY_TYPES`) and resolution units.
 *
 * @module
 */

import type { DType } from "../array/types.ts";
import { ARRAY_TYPES } from "../array/_strided.ts";

/** The Compression value of uncompressed data. */
export const UNCOMPRESSED = 1;

/** Names of the Compression values met in microscopy files (8 and 32946 are both zlib deflate). */
const COMPRESSION_NAMES: Readonly<Record<number, string>> = {
  1: "none",
  5: "lzw",
  7: "jpeg",
  8: "deflate",
  32773: "packbits",
  32946: "deflate",
  50000: "zstd",
};

/** The name of a Compression value, e.g. "lzw" for 5, "compression 34712" for one without a name. */
export function compressionName(code: number): string {
  return COMPRESSION_NAMES[code] ?? `compression ${code}`;
}

/** What a SampleFormat value says the samples are. */
export type SampleFormat = "uint" | "int" | "float";

/** SampleFormat values of TIFF 6.0, by what they mean. */
const SAMPLE_FORMATS: Readonly<Record<SampleFormat, number>> = {
  uint: 1,
  int: 2,
  float: 3,
};

/** The meaning of a SampleFormat value, or undefined for void (4) and unknown values. */
export function sampleFormatOf(code: number): SampleFormat | undefined {
  return (Object.keys(SAMPLE_FORMATS) as SampleFormat[]).find((format) =>
    SAMPLE_FORMATS[format] === code
  );
}

/** The dtype of `bits`-bit samples of `format`, or undefined when stria has no typed array for them. */
export function dtypeOfSamples(
  format: SampleFormat,
  bits: number,
): DType | undefined {
  const dtype = `${format}${bits}`;
  return Object.hasOwn(ARRAY_TYPES, dtype) ? dtype as DType : undefined;
}

/** The SampleFormat and BitsPerSample values that store `dtype`. */
export function samplesOfDtype(
  dtype: DType,
): { format: number; bits: number } {
  const format = (Object.keys(SAMPLE_FORMATS) as SampleFormat[]).find((name) =>
    dtype.startsWith(name)
  ) as SampleFormat;
  return {
    format: SAMPLE_FORMATS[format],
    bits: 8 * ARRAY_TYPES[dtype].BYTES_PER_ELEMENT,
  };
}

/** What a ResolutionUnit says XResolution and YResolution count pixels per. */
export type ResolutionUnit = "none" | "inch" | "centimeter";

/** ResolutionUnit values of TIFF 6.0 (2, inches, when the tag is absent). */
const RESOLUTION_UNITS: Readonly<Record<ResolutionUnit, number>> = {
  none: 1,
  inch: 2,
  centimeter: 3,
};

/** The meaning of a ResolutionUnit value; values other than 1 and 3 are inches, as the default. */
export function resolutionUnitOf(code: number): ResolutionUnit {
  return code === RESOLUTION_UNITS.none
    ? "none"
    : code === RESOLUTION_UNITS.centimeter
    ? "centimeter"
    : "inch";
}

/** The ResolutionUnit value for a physical unit name: inch, centimeter ("cm") or none for any other unit. */
export function resolutionUnitCode(unit: string | undefined): number {
  if (unit === "inch") return RESOLUTION_UNITS.inch;
  if (unit === "cm" || unit === "centimeter") {
    return RESOLUTION_UNITS.centimeter;
  }
  return RESOLUTION_UNITS.none;
}
