/**
 * Remote TIFF reads are bounded: a silent or stalled server times out, a
 * trickle that keeps coming does not, the caller's signal aborts, bodies past
 * `maxBytes` (announced or read) are refused before more is read, and every
 * error names the URL without its credentials and what happened. Each case runs
 * against a loopback server within a second or two.
 *
 * Permissions: `--allow-net=127.0.0.1 --allow-read`.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  checkRemoteReadOptions,
  loadTiffBytes,
  type RemoteReadOptions,
} from "../lib/io/_tiff_source.ts";
import { readTiff } from "../lib/io/mod.ts";
import {
  startLoopbackServer,
  startRawLoopbackServer,
  startRawOkServer,
} from "./_loopback_server.ts";

const FIXTURE = await Deno.readFile(
  new URL("./fixtures/tiff/gray_yx_u8.tif", import.meta.url),
);

/** Remote options as readTiff would check them, with a short stall timeout. */
function remote(
  options: { timeout?: number; signal?: AbortSignal; maxBytes?: number } = {},
): RemoteReadOptions {
  return checkRemoteReadOptions("readTiff", { timeout: 300, ...options });
}

/** `url` with a user and password, which no message may show. */
function withCredentials(url: URL, path = "image.tif"): URL {
  const secret = new URL(path, url);
  secret.username = "reader";
  secret.password = "s3cret";
  return secret;
}

/** Runs `action`, expecting it to reject within `withinMs`; returns the error. */
async function rejection(
  action: () => Promise<unknown>,
  withinMs = 2_000,
): Promise<Error> {
  const start = performance.now();
  const error = await action().then(
    () => assert.fail("expected a rejection"),
    (error: unknown) => error,
  );
  const elapsed = performance.now() - start;
  assert.ok(elapsed < withinMs, `took ${elapsed.toFixed(0)} ms`);
  assert.ok(error instanceof Error, String(error));
  assert.doesNotMatch(error.message, /s3cret|reader@/);
  return error;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

Deno.test("a remote TIFF is read whole, with or without a Content-Length, and named without credentials", async () => {
  await using server = startLoopbackServer((request) =>
    new URL(request.url).pathname === "/chunked.tif"
      ? new Response(
        ReadableStream.from([FIXTURE.subarray(0, 700), FIXTURE.subarray(700)]),
      )
      : new Response(FIXTURE)
  );
  for (const path of ["image.tif", "chunked.tif"]) {
    const url = withCredentials(server.url, path);
    const loaded = await loadTiffBytes("readTiff", url, undefined, remote());
    assert.deepEqual(loaded.bytes, FIXTURE, path);
    assert.equal(loaded.name, new URL(path, server.url).href);
  }
  const image = await readTiff(new URL("image.tif", server.url));
  assert.equal(image.axes, "YX");
});

Deno.test("a server that never answers times out, naming the URL and the wait", async () => {
  await using server = startRawLoopbackServer(async (connection) => {
    await connection.readRequestHead();
    await connection.closing;
  });
  const url = withCredentials(server.url);
  const error = await rejection(() =>
    loadTiffBytes("readTiff", url, undefined, remote())
  );
  assert.equal(
    error.message,
    `readTiff: ${
      new URL("image.tif", server.url).href
    }: timed out: no data for 300 ms before the response headers (option timeout)`,
  );
});

Deno.test("a trickle keeps the read alive; a trickle that stops times out after the bytes it sent", async () => {
  // 12 chunks 60 ms apart: 720 ms in all, far past the 300 ms stall timeout.
  const chunks = 12;
  const size = Math.ceil(FIXTURE.length / chunks);
  await using trickle = startRawOkServer(
    `Content-Length: ${FIXTURE.length}\r\n`,
    async (write) => {
      for (let at = 0; at < FIXTURE.length; at += size) {
        await write(FIXTURE.subarray(at, at + size));
        await sleep(60);
      }
    },
  );
  const loaded = await loadTiffBytes(
    "readTiff",
    trickle.url,
    undefined,
    remote(),
  );
  assert.deepEqual(loaded.bytes, FIXTURE);

  await using stopped = startRawOkServer(
    `Content-Length: ${FIXTURE.length}\r\n`,
    async (write, closing) => {
      await write(FIXTURE.subarray(0, 100));
      await sleep(60);
      await write(FIXTURE.subarray(100, 200));
      await closing;
    },
  );
  const error = await rejection(() =>
    loadTiffBytes("readTiff", stopped.url, undefined, remote())
  );
  assert.match(
    error.message,
    new RegExp(
      `timed out: no data for 300 ms after 200 of ${FIXTURE.length} bytes \\(option timeout\\)$`,
    ),
  );
});

Deno.test("the caller's signal aborts a read in progress, or before it starts", async () => {
  await using server = startRawOkServer(
    `Content-Length: ${FIXTURE.length}\r\n`,
    async (write, closing) => {
      await write(FIXTURE.subarray(0, 10));
      await closing;
    },
  );
  const controller = new AbortController();
  const reason = new Error("the user closed the window");
  setTimeout(() => controller.abort(reason), 100);
  const error = await rejection(() =>
    loadTiffBytes(
      "readTiff",
      server.url,
      undefined,
      remote({ timeout: 60_000, signal: controller.signal }),
    )
  );
  assert.equal(
    error.message,
    `readTiff: ${server.url.href}: aborted after 10 of ${FIXTURE.length} bytes (the user closed the window)`,
  );
  assert.equal(error.cause, reason);

  const before = await rejection(() =>
    loadTiffBytes(
      "readTiff",
      server.url,
      undefined,
      remote({ signal: AbortSignal.abort(reason) }),
    )
  );
  assert.match(
    before.message,
    /aborted before the response headers \(the user closed the window\)$/,
  );
  assert.equal(server.requests, 1);
});

Deno.test("an announced length past maxBytes is refused before any of the body is read", async () => {
  const announced = 2 ** 32 + 1;
  await using server = startRawOkServer(
    `Content-Length: ${announced}\r\n`,
    async (write, closing) => {
      await write(FIXTURE);
      await closing;
    },
  );
  const url = withCredentials(server.url);
  const error = await rejection(() =>
    loadTiffBytes("readTiff", url, undefined, remote())
  );
  assert.equal(
    error.message,
    `readTiff: ${
      new URL("image.tif", server.url).href
    }: too large: ${announced} bytes announced; expected at most ${
      2 ** 32
    } (option maxBytes)`,
  );
  const small = await rejection(() =>
    loadTiffBytes("readTiff", server.url, undefined, remote({ maxBytes: 1000 }))
  );
  assert.match(
    small.message,
    /too large: 4294967297 bytes announced; expected at most 1000/,
  );
});

Deno.test("a body that grows past maxBytes is refused as it arrives; bytes past the announced length are never read", async () => {
  // No Content-Length: the body ends when the server closes, which this one never does.
  let sent = 0;
  await using endless = startRawOkServer(
    "Connection: close\r\n",
    async (write, closing) => {
      let open = true;
      closing.then(() => open = false);
      while (open) {
        await write(new Uint8Array(256));
        sent += 256;
        await sleep(1);
      }
    },
  );
  const error = await rejection(() =>
    loadTiffBytes(
      "readTiff",
      endless.url,
      undefined,
      remote({ maxBytes: 1000 }),
    )
  );
  assert.equal(
    error.message,
    `readTiff: ${endless.url.href}: too large: more than 1000 bytes read (option maxBytes)`,
  );
  assert.ok(sent < 1_000_000, `the server could send ${sent} bytes`);

  await using longer = startRawOkServer(
    "Content-Length: 100\r\nConnection: close\r\n",
    async (write) => {
      await write(FIXTURE);
    },
  );
  const loaded = await loadTiffBytes(
    "readTiff",
    longer.url,
    undefined,
    remote(),
  );
  assert.deepEqual(loaded.bytes, FIXTURE.subarray(0, 100));
});

Deno.test("a body shorter than announced and an HTTP error status are named", async () => {
  await using short = startRawOkServer(
    `Content-Length: ${FIXTURE.length}\r\nConnection: close\r\n`,
    async (write) => {
      await write(FIXTURE.subarray(0, 50));
    },
  );
  const error = await rejection(() =>
    loadTiffBytes("readTiff", short.url, undefined, remote())
  );
  assert.match(
    error.message,
    new RegExp(
      `^readTiff: ${short.url.href}: download failed after 50 of ${FIXTURE.length} bytes \\(.+\\)$`,
    ),
  );

  await using missing = startLoopbackServer(() =>
    new Response("no such image", { status: 404 })
  );
  const url = withCredentials(missing.url);
  const notFound = await rejection(() =>
    loadTiffBytes("readTiff", url, undefined, remote())
  );
  assert.equal(
    notFound.message,
    `readTiff: ${
      new URL("image.tif", missing.url).href
    }: download failed: expected HTTP 200, got 404 Not Found`,
  );
});

Deno.test("bad remote options are refused, naming the option and the value", () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { timeout: 0 },
      /^readTiff: options\.timeout must be a positive number of milliseconds, at most 2147483647, got 0$/,
    ],
    [{ timeout: 2 ** 31 }, /options\.timeout .* got 2147483648$/],
    [{ timeout: "5s" }, /options\.timeout .* got "5s"$/],
    [
      { signal: "stop" },
      /^readTiff: options\.signal must be an AbortSignal, got "stop"$/,
    ],
    [
      { maxBytes: 1.5 },
      /^readTiff: options\.maxBytes must be a positive integer number of bytes, got 1\.5$/,
    ],
    [{ maxBytes: 0 }, /options\.maxBytes .* got 0$/],
  ];
  for (const [options, message] of cases) {
    assert.throws(() => checkRemoteReadOptions("readTiff", options), {
      name: "TypeError",
      message,
    });
  }
  assert.deepEqual(checkRemoteReadOptions("readTiff", {}), {
    timeoutMs: 60_000,
    signal: undefined,
    maxBytes: 2 ** 32,
  });
});
