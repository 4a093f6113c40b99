/**
 * The two self-describing ImageDescription conventions met in microscopy
 * TIFFs, parsed and built in one place: ImageJ's `key=value` lines and
 * tifffile's JSON shape.
 *
 * @module
 */

/** A parsed ImageJ description: `key=value` lines with numbers and booleans converted, e.g. `{ images: 15, channels: 3, hyperstack: true }`. */
export type ImageJDescription = Record<string, string | number | boolean>;

/** A parsed tifffile JSON description, e.g. `{ shape: [5, 3, 40, 36], axes: "ZCYX" }`. */
export interface ShapedDescription {
  /** The array's shape; its product must equal the values in the file. */
  shape: number[];
  /** One letter per axis of `shape`, when the writer named them. */
  axes?: string;
  /** Any further keys the writer stored. */
  [key: string]: unknown;
}

/** What an ImageJ hyperstack description states: its counts, and optionally the voxel size. */
export interface ImageJHyperstack {
  images: number;
  channels: number;
  slices: number;
  frames: number;
  /** Unit of the X, Y and Z sizes. */
  unit?: string;
  /** Z step, in `unit`. */
  spacing?: number;
  /** Time step. */
  finterval?: number;
}

/**
 * The ImageJ description of a grayscale hyperstack, e.g.
 * `ImageJ=1.11a\nimages=6\nchannels=2\nslices=3\nframes=1\nhyperstack=true\nmode=grayscale\n`.
 * A non-ASCII unit is written as `\uXXXX`, as tifffile does (TIFF ASCII is 7-bit).
 */
export function imageJDescription(stack: ImageJHyperstack): string {
  const lines = [
    "ImageJ=1.11a",
    `images=${stack.images}`,
    `channels=${stack.channels}`,
    `slices=${stack.slices}`,
    `frames=${stack.frames}`,
    "hyperstack=true",
    "mode=grayscale",
  ];
  if (stack.unit !== undefined) {
    lines.push(`unit=${escapeNonAscii(stack.unit)}`);
  }
  if (stack.spacing !== undefined) lines.push(`spacing=${stack.spacing}`);
  if (stack.finterval !== undefined) {
    lines.push(`finterval=${stack.finterval}`);
  }
  return `${lines.join("\n")}\n`;
}

/** tifffile's JSON description of an array, e.g. `{"shape":[5,3,40,36],"axes":"ZCYX"}`. */
export function shapedDescription(
  shape: readonly number[],
  axes: string,
): string {
  return JSON.stringify({ shape, axes });
}

/** True when `description` is an ImageJ description (it starts with `ImageJ=`). */
export function isImageJDescription(
  description: string | undefined,
): description is string {
  return description !== undefined && description.startsWith("ImageJ=");
}

/**
 * Parses ImageJ's `key=value` lines, e.g. `ImageJ=1.11a\nimages=15\nchannels=3`.
 * Units written as `\u00B5m` (tifffile escapes non-ASCII) are unescaped.
 */
export function parseImageJDescription(description: string): ImageJDescription {
  const parsed: ImageJDescription = {};
  for (const line of description.split("\n")) {
    const equals = line.indexOf("=");
    if (equals <= 0) continue;
    const key = line.slice(0, equals).trim();
    const text = unescapeUnicode(line.slice(equals + 1).trim());
    parsed[key] = key === "ImageJ" ? text : parseValue(text);
  }
  return parsed;
}

/** Parses a tifffile JSON description, or returns undefined when `description` is not one. */
export function parseShapedDescription(
  description: string | undefined,
): ShapedDescription | undefined {
  if (description === undefined || !description.trimStart().startsWith("{")) {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(description);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const shape = (parsed as { shape?: unknown }).shape;
  if (
    !Array.isArray(shape) || !shape.every((n) => Number.isInteger(n) && n >= 0)
  ) return undefined;
  return parsed as ShapedDescription;
}

function parseValue(text: string): string | number | boolean {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text !== "" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    return Number(text);
  }
  return text;
}

function escapeNonAscii(text: string): string {
  return text.replace(
    /[^\x20-\x7e]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function unescapeUnicode(text: string): string {
  return text.replace(
    /\\u([0-9a-fA-F]{4})/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
}
