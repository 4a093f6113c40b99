/**
 * Downloads a registry dataset into the cache folder, verified by sha256.
 *
 * @module
 */

import { dataCacheDir } from "./data_cache_dir.ts";
import { DatasetError } from "./dataset_error.ts";
import { type DatasetEntry, getDataset } from "./registry.ts";
import { copyFromFile } from "./_copy_from_file.ts";
import { copyFromHttp } from "./_copy_from_http.ts";
import { DatasetCache } from "./_dataset_cache.ts";
import { DownloadSink } from "./_download_sink.ts";
import { redactUrl } from "../_http_body.ts";
import {
  type ByteLimit,
  byteLimit,
  checkDatasetFile,
  checkFetchOptions,
  type DatasetFile,
  type FetchSettings,
  FN,
} from "./_fetch_arguments.ts";
import { ProgressReporter } from "./_progress.ts";
import { withRetries } from "./_retry.ts";
import type { FetchDatasetOptions } from "./fetch_dataset_options.ts";
import { sourceUrl } from "./_source_url.ts";

export type { DatasetProgress } from "./_progress.ts";
export type { FetchDatasetOptions } from "./fetch_dataset_options.ts";

/** Failures whose message ends with how to do without the network. */
const NETWORK_FAILURES: ReadonlySet<string> = new Set([
  "UNREACHABLE",
  "TIMEOUT",
  "TRUNCATED",
  "HTTP_STATUS",
]);

function howToFix(entry: DatasetFile, target: string): string {
  return `To fix: set STRIA_DATA_MIRROR to a base URL (http(s): or file:) that serves ${entry.fileName}, ` +
    `or copy the file (sha256 ${entry.sha256}) to ${target}`;
}

/** One attempt: copies `source` into a new temporary file, verifies it, renames it into place. */
async function download(
  entry: DatasetFile,
  source: URL,
  cache: DatasetCache,
  settings: FetchSettings,
  limit: ByteLimit,
): Promise<void> {
  const out = await cache.open();
  try {
    const sink = new DownloadSink(
      out,
      new ProgressReporter({
        label: entry.fileName,
        destination: cache.target,
        quiet: settings.quiet,
        onProgress: settings.onProgress,
        terminal: Deno.stderr.isTerminal(),
      }),
      limit,
    );
    if (source.protocol === "file:") {
      await copyFromFile(source, sink, settings.signal);
    } else {
      await copyFromHttp(source, sink, settings);
    }
    const actual = sink.sha256();
    if (actual !== entry.sha256) {
      throw new DatasetError(
        "HASH_MISMATCH",
        `${FN}: ${
          redactUrl(source)
        } (${sink.loaded} bytes) has sha256 ${actual}, expected ${entry.sha256}; ` +
          "the file on the server differs from the registry's, nothing was kept in the cache",
      );
    }
    await cache.commit(out);
  } finally {
    // After a commit this does nothing; after any failure it removes the temporary file.
    await out.abort();
  }
}

/**
 * Returns the local path of a dataset file, downloading it into the cache
 * folder first unless a copy with the right sha256 is already there.
 *
 * - Source: `options.mirror` or `$STRIA_DATA_MIRROR` (a base URL, `http(s):` or
 *   `file:`, holding the same file name), else the registry URL.
 * - Integrity: the bytes are hashed (sha256) as they stream in and compared with
 *   the registry; a cached file is hashed before use, and a bad one is downloaded
 *   again (with a notice on stderr).
 * - Bounds: every download is bounded by the entry's `size` (a Content-Length
 *   or mirror file of another size is refused before a byte is read; a longer
 *   body, also one that gzip or deflate decoding would inflate, is cut off at
 *   that size), else by `options.maxBytes` or the entry's `maxBytes`; an entry
 *   with none of them is refused. A stall (no bytes for `timeoutMs`) or an
 *   attempt outlasting `deadlineMs` (a trickling server) ends the attempt.
 * - Secrets: URLs in messages and progress lines never show a
 *   `user:password@` part or the values of token-like query parameters.
 * - Atomicity: bytes go to a uniquely named temporary file in the cache folder
 *   (`.<fileName>.<uuid>.part`, written through `lib/_atomic_write.ts`),
 *   renamed into place only once verified, and removed on any failure; so an
 *   interrupted download, a full disk or two processes fetching at once never
 *   leave a partial or corrupt file under the final name, and a bad cached file
 *   stays as it was until a verified copy replaces it. Temporary files of killed
 *   processes (untouched for an hour) are removed on every call for that file,
 *   also when it is cached. A directory or FIFO at the cache path is refused
 *   (`NOT_A_FILE`) before anything is opened.
 * - Retries: a refused, reset or unresolvable connection, a stall (no bytes for
 *   `timeoutMs`), a truncated body and HTTP 5xx, 408 and 429 are retried
 *   `retries` times with exponential backoff (`retryDelayMs`, doubled each
 *   time). Refused connections count as transient because a laptop's network or
 *   a restarting server often refuses for a moment; the cost is a few seconds
 *   before the final error. Other HTTP errors (404, 403...), a hash mismatch,
 *   a wrong size, a passed deadline, a full disk (`NO_SPACE`, naming the path
 *   and the space needed), an exception from `onProgress` (rethrown as is)
 *   and missing permissions fail at once.
 * - Progress on stderr: a bar with size, rate and ETA when stderr is a terminal,
 *   one line otherwise; `quiet: true` silences it, `onProgress` gets every step.
 *
 * Least permissions: `--allow-read=<cache dir> --allow-write=<cache dir>`, plus
 * `--allow-net=<host>` of the URL fetched (`gitlab.com` for the registry's
 * datasets) or `--allow-read=<mirror folder>` for a `file:` mirror, plus
 * `--allow-env=STRIA_DATA_MIRROR` unless `mirror` is given and
 * `--allow-env=STRIA_DATA_DIR,XDG_CACHE_HOME,HOME,USERPROFILE` unless `cacheDir`
 * is given. A missing permission raises a {@linkcode DatasetError} (`PERMISSION`)
 * naming the flag; after a redirect, the flag of the host that was denied.
 *
 * @param nameOrEntry A registry name (see `datasetRegistry`) or an entry of your
 * own (only `name`, `fileName`, `url`, `sha256`, `size` and `maxBytes` are
 * used, each checked).
 * @returns The path of the verified file in the cache folder.
 * @throws {DatasetError} with `code` `UNREACHABLE`, `TIMEOUT`, `TRUNCATED`,
 * `HTTP_STATUS`, `SIZE_MISMATCH`, `TOO_LARGE`, `HASH_MISMATCH`, `NOT_FOUND`,
 * `NOT_A_FILE`, `NO_SPACE`, `PERMISSION` or `UNKNOWN_DATASET`; network
 * failures say how to use a mirror or where to copy the file by hand.
 * @throws {TypeError} for a wrong argument, naming the field or option.
 * @throws {Error} naming the cache path when the file cannot be written there
 * for another reason; not retried.
 *
 * @example
 * ```ts
 * import { createHash } from "node:crypto";
 * import { fetchDataset } from "./fetch_dataset.ts";
 *
 * // A dataset of one's own, served from a local folder used as a mirror.
 * const dir = await Deno.makeTempDir();
 * const bytes = new TextEncoder().encode("hello");
 * await Deno.writeFile(`${dir}/hello.txt`, bytes);
 * const entry = {
 *   name: "hello",
 *   fileName: "hello.txt",
 *   url: "https://example.org/hello.txt",
 *   sha256: createHash("sha256").update(bytes).digest("hex"),
 *   size: bytes.length,
 * };
 * const path = await fetchDataset(entry, {
 *   cacheDir: `${dir}/cache`,
 *   mirror: new URL(`file://${dir}/`),
 *   quiet: true,
 * });
 * const text = await Deno.readTextFile(path);
 * if (text !== "hello") throw new Error(text);
 * console.log(text); // hello
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function fetchDataset(
  nameOrEntry:
    | string
    | Pick<
      DatasetEntry,
      "name" | "fileName" | "url" | "sha256" | "size" | "maxBytes"
    >,
  options: FetchDatasetOptions = {},
): Promise<string> {
  const entry = typeof nameOrEntry === "string"
    ? getDataset(nameOrEntry)
    : checkDatasetFile(nameOrEntry);
  const settings = checkFetchOptions(options);
  const limit = byteLimit(entry, settings.maxBytes);
  const cache = new DatasetCache(
    settings.cacheDir ?? dataCacheDir(),
    entry.fileName,
  );

  const cachedHash = await cache.storedSha256();
  if (cachedHash === entry.sha256) return cache.target;
  if (cachedHash !== undefined) {
    settings.notify(
      `stria: the cached file ${cache.target} has sha256 ${cachedHash}, expected ${entry.sha256}; downloading it again`,
    );
  }

  const source = sourceUrl(entry, settings.mirror);
  await cache.prepare();
  try {
    await withRetries(
      settings,
      () => download(entry, source, cache, settings, limit),
    );
  } catch (error) {
    if (error instanceof DatasetError && NETWORK_FAILURES.has(error.code)) {
      throw new DatasetError(
        error.code,
        `${error.message}. ${howToFix(entry, cache.target)}`,
        { cause: error },
      );
    }
    throw error;
  }
  return cache.target;
}
