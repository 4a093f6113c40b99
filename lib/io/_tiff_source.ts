/**
 * Loads the bytes of a TIFF from a path, a URL or memory, naming the source for
 * error messages; http(s) reads are bounded in time (a stall timeout), by the
 * caller's abort signal, and in size (`maxBytes`).
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
import {
  announcedLength,
  BodyTooLargeError,
  HttpTransfer,
  redactUrl,
} from "../_http_body.ts";
import { readError } from "./_io_checks.ts";

/** Where `readTiff` reads from: a file path, a `file:` or `http(s):` URL, or the file's bytes. */
export type TiffSource = string | URL | Uint8Array | ArrayBuffer;

/** The bytes of a source and how to name it. */
export interface LoadedTiff {
  bytes: Uint8Array;
  name: string;
}

/** How a remote (http/https) source is read: {@linkcode checkRemoteReadOptions}' result. */
export interface RemoteReadOptions {
  /** Give up when no byte arrives for this long, in ms. */
  readonly timeoutMs: number;
  /** Cancels the read. */
  readonly signal: AbortSignal | undefined;
  /** Refuse a body announced or growing past this many bytes. */
  readonly maxBytes: number;
}

/** A minute without a byte: longer than any healthy server pauses, short enough to notice. */
const DEFAULT_TIMEOUT_MS = 60_000;
/** Classic TIFF's own limit; BigTIFF files larger than this need `maxBytes`. */
const DEFAULT_MAX_BYTES = 2 ** 32;

/**
 * Checks the remote-read options of a public function (`timeout` in ms,
 * default 60 000; `signal`; `maxBytes`, default 4 GiB), naming them as
 * `options.timeout`, `options.signal` and `options.maxBytes`.
 *
 * @example
 * ```ts
 * import { checkRemoteReadOptions } from "./_tiff_source.ts";
 * const remote = checkRemoteReadOptions("readTiff", { timeout: 5000 });
 * console.log(remote.timeoutMs, remote.maxBytes); // 5000 4294967296
 * ```
 */
export function checkRemoteReadOptions(
  fn: string,
  options: { timeout?: unknown; signal?: unknown; maxBytes?: unknown },
): RemoteReadOptions {
  const { timeout = DEFAULT_TIMEOUT_MS, signal, maxBytes = DEFAULT_MAX_BYTES } =
    options;
  if (!(typeof timeout === "number" && timeout > 0 && timeout <= 2 ** 31 - 1)) {
    // setTimeout fires at once for delays past 2^31 - 1 ms (about 24.8 days).
    throw argumentError(
      fn,
      "options.timeout",
      timeout,
      `a positive number of milliseconds, at most ${2 ** 31 - 1}`,
    );
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw argumentError(fn, "options.signal", signal, "an AbortSignal");
  }
  if (!(Number.isSafeInteger(maxBytes) && (maxBytes as number) > 0)) {
    throw argumentError(
      fn,
      "options.maxBytes",
      maxBytes,
      "a positive integer number of bytes",
    );
  }
  return { timeoutMs: timeout, signal, maxBytes: maxBytes as number };
}

/**
 * Reads `source` fully into memory; `fn` names the calling function in errors.
 * An http(s) source is read within `remote`'s bounds (default
 * {@linkcode checkRemoteReadOptions}`(fn, {})`); a URL is named without its
 * secrets (`redactUrl` of `lib/_http_body.ts`).
 */
export async function loadTiffBytes(
  fn: string,
  source: TiffSource,
  name: string | undefined,
  remote: RemoteReadOptions = checkRemoteReadOptions(fn, {}),
): Promise<LoadedTiff> {
  if (typeof source === "string") {
    if (source.length === 0) {
      throw argumentError(fn, "source", source, "a non-empty file path");
    }
    return {
      bytes: await readLocalFile(fn, source, source),
      name: name ?? source,
    };
  }
  if (source instanceof URL) {
    const label = name ?? redactUrl(source);
    if (source.protocol === "file:") {
      return {
        bytes: await readLocalFile(fn, source, label),
        name: label,
      };
    }
    if (source.protocol === "http:" || source.protocol === "https:") {
      return {
        bytes: await fetchBytes(fn, source, label, remote),
        name: label,
      };
    }
    throw argumentError(
      fn,
      "source",
      source.href,
      "a file:, http: or https: URL",
    );
  }
  if (source instanceof Uint8Array) {
    return { bytes: source, name: name ?? "the given bytes" };
  }
  if (source instanceof ArrayBuffer) {
    return { bytes: new Uint8Array(source), name: name ?? "the given bytes" };
  }
  throw argumentError(
    fn,
    "source",
    source,
    "a file path, a file: or http(s): URL, a Uint8Array or an ArrayBuffer",
  );
}

async function readLocalFile(
  fn: string,
  path: string | URL,
  label: string,
): Promise<Uint8Array> {
  try {
    return await Deno.readFile(path);
  } catch (error) {
    throw readError(fn, label, error);
  }
}

/**
 * Fetches `url`'s body within `remote`'s bounds (through
 * `lib/_http_body.ts`): a stall timer re-armed on every chunk, the caller's
 * signal, and `maxBytes` checked against the announced length before reading
 * and against the bytes read as they arrive.
 */
async function fetchBytes(
  fn: string,
  url: URL,
  label: string,
  remote: RemoteReadOptions,
): Promise<Uint8Array> {
  const { timeoutMs, signal, maxBytes } = remote;
  const fail = (what: string, cause?: unknown) =>
    new Error(`${fn}: ${label}: ${what}`, { cause });
  // The server's answer refused here, as opposed to a failure of the transfer.
  let refusal: Error | undefined;
  const refuse = (what: string) => (refusal = fail(what));
  using transfer = new HttpTransfer({ timeoutMs, signal, maxBytes });
  let headersReceived = false;
  let announced: number | undefined;
  const progress = () =>
    !headersReceived
      ? "before the response headers"
      : announced === undefined
      ? `after ${transfer.received} bytes`
      : `after ${transfer.received} of ${announced} bytes`;
  try {
    const response = await transfer.fetch(url, fetch);
    headersReceived = true;
    if (!response.ok) {
      await response.body?.cancel();
      throw refuse(
        `download failed: expected HTTP 200, got ${response.status} ${response.statusText}`
          .trimEnd(),
      );
    }
    // Deno's fetch never yields more than the announced bytes, and fails a
    // shorter body, so only `maxBytes` needs checking as the chunks arrive.
    announced = announcedLength(response);
    if (announced !== undefined && announced > maxBytes) {
      await response.body?.cancel();
      throw refuse(
        `too large: ${announced} bytes announced; expected at most ${maxBytes} (option maxBytes)`,
      );
    }
    // Sized once when the length is announced; otherwise grown by doubling.
    let bytes = new Uint8Array(announced ?? Math.min(maxBytes, 1 << 16));
    for await (const chunk of transfer.body(response)) {
      const end = transfer.received;
      if (end > bytes.length) {
        const grown = new Uint8Array(
          Math.min(maxBytes, Math.max(2 * bytes.length, end)),
        );
        grown.set(bytes.subarray(0, end - chunk.length));
        bytes = grown;
      }
      bytes.set(chunk, end - chunk.length);
    }
    return bytes.subarray(0, transfer.received);
  } catch (error) {
    if (error === refusal) throw error;
    if (error instanceof BodyTooLargeError) {
      throw fail(
        `too large: more than ${maxBytes} bytes read (option maxBytes)`,
      );
    }
    const stopped = transfer.stopped;
    if (stopped === "abort") {
      const reason = signal?.reason;
      throw fail(
        `aborted ${progress()} (${
          reason instanceof Error ? reason.message : String(reason)
        })`,
        reason,
      );
    }
    if (stopped === "stall") {
      throw fail(
        `timed out: no data for ${timeoutMs} ms ${progress()} (option timeout)`,
        error,
      );
    }
    throw fail(
      `download failed ${progress()} (${(error as Error).message})`,
      error,
    );
  }
}
