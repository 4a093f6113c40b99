/**
 * Private: the SharedArrayBuffers worker threads read and write, reused
 * once their owner hands them back. V8 frees a SharedArrayBuffer only at a
 * full garbage collection, and their memory does not prompt one (measured
 * with Deno 2.9.6 and Node 20: twenty 100 MB SharedArrayBuffers allocated
 * and dropped one after another stay resident, 2.0 GB, where ArrayBuffers
 * peak at 0.95 GB and are freed; with a full collection after each, 0.24
 * GB). So a computation that allocates them block after block grows until
 * the process ends. Temporaries (an input's shared copy) and buffers whose
 * owner is done with them (`stria analyze`'s block outputs, once written)
 * are released here, and the next request of the same size gets one back.
 *
 * @module
 */

/** Released buffers kept for reuse, the most recent first: a block's outputs and temporaries, with room to spare. */
const KEPT = 16;

const released: SharedArrayBuffer[] = [];
let allocated = 0;

/** How many SharedArrayBuffers `sharedBuffer` has allocated in this process (tests read it). */
export function sharedBuffersAllocated(): number {
  return allocated;
}

/**
 * A SharedArrayBuffer of at least `bytes`, the first `bytes` zeroed: the
 * smallest released one that holds them without being more than twice as
 * large, else a new one of `bytes`. Views of it give their length
 * explicitly, as it may be longer.
 *
 * @example
 * ```ts
 * import { releaseShared, sharedBuffer } from "./_shared_buffers.ts";
 * const first = sharedBuffer(64);
 * new Uint8Array(first).fill(7);
 * releaseShared(first);
 * const again = sharedBuffer(40);
 * console.log(again === first, new Uint8Array(again, 0, 40)[39]); // true 0
 * ```
 */
export function sharedBuffer(bytes: number): SharedArrayBuffer {
  let at = -1;
  for (const [i, buffer] of released.entries()) {
    const size = buffer.byteLength;
    if (
      size >= bytes && size <= 2 * bytes &&
      (at < 0 || size < released[at].byteLength)
    ) {
      at = i;
    }
  }
  if (at < 0) {
    allocated++;
    return new SharedArrayBuffer(bytes);
  }
  const [buffer] = released.splice(at, 1);
  new Uint8Array(buffer, 0, bytes).fill(0);
  return buffer;
}

/** A buffer of `bytes` for worker threads when `shared` ({@linkcode sharedBuffer}), else a new ArrayBuffer. */
export function bufferOf(
  bytes: number,
  shared: boolean,
): ArrayBuffer | SharedArrayBuffer {
  return shared ? sharedBuffer(bytes) : new ArrayBuffer(bytes);
}

/**
 * Hands `buffers` back for reuse; their owner never touches them, nor any
 * view of them, again. Buffers that are not shared, or already released,
 * are ignored; beyond the 16 most recent, released buffers are dropped.
 */
export function releaseShared(...buffers: ArrayBufferLike[]): void {
  for (const buffer of buffers) {
    if (buffer instanceof SharedArrayBuffer && !released.includes(buffer)) {
      released.unshift(buffer);
    }
  }
  released.length = Math.min(released.length, KEPT);
}
