/**
 * Private: refusing, before allocating, an array that cannot exist, so that
 * a huge shape (a broadcast view of stride 0, say) or a huge sigma is an
 * error that says how much memory it would take rather than an engine
 * `RangeError` from deep inside a kernel.
 *
 * @module
 */

/**
 * The most bytes one call may allocate: the machine's physical memory when
 * the program may read it (`--allow-sys=systemMemoryInfo`, never prompted
 * for), else 64 GiB.
 */
function allocationLimit(): { bytes: number; of: string } {
  const deno = (globalThis as { Deno?: typeof Deno }).Deno;
  const status = deno?.permissions?.querySync?.({
    name: "sys",
    kind: "systemMemoryInfo",
  });
  if (status?.state === "granted") {
    return {
      bytes: deno!.systemMemoryInfo().total,
      of: "this machine's memory",
    };
  }
  return {
    bytes: 2 ** 36,
    of: "the limit without --allow-sys=systemMemoryInfo",
  };
}

/** Bytes as a reader compares them with memory: "8.0 GB", "1.0e+9 GB". */
function formatGigabytes(bytes: number): string {
  const gigabytes = bytes / 1e9;
  return `${
    gigabytes < 1e6 ? gigabytes.toFixed(1) : gigabytes.toExponential(1)
  } GB`;
}

/**
 * Throws unless `count` values of `bytesPerValue` bytes each fit in memory:
 * `fn: the result of shape [1000000, 1000000, 1000] would need 8.0e+6 GB,
 * more than 16.7 GB (this machine's memory)`. `what` names the allocation.
 *
 * @example
 * ```ts
 * import { checkAllocation } from "./_allocation.ts";
 *
 * try {
 *   checkAllocation("gaussianFilter", "the result of shape [1000000, 1000000, 1000]", 1e15, 8);
 * } catch (error) {
 *   console.log((error as Error).message.split(", more")[0]); // gaussianFilter: the result of shape [1000000, 1000000, 1000] would need 8.0e+6 GB
 * }
 * ```
 */
export function checkAllocation(
  fn: string,
  what: string,
  count: number,
  bytesPerValue: number,
): void {
  const bytes = count * bytesPerValue;
  const limit = allocationLimit();
  if (!(bytes <= limit.bytes)) {
    throw new RangeError(
      `${fn}: ${what} would need ${formatGigabytes(bytes)}, more than ${
        formatGigabytes(limit.bytes)
      } (${limit.of})`,
    );
  }
}
