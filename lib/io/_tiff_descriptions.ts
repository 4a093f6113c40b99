/**
 * Parsers for the two self-describing ImageDescription conventions met in
 * microscopy TIFFs: ImageJ's `key=value` lines and tifffile's JSON shape.
 *
 * @module
 */

import type { ImageJDescription, ShapedDescription } from "./read_tiff.ts";

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

function parseValue(text: string): string | number | boolean {
  if (text === "true") return true;
  if (text === "false") return false;
  if (text !== "" && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(text)) {
    return Number(text);
  }
  return text;
}

function unescapeUnicode(text: string): string {
  return text.replace(
    /\\u([0-9a-fA-F]{4})/g,
    (_, hex: string) => String.fromCharCode(parseInt(hex, 16)),
  );
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
