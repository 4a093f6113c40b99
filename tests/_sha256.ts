/**
 * Test helper: the SHA-256 of an array's bytes (as stored: the platform's
 * little-endian order for typed arrays), in hex, as the fixture manifests and
 * `sha256sum` write it.
 *
 * @module
 */

import { createHash } from "node:crypto";

/** The SHA-256 of `values`' bytes, lowercase hex. */
export function sha256(values: ArrayBufferView): string {
  return createHash("sha256").update(
    new Uint8Array(values.buffer, values.byteOffset, values.byteLength),
  ).digest("hex");
}
