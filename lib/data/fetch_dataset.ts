/**
 * Downloads a registry dataset into the cache folder, verified by sha256.
 *
 * @module
 */

import { createHash, type Hash } from "node:crypto";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { argumentError } from "../_errors.ts";
import { dataCacheDir } from "./data_cache_dir.ts";
import { DatasetError } from "./dataset_error.ts";
import { type DatasetEntry, getDataset } from "./registry.ts";
import { hashFileIfExists } from "./_hash_file.ts";
import {
  isPermissionError,
  permissionError,
  withPermission,
} from "./_permissions.ts";
import {
  type DatasetProgress,
  ProgressReporter,
  writeStderr,
} from "./_progress.ts";

export type { DatasetProgress } from "./_progress.ts";

/**
 * Options of {@linkcode fetchDataset}.
 *
 * @example
 * ```ts
 * import type { FetchDatasetOptions } from "./fetch_dataset.ts";
 *
 * const options: FetchDatasetOptions = {
 *   cacheDir: "/tmp/stria-data",
 *   timeoutMs: 10_000,
 *   retries: 5,
 *   onProgress: ({ loaded, total }) => console.log(loaded, "of", total ?? "?"),
 * };
 * console.log(Object.keys(options).length); // 4
 * ```
 */
export interface FetchDatasetOptions {
  /** Cache folder; default {@linkcode dataCacheDir}(). Created if missing. */
  cacheDir?: string;
  /**
   * Base URL (`http:`, `https:` or `file:`) holding the same file name, used
   * instead of the registry URL; default `$STRIA_DATA_MIRROR` when set.
   */
  mirror?: string | URL;
  /** Cancels the download (rejects with the signal's reason); nothing is left in the cache. */
  signal?: AbortSignal;
  /** Called with the bytes received so far, on every chunk. */
  onProgress?: (progress: DatasetProgress) => void;
  /** Receives the notices otherwise printed on stderr (bad cached file, retries). */
  onNotice?: (message: string) => void;
  /** Print nothing on stderr (no progress, no notices). Default false. */
  quiet?: boolean;
  /** Give up an attempt when no bytes arrive for this long, in ms. Default 30000. */
  timeoutMs?: number;
  /** Further attempts after a transient failure. Default 3. */
  retries?: number;
  /** Wait before the first retry, in ms; doubled after each. Default 1000. */
  retryDelayMs?: number;
  /** The fetch implementation to use; default `globalThis.fetch`. */
  fetch?: typeof fetch;
}

const FN = "fetchDataset";
const SHA256_PATTERN = /^[0-9a-f]{64}$/;

/** Failures worth another attempt: the network, a stall, a truncated body, 5xx, 408, 429. */
const transientFailures = new WeakSet<DatasetError>();

function transient(error: DatasetError): DatasetError {
  transientFailures.add(error);
  return error;
}

/** The fields of an entry that fetching uses. */
type DatasetFile = Pick<
  DatasetEntry,
  "name" | "fileName" | "url" | "sha256" | "size"
>;

function checkEntry(entry: unknown): DatasetFile {
  const candidate = entry as Partial<DatasetFile> | null;
  const valid = typeof candidate === "object" && candidate !== null &&
    typeof candidate.name === "string" && typeof candidate.url === "string" &&
    typeof candidate.fileName === "string" &&
    /^[^/\\]+$/.test(candidate.fileName) &&
    candidate.fileName !== "." && candidate.fileName !== ".." &&
    typeof candidate.sha256 === "string" &&
    SHA256_PATTERN.test(candidate.sha256);
  if (!valid) {
    throw argumentError(
      FN,
      "nameOrEntry",
      entry,
      "a registry name or an entry with name, url, a plain fileName and a lowercase hex sha256",
    );
  }
  return candidate as DatasetFile;
}

function checkCount(
  name: string,
  value: unknown,
  fallback: number,
  min: number,
): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw argumentError(FN, name, value, `an integer >= ${min}`);
  }
  return value;
}

function readMirrorEnv(): string | undefined {
  try {
    const value = Deno.env.get("STRIA_DATA_MIRROR");
    return value === "" ? undefined : value;
  } catch (error) {
    if (isPermissionError(error)) {
      throw permissionError(
        FN,
        "reading the environment variable STRIA_DATA_MIRROR",
        "--allow-env=STRIA_DATA_MIRROR (or pass the mirror option)",
        error,
      );
    }
    throw error;
  }
}

/** The URL to download from: the mirror's copy of the file name, else the registry URL. */
function sourceUrl(
  entry: DatasetFile,
  mirrorOption: string | URL | undefined,
): URL {
  const fromOption = mirrorOption !== undefined;
  const mirror = fromOption ? String(mirrorOption) : readMirrorEnv();
  const argName = fromOption ? "mirror" : "$STRIA_DATA_MIRROR";
  if (mirror === undefined) {
    const url = URL.parse(entry.url);
    if (url === null) {
      throw argumentError(FN, "nameOrEntry.url", entry.url, "an absolute URL");
    }
    return url;
  }
  const base = URL.parse(mirror.endsWith("/") ? mirror : `${mirror}/`);
  if (base === null || !["http:", "https:", "file:"].includes(base.protocol)) {
    throw argumentError(
      FN,
      argName,
      mirror,
      "an absolute http:, https: or file: base URL",
    );
  }
  return new URL(encodeURIComponent(entry.fileName), base);
}

function netFlag(url: URL): string {
  return `--allow-net=${url.host}`;
}

function howToFix(entry: DatasetFile, target: string): string {
  return `To fix: set STRIA_DATA_MIRROR to a base URL (http(s): or file:) that serves ${entry.fileName}, ` +
    `or copy the file (sha256 ${entry.sha256}) to ${target}`;
}

async function writeAll(file: Deno.FsFile, bytes: Uint8Array): Promise<void> {
  let written = 0;
  while (written < bytes.length) {
    written += await file.write(bytes.subarray(written));
  }
}

interface Attempt {
  readonly source: URL;
  readonly file: Deno.FsFile;
  readonly hash: Hash;
  readonly progress: ProgressReporter;
  readonly timeoutMs: number;
  readonly signal: AbortSignal | undefined;
  readonly fetch: typeof fetch;
}

/** Copies a `file:` mirror's file; returns the byte count. */
async function copyFromFile(attempt: Attempt): Promise<number> {
  const path = fileURLToPath(attempt.source);
  let input: Deno.FsFile;
  try {
    input = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      throw new DatasetError(
        "NOT_FOUND",
        `${FN}: the mirror has no file ${path}`,
        { cause: error },
      );
    }
    if (isPermissionError(error)) {
      throw permissionError(
        FN,
        `reading the mirror file ${path}`,
        `--allow-read=${dirname(path)}`,
        error,
      );
    }
    throw error;
  }
  let loaded = 0;
  const { size } = await input.stat();
  attempt.progress.start(attempt.source.href, size);
  // The readable stream closes the input file when it ends or errors.
  for await (const chunk of input.readable) {
    attempt.signal?.throwIfAborted();
    attempt.hash.update(chunk);
    await writeAll(attempt.file, chunk);
    loaded += chunk.length;
    attempt.progress.update(loaded);
  }
  attempt.progress.finish(loaded);
  return loaded;
}

function contentLength(
  response: Response,
  fallback: number | undefined,
): number | undefined {
  const encoding = response.headers.get("content-encoding");
  // Decompressed bodies do not match the announced (compressed) length.
  if (encoding !== null && encoding !== "identity") return fallback;
  const header = response.headers.get("content-length");
  const length = header === null ? NaN : Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : fallback;
}

/** Downloads over HTTP(S) with a stall timer; returns the byte count. */
async function copyFromHttp(
  attempt: Attempt,
  expectedSize: number | undefined,
): Promise<number> {
  const url = attempt.source.href;
  const stall = new AbortController();
  const signal = attempt.signal
    ? AbortSignal.any([attempt.signal, stall.signal])
    : stall.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const armStallTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), attempt.timeoutMs);
  };
  let loaded = 0;
  let total: number | undefined;
  let started = false;
  armStallTimer();
  try {
    const response = await attempt.fetch(url, { signal });
    if (!response.ok) {
      await response.body?.cancel();
      const error = new DatasetError(
        "HTTP_STATUS",
        `${FN}: ${url} answered HTTP ${response.status} ${response.statusText}`
          .trimEnd(),
      );
      const status = response.status;
      throw status >= 500 || status === 408 || status === 429
        ? transient(error)
        : error;
    }
    total = contentLength(response, expectedSize);
    attempt.progress.start(url, total);
    started = true;
    if (response.body === null) {
      throw transient(
        new DatasetError("TRUNCATED", `${FN}: ${url} sent no body`),
      );
    }
    armStallTimer();
    for await (const chunk of response.body) {
      armStallTimer();
      attempt.hash.update(chunk);
      await writeAll(attempt.file, chunk);
      loaded += chunk.length;
      attempt.progress.update(loaded);
    }
    if (total !== undefined && loaded !== total) {
      throw transient(
        new DatasetError(
          "TRUNCATED",
          `${FN}: ${url} ended after ${loaded} of ${total} bytes`,
        ),
      );
    }
    return loaded;
  } catch (error) {
    if (attempt.signal?.aborted) throw attempt.signal.reason;
    if (error instanceof DatasetError) throw error;
    if (isPermissionError(error)) {
      throw permissionError(
        FN,
        `network access to ${url}`,
        netFlag(attempt.source),
        error,
      );
    }
    if (stall.signal.aborted) {
      const where = started
        ? `after ${loaded} bytes`
        : "before the response headers";
      throw transient(
        new DatasetError(
          "TIMEOUT",
          `${FN}: no data from ${url} for ${attempt.timeoutMs} ms (${where}); the server or network stalled`,
          { cause: error },
        ),
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    if (started) {
      const of = total === undefined ? "" : ` of ${total}`;
      throw transient(
        new DatasetError(
          "TRUNCATED",
          `${FN}: the connection to ${url} broke after ${loaded}${of} bytes (${reason})`,
          {
            cause: error,
          },
        ),
      );
    }
    throw transient(
      new DatasetError(
        "UNREACHABLE",
        `${FN}: cannot reach ${url} (${reason})`,
        { cause: error },
      ),
    );
  } finally {
    clearTimeout(timer);
    if (started) attempt.progress.finish(loaded);
  }
}

/** Temporary files untouched for this long belong to a download that was killed. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Removes the temporary files of `fileName` that a killed process left behind
 * (a live download writes at least every `timeoutMs`, so an hour-old one is dead).
 */
async function removeStaleTempFiles(
  cacheDir: string,
  fileName: string,
): Promise<void> {
  const prefix = `.${fileName}.`;
  const now = Date.now();
  for await (const item of Deno.readDir(cacheDir)) {
    if (
      !item.isFile || !item.name.startsWith(prefix) ||
      !item.name.endsWith(".part")
    ) continue;
    const path = join(cacheDir, item.name);
    const { mtime } = await Deno.stat(path).catch(() => ({ mtime: null }));
    if (mtime !== null && now - mtime.getTime() > STALE_TEMP_MS) {
      // Another process may remove it at the same moment; either way it is gone.
      await Deno.remove(path).catch(() => {});
    }
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    signal?.throwIfAborted();
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
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
 * - Atomicity: bytes go to a uniquely named temporary file in the cache folder,
 *   renamed into place only once verified, and removed on any failure; so an
 *   interrupted download or two processes fetching at once never leave a partial
 *   or corrupt file under the final name. Temporary files of killed processes
 *   (untouched for an hour) are removed on the next fetch of that file.
 * - Retries: a refused, reset or unresolvable connection, a stall (no bytes for
 *   `timeoutMs`), a truncated body and HTTP 5xx, 408 and 429 are retried
 *   `retries` times with exponential backoff (`retryDelayMs`, doubled each
 *   time). Refused connections count as transient because a laptop's network or
 *   a restarting server often refuses for a moment; the cost is a few seconds
 *   before the final error. Other HTTP errors (404, 403...), a hash mismatch and
 *   missing permissions fail at once.
 * - Progress on stderr: a bar with size, rate and ETA when stderr is a terminal,
 *   one line otherwise; `quiet: true` silences it, `onProgress` gets every step.
 *
 * Least permissions: `--allow-read=<cache dir> --allow-write=<cache dir>`, plus
 * `--allow-net=<host>` of the URL fetched (`gitlab.com` for the registry's
 * datasets) or `--allow-read=<mirror folder>` for a `file:` mirror, plus
 * `--allow-env=STRIA_DATA_MIRROR` unless `mirror` is given and
 * `--allow-env=STRIA_DATA_DIR,XDG_CACHE_HOME,HOME,USERPROFILE` unless `cacheDir`
 * is given. A missing permission raises a {@linkcode DatasetError} (`PERMISSION`)
 * naming the flag.
 *
 * @param nameOrEntry A registry name (see `datasetRegistry`) or an entry of your
 * own (only `name`, `fileName`, `url`, `sha256` and optionally `size` are used).
 * @returns The path of the verified file in the cache folder.
 * @throws {DatasetError} with `code` `UNREACHABLE`, `TIMEOUT`, `TRUNCATED`,
 * `HTTP_STATUS`, `HASH_MISMATCH`, `NOT_FOUND`, `PERMISSION` or `UNKNOWN_DATASET`;
 * network failures say how to use a mirror or where to copy the file by hand.
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
 * };
 * const path = await fetchDataset(entry, {
 *   cacheDir: `${dir}/cache`,
 *   mirror: new URL(`file://${dir}/`),
 *   quiet: true,
 * });
 * console.log(await Deno.readTextFile(path)); // hello
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function fetchDataset(
  nameOrEntry:
    | string
    | Pick<DatasetEntry, "name" | "fileName" | "url" | "sha256" | "size">,
  options: FetchDatasetOptions = {},
): Promise<string> {
  const entry = typeof nameOrEntry === "string"
    ? getDataset(nameOrEntry)
    : checkEntry(nameOrEntry);
  if (typeof options !== "object" || options === null) {
    throw argumentError(FN, "options", options, "an object");
  }
  const timeoutMs = checkCount(
    "options.timeoutMs",
    options.timeoutMs,
    30_000,
    1,
  );
  const retries = checkCount("options.retries", options.retries, 3, 0);
  const retryDelayMs = checkCount(
    "options.retryDelayMs",
    options.retryDelayMs,
    1000,
    0,
  );
  if (
    options.cacheDir !== undefined &&
    (typeof options.cacheDir !== "string" || options.cacheDir === "")
  ) {
    throw argumentError(
      FN,
      "options.cacheDir",
      options.cacheDir,
      "a non-empty path",
    );
  }
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const quiet = options.quiet ?? false;
  const notify = (message: string) => {
    options.onNotice?.(message);
    if (!quiet) writeStderr(`${message}\n`);
  };

  const cacheDir = options.cacheDir ?? dataCacheDir();
  const target = join(cacheDir, entry.fileName);
  const readFlag = `--allow-read=${cacheDir}`;
  const writeFlag = `--allow-write=${cacheDir}`;

  const cachedHash = await withPermission(
    FN,
    `reading the cache folder ${cacheDir}`,
    readFlag,
    () => hashFileIfExists(target),
  );
  if (cachedHash === entry.sha256) return target;
  if (cachedHash !== undefined) {
    notify(
      `stria: the cached file ${target} has sha256 ${cachedHash}, expected ${entry.sha256}; downloading it again`,
    );
  }

  const source = sourceUrl(entry, options.mirror);
  await withPermission(
    FN,
    `creating the cache folder ${cacheDir}`,
    writeFlag,
    () => Deno.mkdir(cacheDir, { recursive: true }),
  );
  await removeStaleTempFiles(cacheDir, entry.fileName);

  for (let attemptIndex = 0;; attemptIndex++) {
    options.signal?.throwIfAborted();
    const tempPath = join(
      cacheDir,
      `.${entry.fileName}.${crypto.randomUUID()}.part`,
    );
    const file = await withPermission(
      FN,
      `writing in the cache folder ${cacheDir}`,
      writeFlag,
      () => Deno.open(tempPath, { write: true, createNew: true }),
    );
    let fileOpen = true;
    try {
      const attempt: Attempt = {
        source,
        file,
        hash: createHash("sha256"),
        progress: new ProgressReporter({
          label: entry.fileName,
          destination: target,
          quiet,
          onProgress: options.onProgress,
          terminal: Deno.stderr.isTerminal(),
        }),
        timeoutMs,
        signal: options.signal,
        fetch: fetchImpl,
      };
      const loaded = source.protocol === "file:"
        ? await copyFromFile(attempt)
        : await copyFromHttp(attempt, entry.size);
      file.close();
      fileOpen = false;
      const actual = attempt.hash.digest("hex");
      if (actual !== entry.sha256) {
        throw new DatasetError(
          "HASH_MISMATCH",
          `${FN}: ${source.href} (${loaded} bytes) has sha256 ${actual}, expected ${entry.sha256}; ` +
            "the file on the server differs from the registry's, nothing was kept in the cache",
        );
      }
      await withPermission(
        FN,
        `writing in the cache folder ${cacheDir}`,
        writeFlag,
        () => Deno.rename(tempPath, target),
      );
      return target;
    } catch (error) {
      if (fileOpen) file.close();
      await Deno.remove(tempPath).catch(() => {});
      if (!(error instanceof DatasetError)) throw error;
      if (!transientFailures.has(error)) {
        if (error.code !== "HTTP_STATUS") throw error;
        throw new DatasetError(
          error.code,
          `${error.message}. ${howToFix(entry, target)}`,
          { cause: error },
        );
      }
      const attemptsMade = attemptIndex + 1;
      if (attemptIndex >= retries) {
        const tries = attemptsMade === 1
          ? "1 attempt"
          : `${attemptsMade} attempts`;
        throw new DatasetError(
          error.code,
          `${error.message}; gave up after ${tries}. ${
            howToFix(entry, target)
          }`,
          {
            cause: error,
          },
        );
      }
      const delayMs = retryDelayMs * 2 ** attemptIndex;
      notify(
        `stria: ${error.message}; retrying in ${delayMs} ms (attempt ${
          attemptsMade + 1
        } of ${retries + 1})`,
      );
      await sleep(delayMs, options.signal);
    }
  }
}
