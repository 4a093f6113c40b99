/**
 * Test helper: options for `fetchDataset` in tests: quiet, retrying at once,
 * with a fresh cache folder removed on disposal (`await using`).
 *
 * @module
 */

import type { FetchDatasetOptions } from "../lib/data/fetch_dataset.ts";

/** The options, their cache folder, and the disposal that removes it. */
export type TestOptions =
  & FetchDatasetOptions
  & { cacheDir: string }
  & AsyncDisposable;

/** Quiet, fast-retrying options with a fresh cache folder, removed on disposal. */
export async function testOptions(
  extra: FetchDatasetOptions = {},
): Promise<TestOptions> {
  const cacheDir = await Deno.makeTempDir({ prefix: "stria-fetch-" });
  return {
    cacheDir,
    quiet: true,
    retryDelayMs: 1,
    ...extra,
    [Symbol.asyncDispose]: () => Deno.remove(cacheDir, { recursive: true }),
  };
}
