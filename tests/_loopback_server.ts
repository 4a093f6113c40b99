/**
 * Loopback HTTP servers for tests: one on `Deno.serve` for ordinary answers, and a
 * raw TCP one for misbehaving servers (truncated bodies, stalls, dropped
 * connections). Both listen on 127.0.0.1 on a free port and count requests.
 *
 * Permissions: `--allow-net=127.0.0.1`.
 *
 * @module
 */

/** A running loopback server. `await using` closes it. */
export interface LoopbackServer extends AsyncDisposable {
  /** Base URL, ending in `/`, e.g. `http://127.0.0.1:41234/`. */
  readonly url: URL;
  /** Requests (or connections, for the raw server) received so far. */
  readonly requests: number;
  /** Stops listening and closes open connections. */
  close(): Promise<void>;
}

/**
 * Serves `handler`'s responses; `index` counts requests from 0, so a handler can
 * fail the first time and succeed the next.
 */
export function startLoopbackServer(
  handler: (request: Request, index: number) => Response | Promise<Response>,
): LoopbackServer {
  let requests = 0;
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    (request) => handler(request, requests++),
  );
  const close = () => server.shutdown();
  return {
    url: new URL(`http://127.0.0.1:${server.addr.port}/`),
    get requests() {
      return requests;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** The raw server's view of one connection: what to send, and how to end. */
export interface RawConnection {
  /** 0 for the first connection, then 1, 2... */
  readonly index: number;
  /** Writes text or bytes to the client. */
  write(data: string | Uint8Array): Promise<void>;
  /** Reads the request head (up to the blank line) and returns it. */
  readRequestHead(): Promise<string>;
  /** Resolves when the server is closing (for handlers that stall until then). */
  readonly closing: Promise<void>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A raw TCP server speaking just enough HTTP to misbehave on purpose: `handler`
 * writes whatever it wants, and the connection is closed when it returns.
 */
export function startRawLoopbackServer(
  handler: (connection: RawConnection) => Promise<void>,
): LoopbackServer {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const open = new Set<Deno.Conn>();
  const handlers: Promise<void>[] = [];
  let connections = 0;
  let signalClosing = () => {};
  const closing = new Promise<void>((resolve) => signalClosing = resolve);

  const serve = async (conn: Deno.Conn, index: number) => {
    open.add(conn);
    const connection: RawConnection = {
      index,
      closing,
      async write(data) {
        const bytes = typeof data === "string" ? encoder.encode(data) : data;
        let written = 0;
        while (written < bytes.length) {
          written += await conn.write(bytes.subarray(written));
        }
      },
      async readRequestHead() {
        let head = "";
        const buffer = new Uint8Array(4096);
        while (!head.includes("\r\n\r\n")) {
          const count = await conn.read(buffer);
          if (count === null) break;
          head += decoder.decode(buffer.subarray(0, count));
        }
        return head;
      },
    };
    try {
      await handler(connection);
    } catch {
      // The client may hang up first (e.g. after its own timeout); that is expected.
    } finally {
      if (open.delete(conn)) conn.close();
    }
  };

  const accepting = (async () => {
    for await (const conn of listener) {
      handlers.push(serve(conn, connections++));
    }
  })().catch(() => {});

  const close = async () => {
    signalClosing();
    listener.close();
    await accepting;
    await Promise.all(handlers);
  };
  return {
    url: new URL(`http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}/`),
    get requests() {
      return connections;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/**
 * A raw server answering every request with `200 OK`, the header lines
 * `headers` (each ending in CRLF), then whatever `body` writes, until the
 * server closes (`closing`).
 */
export function startRawOkServer(
  headers: string,
  body: (
    write: (data: string | Uint8Array) => Promise<void>,
    closing: Promise<void>,
  ) => Promise<void>,
): LoopbackServer {
  return startRawLoopbackServer(async (connection) => {
    await connection.readRequestHead();
    await connection.write(`HTTP/1.1 200 OK\r\n${headers}\r\n`);
    await body((data) => connection.write(data), connection.closing);
  });
}
