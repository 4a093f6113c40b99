/**
 * Copies a dataset file from a `file:` mirror.
 *
 * @module
 */

import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { redactUrl } from "../_http_body.ts";
import { DatasetError } from "./dataset_error.ts";
import { FN } from "./_fetch_arguments.ts";
import { checkRegularFile } from "./_dataset_cache.ts";
import type { DownloadSink } from "./_download_sink.ts";
import { withPermission } from "./_permissions.ts";

/** Runs `action` on the mirror file at `path`, naming the flag and a missing file. */
async function onMirrorFile<T>(
  path: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await withPermission(
      FN,
      `reading the mirror file ${path}`,
      `--allow-read=${dirname(path)}`,
      action,
    );
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
    throw new DatasetError(
      "NOT_FOUND",
      `${FN}: the mirror has no file ${path}`,
      { cause: error },
    );
  }
}

/**
 * Copies the file at the `file:` URL `source` into `sink`; `signal` cancels
 * between chunks. Its size is checked (by `sink.start`) before it is opened,
 * and a FIFO or device, which could stream without end, is refused.
 */
export async function copyFromFile(
  source: URL,
  sink: DownloadSink,
  signal: AbortSignal | undefined,
): Promise<void> {
  const path = fileURLToPath(source);
  const info = await onMirrorFile(path, () => Deno.stat(path));
  checkRegularFile(path, info, "the mirror file");
  sink.start(redactUrl(source), info.size);
  const input = await onMirrorFile(path, () => Deno.open(path, { read: true }));
  try {
    // The readable stream closes the input file when it ends or errors.
    for await (const chunk of input.readable) {
      signal?.throwIfAborted();
      await sink.add(chunk);
    }
  } finally {
    sink.finish();
  }
}
