/**
 * Downloads a dataset file over HTTP(S) within bounds (`lib/_http_body.ts`: a
 * stall timer and a deadline), classifying every failure into a
 * {@linkcode DatasetError} (transient or not).
 *
 * @module
 */

import { announcedLength, HttpTransfer, redactUrl } from "../_http_body.ts";
import { DatasetError } from "./dataset_error.ts";
import { FN } from "./_fetch_arguments.ts";
import type { DownloadSink } from "./_download_sink.ts";
import { isPermissionError, permissionError } from "./_permissions.ts";
import { transient } from "./_retry.ts";

/** How one HTTP attempt runs. */
export interface HttpCopyOptions {
  /** Give up when no bytes arrive for this long, in ms. */
  readonly timeoutMs: number;
  /** Give up when the attempt takes longer than this, in ms; not retried. */
  readonly deadlineMs: number;
  /** Cancels the download (rejects with the signal's reason). */
  readonly signal: AbortSignal | undefined;
  /** The fetch implementation. */
  readonly fetch: typeof fetch;
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

/**
 * The host:port Deno refused: the one in its message ('Requires net access to
 * "host:port"'), which after a redirect is not `source`'s.
 */
function deniedHost(error: unknown, source: URL): string {
  const message = error instanceof Error ? error.message : "";
  return /net access to "([^"]+)"/.exec(message)?.[1] ?? source.host;
}

/** Downloads `source` into `sink`; a body shorter than expected is TRUNCATED. */
export async function copyFromHttp(
  source: URL,
  sink: DownloadSink,
  options: HttpCopyOptions,
): Promise<void> {
  const url = redactUrl(source);
  const { timeoutMs, deadlineMs, signal } = options;
  // The sink bounds the bytes (for `file:` copies too), so the transfer need not.
  using transfer = new HttpTransfer({ timeoutMs, deadlineMs, signal });
  let started = false;
  try {
    const response = await transfer.fetch(source, options.fetch);
    if (!response.ok) {
      await response.body?.cancel();
      throw statusError(response, url);
    }
    try {
      sink.start(url, announcedLength(response));
    } catch (error) {
      await response.body?.cancel();
      throw error;
    }
    started = true;
    if (response.body === null) {
      throw transient(
        new DatasetError("TRUNCATED", `${FN}: ${url} sent no body`),
      );
    }
    for await (const chunk of transfer.body(response)) await sink.add(chunk);
    const total = sink.total;
    if (total !== undefined && sink.loaded !== total) {
      throw transient(
        new DatasetError(
          "TRUNCATED",
          `${FN}: ${url} ended after ${sink.loaded} of ${total} bytes`,
        ),
      );
    }
  } catch (error) {
    const stopped = transfer.stopped;
    if (stopped === "abort") throw signal?.reason;
    if (error instanceof DatasetError || sink.raisedHere(error)) throw error;
    if (isPermissionError(error)) {
      const host = deniedHost(error, source);
      throw permissionError(
        FN,
        `network access to ${host} (fetching ${url})`,
        `--allow-net=${host}`,
        error,
      );
    }
    const where = started
      ? `after ${sink.loaded} bytes`
      : "before the response headers";
    if (stopped === "deadline") {
      throw new DatasetError(
        "TIMEOUT",
        `${FN}: ${url} did not finish within ${deadlineMs} ms (option deadlineMs; ${where}); the server or network is too slow`,
        { cause: error },
      );
    }
    if (stopped === "stall") {
      throw transient(
        new DatasetError(
          "TIMEOUT",
          `${FN}: no data from ${url} for ${timeoutMs} ms (${where}); the server or network stalled`,
          { cause: error },
        ),
      );
    }
    const reason = error instanceof Error ? error.message : String(error);
    if (started) {
      const of = sink.total === undefined ? "" : ` of ${sink.total}`;
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
    if (started) sink.finish();
  }
}
