/**
 * The options of `encodeTiff` and `writeTiff`: axes, physical sizes and unit.
 *
 * @module
 */

/** Physical sizes written into a TIFF (the same fields as `TiffMetadata`, so read metadata can be passed back). */
export interface WriteTiffMetadata {
  /** Size of one step along X, Y (resolution tags), Z (ImageJ `spacing`) and T (ImageJ `finterval`). */
  physicalSizes?: Partial<Record<"X" | "Y" | "Z" | "T", number>>;
  /** Unit of the X, Y and Z sizes, e.g. "µm" or "micron" (ImageJ `unit`). */
  physicalUnit?: string;
}

/** Options of {@linkcode encodeTiff} and `writeTiff`. */
export interface EncodeTiffOptions {
  /** One letter per axis of the data, a subsequence of "TZCYX" ending in "YX" (ImageJ's order). */
  axes: string;
  /** Physical sizes and unit to store (ImageJ description and resolution tags). */
  metadata?: WriteTiffMetadata;
}
