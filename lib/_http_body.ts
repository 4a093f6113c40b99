/**
 * Private: the one way stria reads an HTTP(S) body within bounds, shared by
 * remote TIFF reads (`lib/io`) and dataset downloads (`lib/data`): a stall
 * timer re-armed on every chunk, an optional overall deadline, the caller's
 * abort signal, a cap on the bytes received (counted after any gzip or
 * deflate decoding, so a compressed body is never inflated past it), the
 * announced length, and URLs named without their secrets.
 *
 * @module
 */

/** Query parameters whose values are secrets: bearer tokens, API keys, presigned-URL signatures. */
const SECRET_PARAMETER =
  /token|key|secret|passw|signature|^sig$|credential|auth|session/i;

/**
 * `url` as every message and progress line shows it: without its
 * `user:password@` part, and with the values of query parameters that carry credentials
 * (`token`, `access_token`, `api_key`, S3's `X-Amz-Signature` and
 * `X-Amz-Credential`, Azure's `sig`...) replaced by `***`: a mirror URL may
 * embed either, and both grant access as a password does.
 *
 * @example
 * ```ts
 * import { redactUrl } from "./_http_body.ts";
 *
 * const shown = redactUrl(new URL("https://me:pw@data.example.org/a.tif?token=abc&page=2"));
 * console.log(shown); // https://data.example.org/a.tif?token=***&page=2
 * ```
 */
export function redactUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = "";
  shown.password = "";
  // Rebuilt by hand: URLSearchParams would re-encode the parameters that stay.
  if (shown.search !== "") {
    shown.search = shown.search.slice(1).split("&").map((pair) => {
      const [name] = pair.split("=", 1);
      return SECRET_PARAMETER.test(decodeURIComponent(name)) &&
          pair.includes("=")
        ? `${name}=***`
        : pair;
    }).join("&");
  }
  return shown.href;
}

/**
 * The body's announced length: its Content-Length, unless absent, malformed
 * or of a compressed encoding (fetch decodes those, so the decoded length is
 * not announced).
 */
export function announcedLength(response: Response): number | undefined {
  const encoding = response.headers.get("content-encoding");
  if (encoding !== null && encoding !== "identity") return undefined;
  const header = response.headers.get("content-length");
  const length = header === null ? NaN : Number(header);
  return Number.isSafeInteger(length) && length >= 0 ? length : undefined;
}

/** The bounds of one transfer. */
export interface HttpBodyLimits {
  /** Give up when no byte arrives for this long, in ms. */
  readonly timeoutMs: number;
  /** Give up when the whole transfer takes longer than this, in ms (a trickling server). */
  readonly deadlineMs?: number;
  /** The caller's cancellation. */
  readonly signal: AbortSignal | undefined;
  /** Stop once more than this many (decoded) bytes arrive; default no cap (the caller counts). */
  readonly maxBytes?: number;
}

/** Thrown by {@linkcode HttpTransfer.body} when a body grows past `maxBytes`. */
export class BodyTooLargeError extends Error {
  /** The bytes received before the chunk that crossed the limit. */
  readonly received: number;

  /** `received` bytes arrived before the body crossed `maxBytes`. */
  constructor(received: number, maxBytes: number) {
    super(`more than ${maxBytes} bytes`);
    this.name = "BodyTooLargeError";
    this.received = received;
  }
}

/**
 * One bounded HTTP transfer. Fetch with {@linkcode HttpTransfer.fetch}, read
 * with {@linkcode HttpTransfer.body}; when either fails, `stopped` says
 * whether a bound did it. Dispose of it (`using`) to clear the timers.
 *
 * @example
 * ```ts
 * import { HttpTransfer } from "./_http_body.ts";
 *
 * const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, () => new Response("hello"));
 * using transfer = new HttpTransfer({ timeoutMs: 1000, signal: undefined, maxBytes: 100 });
 * const response = await transfer.fetch(new URL(`http://127.0.0.1:${server.addr.port}/`), fetch);
 * let text = "";
 * for await (const chunk of transfer.body(response)) text += new TextDecoder().decode(chunk);
 * console.log(text, transfer.received, transfer.stopped); // hello 5 undefined
 * await server.shutdown();
 * ```
 */
export class HttpTransfer implements Disposable {
  readonly #limits: HttpBodyLimits;
  readonly #bound = new AbortController();
  readonly #signal: AbortSignal;
  #stallTimer: ReturnType<typeof setTimeout> | undefined;
  #deadlineTimer: ReturnType<typeof setTimeout> | undefined;
  #stopped: "stall" | "deadline" | undefined;
  #received = 0;

  /** Starts the clocks: the stall timer and the deadline run from now. */
  constructor(limits: HttpBodyLimits) {
    this.#limits = limits;
    this.#signal = limits.signal
      ? AbortSignal.any([limits.signal, this.#bound.signal])
      : this.#bound.signal;
    if (limits.deadlineMs !== undefined) {
      this.#deadlineTimer = setTimeout(
        () => this.#stop("deadline"),
        limits.deadlineMs,
      );
    }
    this.#armStallTimer();
  }

  /**
   * Which bound ended the transfer: `"abort"` (the caller's signal),
   * `"stall"` (no byte for `timeoutMs`), `"deadline"`, or undefined (none:
   * the failure, if any, is the network's or the server's).
   */
  get stopped(): "abort" | "stall" | "deadline" | undefined {
    return this.#limits.signal?.aborted ? "abort" : this.#stopped;
  }

  /** Bytes of the body received so far. */
  get received(): number {
    return this.#received;
  }

  /** Requests `url` with `fetchImpl`, within the bounds. */
  async fetch(url: URL, fetchImpl: typeof fetch): Promise<Response> {
    const response = await fetchImpl(url, { signal: this.#signal });
    this.#armStallTimer();
    return response;
  }

  /**
   * The body's chunks, each re-arming the stall timer; throws
   * {@linkcode BodyTooLargeError} (having cancelled the body) before yielding
   * a chunk that would take it past `maxBytes`.
   */
  async *body(response: Response): AsyncGenerator<Uint8Array> {
    if (response.body === null) return;
    const { maxBytes = Infinity } = this.#limits;
    for await (const chunk of response.body) {
      this.#armStallTimer();
      if (this.#received + chunk.length > maxBytes) {
        // Leaving the loop cancels the body: nothing more is read or decoded.
        throw new BodyTooLargeError(this.#received, maxBytes);
      }
      this.#received += chunk.length;
      yield chunk;
    }
  }

  /** Clears the timers. */
  [Symbol.dispose](): void {
    clearTimeout(this.#stallTimer);
    clearTimeout(this.#deadlineTimer);
  }

  #armStallTimer(): void {
    clearTimeout(this.#stallTimer);
    this.#stallTimer = setTimeout(
      () => this.#stop("stall"),
      this.#limits.timeoutMs,
    );
  }

  #stop(reason: "stall" | "deadline"): void {
    this.#stopped ??= reason;
    this[Symbol.dispose]();
    this.#bound.abort();
  }
}
