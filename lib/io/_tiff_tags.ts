/**
 * The vocabulary of TIFF image file directories (TIFF 6.0, Adobe 1992;
 * BigTIFF, Aware Systems 2008): the tags stria reads or writes, by name, and
 * the field types of their values.
 *
 * @module
 */

/** The tags stria reads or writes, by their TIFF 6.0 names. */
export const TAG = {
  NewSubfileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  PhotometricInterpretation: 262,
  ImageDescription: 270,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  XResolution: 282,
  YResolution: 283,
  PlanarConfiguration: 284,
  ResolutionUnit: 296,
  Predictor: 317,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  SampleFormat: 339,
} as const;

const TAG_NAMES = new Map<number, string>(
  Object.entries(TAG).map(([name, tag]) => [tag, name]),
);

/** The name of a known tag, e.g. `tagName(273)` is "StripOffsets"; undefined for others. */
export function tagName(tag: number): string | undefined {
  return TAG_NAMES.get(tag);
}

/** Field types of TIFF 6.0 and BigTIFF, by name. */
export const FIELD = {
  BYTE: 1,
  ASCII: 2,
  SHORT: 3,
  LONG: 4,
  RATIONAL: 5,
  SBYTE: 6,
  UNDEFINED: 7,
  SSHORT: 8,
  SLONG: 9,
  SRATIONAL: 10,
  FLOAT: 11,
  DOUBLE: 12,
  IFD: 13,
  LONG8: 16,
  SLONG8: 17,
  IFD8: 18,
} as const;

/** Bytes per value of each field type (a RATIONAL is two LONGs). */
export const FIELD_BYTES: Readonly<Record<number, number>> = {
  [FIELD.BYTE]: 1,
  [FIELD.ASCII]: 1,
  [FIELD.SHORT]: 2,
  [FIELD.LONG]: 4,
  [FIELD.RATIONAL]: 8,
  [FIELD.SBYTE]: 1,
  [FIELD.UNDEFINED]: 1,
  [FIELD.SSHORT]: 2,
  [FIELD.SLONG]: 4,
  [FIELD.SRATIONAL]: 8,
  [FIELD.FLOAT]: 4,
  [FIELD.DOUBLE]: 8,
  [FIELD.IFD]: 4,
  [FIELD.LONG8]: 8,
  [FIELD.SLONG8]: 8,
  [FIELD.IFD8]: 8,
};

const FIELD_NAMES = new Map<number, string>(
  Object.entries(FIELD).map(([name, type]) => [type, name]),
);

/** The name of a field type, e.g. `fieldName(3)` is "SHORT"; "type 99" for others. */
export function fieldName(type: number): string {
  return FIELD_NAMES.get(type) ?? `type ${type}`;
}

/** Field types that only BigTIFF defines. */
export const BIGTIFF_ONLY_FIELDS: ReadonlySet<number> = new Set([
  FIELD.LONG8,
  FIELD.SLONG8,
  FIELD.IFD8,
]);

/** The signed integer field types. */
export const SIGNED_FIELDS: ReadonlySet<number> = new Set([
  FIELD.SBYTE,
  FIELD.SSHORT,
  FIELD.SLONG,
  FIELD.SLONG8,
]);

/**
 * The field types each tag's values may have. TIFF 6.0 gives SHORT or LONG
 * (LONG8 in BigTIFF) for the integers; like libtiff, any integer type is read
 * (a negative value is refused where it is read), but never a FLOAT, RATIONAL
 * or text: a StripOffsets of type FLOAT is a corrupt entry, not a number to
 * convert. The resolutions are RATIONAL, the description ASCII.
 */
export const TAG_FIELDS: Readonly<Record<number, readonly number[]>> = (() => {
  const integer = [
    FIELD.BYTE,
    FIELD.SHORT,
    FIELD.LONG,
    FIELD.LONG8,
    ...SIGNED_FIELDS,
  ];
  const fields: Record<number, readonly number[]> = {};
  for (const tag of Object.values(TAG)) fields[tag] = integer;
  fields[TAG.ImageDescription] = [FIELD.ASCII];
  fields[TAG.XResolution] = fields[TAG.YResolution] = [FIELD.RATIONAL];
  return fields;
})();

/** The tags that hold exactly one value (a RATIONAL counts as one). */
export const SINGLE_VALUED_TAGS: ReadonlySet<number> = new Set([
  TAG.NewSubfileType,
  TAG.ImageWidth,
  TAG.ImageLength,
  TAG.Compression,
  TAG.PhotometricInterpretation,
  TAG.SamplesPerPixel,
  TAG.RowsPerStrip,
  TAG.XResolution,
  TAG.YResolution,
  TAG.PlanarConfiguration,
  TAG.ResolutionUnit,
  TAG.Predictor,
  TAG.TileWidth,
  TAG.TileLength,
]);
