/**
 * The builder's worker pool: runs examples a few at a time (`--jobs`).
 *
 * @module
 */

/**
 * Runs `task` over `items` with at most `jobs` at once, keeping the input
 * order in the result.
 *
 * @example
 * ```ts
 * import { mapConcurrently } from "./_pool.ts";
 *
 * let running = 0;
 * let most = 0;
 * const doubled = await mapConcurrently([1, 2, 3, 4], 2, async (n) => {
 *   most = Math.max(most, ++running);
 *   await new Promise((resolve) => setTimeout(resolve, 5 - n));
 *   running--;
 *   return 2 * n;
 * });
 * if (most !== 2 || doubled.join() !== "2,4,6,8") throw new Error(`${most} ${doubled}`);
 * console.log(doubled, most); // [2, 4, 6, 8] 2
 * ```
 */
export async function mapConcurrently<T, R>(
  items: readonly T[],
  jobs: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(jobs, items.length)) }, worker),
  );
  return results;
}
