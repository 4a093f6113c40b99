/**
 * Copies a dataset file from a `file:` mirror.
 *
 * @module
 */

import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { DatasetError } from "./dataset_error.ts";
import { FN } from "./_fetch_arguments.ts";
import type { DownloadSink } from "./_download_sink.ts";
import { withPermission } from "./_permissions.ts";

async function openMirrorFile(path: string): Promise<Deno.FsFile> {
  try {
    return await withPermission(
      FN,
      `reading the mirror file ${path}`,
      `--allow-read=${dirname(path)}`,
      () => Deno.open(path, { read: true }),
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

/** Copies the file at the `file:` URL `source` into `sink`; `signal` cancels between chunks. */
export async function copyFromFile(
  source: URL,
  sink: DownloadSink,
  signal: AbortSignal | undefined,
): Promise<void> {
  const input = await openMirrorFile(fileURLToPath(source));
  const { size } = await input.stat();
  sink.start(source.href, size);
  // The readable stream closes the input file when it ends or errors.
  for await (const chunk of input.readable) {
    signal?.throwIfAborted();
    await sink.add(chunk);
  }
  sink.finish();
}
