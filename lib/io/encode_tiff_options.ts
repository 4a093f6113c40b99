/**
 * The options of `encodeTiff` and `writeTiff`: axes, the OME-TIFF choice,
 * physical sizes, unit and channel names.
 *
 * @module
 */

/** Physical sizes written into a TIFF (the same fields as `TiffMetadata`, so read metadata can be passed back). */
export interface WriteTiffMetadata {
  /**
   * Size of one step along X, Y, Z (in `physicalUnit`) and T (seconds). ImageJ
   * files store X and Y as resolution tags, Z as `spacing`, T as `finterval`;
   * OME-TIFFs as PhysicalSizeX/Y/Z and TimeIncrement.
   */
  physicalSizes?: Partial<Record<"X" | "Y" | "Z" | "T", number>>;
  /**
   * Unit of the X, Y and Z sizes: for ImageJ any name, e.g. "µm" or "micron"
   * (ImageJ `unit`); for OME-TIFF one of "µm" (the default), "nm", "pm", "Å",
   * "mm", "cm", "m".
   */
  physicalUnit?: string;
  /** OME-TIFF only: one name per index of the C axis (OME Channel Name). */
  channelNames?: readonly string[];
}

/** Options of {@linkcode encodeTiff} and `writeTiff`. */
export interface EncodeTiffOptions {
  /**
   * One letter per axis of the data, ending in "YX". ImageJ: a subsequence of
   * "TZCYX" (ImageJ's order). OME-TIFF: T, Z and C at most once each, in any
   * order, before "YX" (e.g. "CZYX", "TZCYX").
   */
  axes: string;
  /** Write an OME-TIFF (OME-XML 2016-06 description) instead of an ImageJ hyperstack (default false). */
  ome?: boolean;
  /** Physical sizes, unit and channel names to store. */
  metadata?: WriteTiffMetadata;
}
