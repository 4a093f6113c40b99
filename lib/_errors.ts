/**
 * Shared argument checking for the public boundary: every message names the
 * function, the argument, the value received and what was expected.
 *
 * @module
 */

/** Renders a received value briefly and unambiguously for an error message. */
export function describeValue(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "bigint") {
    return String(value);
  }
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) {
    const shown = value.slice(0, 8).map(describeValue).join(", ");
    return `[${shown}${value.length > 8 ? ", …" : ""}]`;
  }
  if (ArrayBuffer.isView(value)) {
    return `${value.constructor.name}(${(value as Uint8Array).length})`;
  }
  if (typeof value === "object") {
    const shape = (value as { shape?: unknown }).shape;
    if (Array.isArray(shape)) return `ndarray of shape [${shape.join(", ")}]`;
    return (value as object).constructor?.name ?? "object";
  }
  return typeof value;
}

/**
 * Builds the error thrown for a bad argument, e.g.
 * `gaussianFilter: sigma must be a finite number >= 0 for each of 3 axes, got [1, -2, 1]`.
 */
export function argumentError(
  fn: string,
  name: string,
  value: unknown,
  expected: string,
): TypeError {
  return new TypeError(
    `${fn}: ${name} must be ${expected}, got ${describeValue(value)}`,
  );
}
