/**
 * Downloads a dataset file over HTTP(S), with a stall timer, classifying every
 * failure into a {@linkcode DatasetError} (transient or not).
 *
 * @module
 */

import { DatasetError } from "./dataset_error.ts";
import { FN } from "./_fetch_arguments.ts";
import type { DownloadSink } from "./_download_sink.ts";
import { isPermissionError, permissionError } from "./_permissions.ts";
import { transient } from "./_retry.ts";

/** How one HTTP attempt runs. */
export interface HttpCopyOptions {
  /** Give up when no bytes arrive for this long, in ms. */
  readonly timeoutMs: number;
  /** Cancels the download (rejects with the signal's reason). */
  readonly signal: AbortSignal | undefined;
  /** The fetch implementation. */
  readonly fetch: typeof fetch;
  /** The registry's size, used for progress when the response has no length. */
  readonly expectedSize: number | undefined;
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

function statusError(response: Response, url: string): DatasetError {
  const error = new DatasetError(
    "HTTP_STATUS",
    `${FN}: ${url} answered HTTP ${response.status} ${response.statusText}`
      .trimEnd(),
  );
  const status = response.status;
  return status >= 500 || status === 408 || status === 429
    ? transient(error)
    : error;
}

/** Downloads `source` into `sink`; a body shorter than its Content-Length is TRUNCATED. */
export async function copyFromHttp(
  source: URL,
  sink: DownloadSink,
  options: HttpCopyOptions,
): Promise<void> {
  const url = source.href;
  const stall = new AbortController();
  const signal = options.signal
    ? AbortSignal.any([options.signal, stall.signal])
    : stall.signal;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const armStallTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => stall.abort(), options.timeoutMs);
  };
  let total: number | undefined;
  let started = false;
  armStallTimer();
  try {
    const response = await options.fetch(url, { signal });
    if (!response.ok) {
      await response.body?.cancel();
      throw statusError(response, url);
    }
    total = contentLength(response, options.expectedSize);
    sink.start(url, total);
    started = true;
    if (response.body === null) {
      throw transient(
        new DatasetError("TRUNCATED", `${FN}: ${url} sent no body`),
      );
    }
    armStallTimer();
    for await (const chunk of response.body) {
      armStallTimer();
      await sink.add(chunk);
    }
    if (total !== undefined && sink.loaded !== total) {
      throw transient(
        new DatasetError(
          "TRUNCATED",
          `${FN}: ${url} ended after ${sink.loaded} of ${total} bytes`,
        ),
      );
    }
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof DatasetError || sink.isWriteError(error)) throw error;
    if (isPermissionError(error)) {
      throw permissionError(
        FN,
        `network access to ${url}`,
        `--allow-net=${source.host}`,
        error,
      );
    }
    if (stall.signal.aborted) {
      const where = started
        ? `after ${sink.loaded} bytes`
        : "before the response headers";
      throw transient(
        new DatasetError(
          "TIMEOUT",
          `${FN}: no data from ${url} for ${options.timeoutMs} ms (${where}); the server or network stalled`,
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
          `${FN}: the connection to ${url} broke after ${sink.loaded}${of} bytes (${reason})`,
          { cause: error },
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
    if (started) sink.finish();
  }
}
