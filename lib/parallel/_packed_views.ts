/**
 * Private: messages to worker threads with their typed arrays carried as
 * bare buffers. Deno 2.9.6 delivers a typed array over a SharedArrayBuffer
 * to a `node:worker_threads` worker very slowly, and with memory growing
 * with the array (measured: 64 MiB of float64 took 2.3 to 5 s and added
 * 270 MiB of resident memory), while the bare SharedArrayBuffer takes about
 * 10 ms; so each view travels as its buffer, offset and length, and the
 * worker rebuilds it over the same memory.
 *
 * @module
 */

const VIEW_TYPES = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
};

/** A typed array as it travels: its type, buffer, offset and length. */
interface PackedView {
  packedView: keyof typeof VIEW_TYPES;
  buffer: ArrayBufferLike;
  byteOffset: number;
  length: number;
}

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === "object" &&
  Object.getPrototypeOf(value) === Object.prototype;

/** `value` with every typed array in it (through arrays and plain objects) packed. */
export function packViews(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const view = value as Int8Array;
    return {
      packedView: view.constructor.name,
      buffer: view.buffer,
      byteOffset: view.byteOffset,
      length: view.length,
    };
  }
  if (Array.isArray(value)) return value.map(packViews);
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, entry]) => [key, packViews(entry)]),
    );
  }
  return value;
}

/** Undoes {@linkcode packViews}: the views rebuilt over the buffers received. */
export function unpackViews(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unpackViews);
  if (!isPlainObject(value)) return value;
  if (typeof value.packedView === "string") {
    const { packedView, buffer, byteOffset, length } =
      value as unknown as PackedView;
    return new VIEW_TYPES[packedView](
      buffer as ArrayBuffer,
      byteOffset,
      length,
    );
  }
  return Object.fromEntries(
    Object.entries(value).map(([key, entry]) => [key, unpackViews(entry)]),
  );
}
