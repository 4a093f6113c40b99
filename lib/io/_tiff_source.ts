/**
 * Loads the bytes of a TIFF from a path, a URL or memory, naming the source for
 * error messages; http(s) reads are bounded in time (a stall timeout), by the
 * caller's abort signal, and in size (`maxBytes`).
 *
 * @module
 */

import { argumentError } from "../_errors.ts";
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
 * `user:password@` part.
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
    const label = name ?? withoutCredentials(source);
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

/** `url` as messages show it: without any `user:password@` part. */
function withoutCredentials(url: URL): string {
  if (url.username === "" && url.password === "") return url.href;
  const shown = new URL(url.href);
  shown.username = "";
  shown.password = "";
  return shown.href;
}

/** The body's announced length, unless absent or of a compressed encoding (which fetch decodes). */
function announcedLength(response: Response): number | undefined {
  const encoding = response.headers.get("content-encoding");
  if (encoding !== null && encoding !== "identity") return undefined;
  const header = response.headers.get("content-length");
  const length = header === null ? NaN : Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/**
 * Fetches `url`'s body within `remote`'s bounds: a stall timer re-armed on
 * every chunk, the caller's signal, and `maxBytes` checked against the
 * announced length before reading and against the bytes read as they arrive.
 */
async function fetchBytes(
  fn: string,
  url: URL,
  label: string,
  remote: RemoteReadOptions,
): Promise<Uint8Array> {
  const { timeoutMs, signal: callerSignal, maxBytes } = remote;
  const fail = (what: string, cause?: unknown) =>
    new Error(`${fn}: ${label}: ${what}`, { cause });
  // The server's answer refused here, as opposed to a failure of the transfer.
  let refusal: Error | undefined;
  const refuse = (what: string) => (refusal = fail(what));
  const stall = new AbortController();
  const signal = callerSignal
    ? AbortSignal.any([callerSignal, stall.signal])
    : stall.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const armStallTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), timeoutMs);
  };
  let headersReceived = false;
  let announced: number | undefined;
  let received = 0;
  const progress = () =>
    !headersReceived
      ? "before the response headers"
      : announced === undefined
      ? `after ${received} bytes`
      : `after ${received} of ${announced} bytes`;
  armStallTimer();
  try {
    const response = await fetch(url, { signal });
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
    armStallTimer();
    for await (const chunk of response.body ?? []) {
      armStallTimer();
      if (received + chunk.length > maxBytes) {
        throw refuse(
          `too large: more than ${maxBytes} bytes read (option maxBytes)`,
        );
      }
      if (received + chunk.length > bytes.length) {
        const grown = new Uint8Array(
          Math.min(
            maxBytes,
            Math.max(2 * bytes.length, received + chunk.length),
          ),
        );
        grown.set(bytes.subarray(0, received));
        bytes = grown;
      }
      bytes.set(chunk, received);
      received += chunk.length;
    }
    return bytes.subarray(0, received);
  } catch (error) {
    if (error === refusal) throw error;
    if (callerSignal?.aborted) {
      const reason = callerSignal.reason;
      throw fail(
        `aborted ${progress()} (${
          reason instanceof Error ? reason.message : String(reason)
        })`,
        reason,
      );
    }
    if (stall.signal.aborted) {
      throw fail(
        `timed out: no data for ${timeoutMs} ms ${progress()} (option timeout)`,
        error,
      );
    }
    throw fail(
      `download failed ${progress()} (${(error as Error).message})`,
      error,
    );
  } finally {
    clearTimeout(timer);
  }
}
