/**
 * fetchDataset under attack and carelessness (issue 13): every download is
 * bounded (a lying Content-Length, a gzip bomb, an endless body, a trickle),
 * no credential is printed, each fault is named for what it is (a full disk,
 * the caller's callback, a redirect to a denied host, a directory or FIFO at
 * the cache path) and entries and options are checked field by field. Each
 * case runs against a loopback server in well under two seconds.
 *
 * Permissions: `--allow-net=127.0.0.1 --allow-read --allow-write --allow-run`.
 *
 * @module
 */

import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { redactUrl } from "../lib/_http_body.ts";
import { DatasetError } from "../lib/data/dataset_error.ts";
import {
  type DatasetProgress,
  fetchDataset,
  type FetchDatasetOptions,
} from "../lib/data/fetch_dataset.ts";
import { startLoopbackServer, startRawOkServer } from "./_loopback_server.ts";
import { temporaryFilesIn, withFailingWrites } from "./_write_faults.ts";
import { sha256 } from "./_sha256.ts";
import { testOptions } from "./_fetch_options.ts";

const FILE_NAME = "sample.bin";
const data = new Uint8Array(300_000).map((_, i) => (i * 7919) >>> 5);

interface Entry {
  name: string;
  fileName: string;
  url: string;
  sha256: string;
  size?: number;
}

function entryFor(url: URL | string, bytes: Uint8Array, sized = true): Entry {
  return {
    name: "sample",
    fileName: FILE_NAME,
    url: new URL(FILE_NAME, url).href,
    sha256: sha256(bytes),
    ...(sized ? { size: bytes.length } : {}),
  };
}

async function listing(dir: string): Promise<string[]> {
  return (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name).sort();
}

/** Awaits `promise`, expecting a DatasetError `code` within `withinMs`. */
async function failsWith(
  promise: Promise<unknown>,
  code: string,
  withinMs = 1_500,
): Promise<DatasetError> {
  const start = performance.now();
  const error = await promise.then(
    () => assert.fail(`expected a DatasetError ${code}`),
    (error: unknown) => error,
  );
  const elapsed = performance.now() - start;
  assert.ok(error instanceof DatasetError, `expected a DatasetError: ${error}`);
  assert.equal(error.code, code, error.message);
  assert.ok(elapsed < withinMs, `took ${elapsed.toFixed(0)} ms`);
  return error;
}

// ---- bounds ----

Deno.test("a Content-Length other than the entry's size is refused before the body is read", async () => {
  let sent = 0;
  await using server = startRawOkServer(
    `Content-Length: ${48 * 2 ** 20}\r\n`,
    async (write, closing) => {
      await write(data.subarray(0, 1000));
      sent += 1000;
      await closing;
    },
  );
  await using options = await testOptions({ timeoutMs: 5_000 });
  const error = await failsWith(
    fetchDataset(entryFor(server.url, data), options),
    "SIZE_MISMATCH",
  );
  assert.equal(
    error.message,
    `fetchDataset: ${
      new URL(FILE_NAME, server.url).href
    } announces 50331648 bytes, but the file has 300000 (nameOrEntry.size); nothing was read`,
  );
  assert.equal(server.requests, 1, "not retried");
  assert.equal(sent, 1000);
  assert.deepEqual(await listing(options.cacheDir), []);
});

Deno.test("an announced length past maxBytes is refused before the body is read", async () => {
  await using server = startRawOkServer(
    `Content-Length: ${data.length}\r\n`,
    (_write, closing) => closing,
  );
  await using options = await testOptions({ timeoutMs: 5_000, maxBytes: 1000 });
  const error = await failsWith(
    fetchDataset(entryFor(server.url, data, false), options),
    "TOO_LARGE",
  );
  assert.match(
    error.message,
    /announces 300000 bytes, more than options\.maxBytes allows \(1000\)/,
  );
  assert.deepEqual(await listing(options.cacheDir), []);
});

Deno.test("a gzip body is never inflated past the entry's size", async () => {
  const size = 100_000;
  const bomb = new Uint8Array(gzipSync(new Uint8Array(64 * 2 ** 20)));
  await using server = startLoopbackServer(() =>
    new Response(bomb, {
      headers: {
        "content-encoding": "gzip",
        "content-length": `${bomb.length}`,
      },
    })
  );
  let most = 0;
  await using options = await testOptions({
    onProgress: ({ loaded }) => most = Math.max(most, loaded),
  });
  const entry = entryFor(server.url, new Uint8Array(size));
  const error = await failsWith(fetchDataset(entry, options), "TOO_LARGE");
  assert.match(
    error.message,
    /sent more than 100000 bytes \(nameOrEntry\.size\); the rest was not read$/,
  );
  assert.ok(bomb.length < 100_000, `${bomb.length} compressed bytes`);
  assert.ok(most <= size, `${most} bytes written`);
  assert.deepEqual(await listing(options.cacheDir), []);
});

Deno.test("an endless body is cut off at the size bound, with or without an entry size", async () => {
  const endless = () =>
    new Response(
      new ReadableStream({
        pull: (controller) => controller.enqueue(data.subarray(0, 65_536)),
      }),
    );
  await using server = startLoopbackServer(endless);
  let most = 0;
  await using options = await testOptions({
    onProgress: ({ loaded }) => most = Math.max(most, loaded),
  });
  await failsWith(
    fetchDataset(entryFor(server.url, data), options),
    "TOO_LARGE",
  );
  assert.ok(most <= data.length, `${most} bytes written`);
  const error = await failsWith(
    fetchDataset(entryFor(server.url, data, false), {
      ...options,
      maxBytes: 200_000,
    }),
    "TOO_LARGE",
  );
  assert.match(error.message, /more than 200000 bytes \(options\.maxBytes\)/);
  assert.ok(most <= data.length, `${most} bytes written`);
  assert.deepEqual(await listing(options.cacheDir), []);
});

Deno.test("a trickling server is ended by deadlineMs and not retried", async () => {
  await using server = startRawOkServer(
    `Content-Length: ${data.length}\r\n`,
    async (write) => {
      for (let at = 0; at < data.length; at += 512) {
        await write(data.subarray(at, at + 512));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
  );
  await using options = await testOptions({
    timeoutMs: 1_000,
    deadlineMs: 600,
  });
  const error = await failsWith(
    fetchDataset(entryFor(server.url, data), options),
    "TIMEOUT",
  );
  assert.match(
    error.message,
    /did not finish within 600 ms \(option deadlineMs; after \d+ bytes\)/,
  );
  assert.equal(server.requests, 1);
  assert.deepEqual(await listing(options.cacheDir), []);
});

Deno.test("an entry with neither size nor maxBytes is refused unless options.maxBytes bounds it", async () => {
  const entry = entryFor("http://127.0.0.1:9/", data, false);
  await assert.rejects(fetchDataset(entry, { cacheDir: "/nonexistent" }), {
    name: "TypeError",
    message:
      "fetchDataset: nameOrEntry.size must be the file's size in bytes (or give options.maxBytes) so that the download is bounded, got undefined",
  });
  await assert.rejects(
    fetchDataset(entryFor("http://127.0.0.1:9/", data), { maxBytes: 10 }),
    /options\.maxBytes must be at least the entry's size, 300000 bytes, got 10$/,
  );
});

Deno.test("a file: mirror of another size, or a FIFO there, is refused at once", async () => {
  await using mirror = await testOptions();
  await Deno.writeFile(join(mirror.cacheDir, FILE_NAME), data.subarray(0, 10));
  await using options = await testOptions({
    mirror: pathToFileURL(mirror.cacheDir),
  });
  const entry = entryFor("http://127.0.0.1:9/", data);
  await failsWith(fetchDataset(entry, options), "SIZE_MISMATCH");
  await Deno.remove(join(mirror.cacheDir, FILE_NAME));
  await mkfifo(join(mirror.cacheDir, FILE_NAME));
  const error = await failsWith(fetchDataset(entry, options), "NOT_A_FILE");
  assert.match(
    error.message,
    /the mirror file .* is a FIFO \(named pipe\), not a file/,
  );
  assert.deepEqual(await listing(options.cacheDir), []);
});

// ---- secrets ----

Deno.test("redactUrl drops user:password@ and the values of token-like query parameters", () => {
  assert.equal(
    redactUrl(
      new URL(
        "https://me:pw@h.example/a%20b.tif?token=t1&X-Amz-Signature=s2&page=2&sig=s3&api_key=k4&flag",
      ),
    ),
    "https://h.example/a%20b.tif?token=***&X-Amz-Signature=***&page=2&sig=***&api_key=***&flag",
  );
});

Deno.test("credentials in a mirror URL are sent, but never printed in errors or on stderr", async () => {
  const authorizations: (string | null)[] = [];
  await using server = startLoopbackServer((request, index) => {
    authorizations.push(request.headers.get("authorization"));
    return index === 0
      ? new Response("no", { status: 404 })
      : new Response(data);
  });
  const mirror = new URL(`mirror/?token=t0psecret`, server.url);
  mirror.username = "reader";
  mirror.password = "s3cret";
  await using options = await testOptions({ mirror: mirror.href });
  const entry = entryFor("http://127.0.0.1:9/", data);
  const error = await failsWith(fetchDataset(entry, options), "HTTP_STATUS");
  assert.doesNotMatch(error.message, /s3cret|reader|t0psecret/);
  assert.match(error.message, /\/mirror\/sample\.bin answered HTTP 404/);

  const written: string[] = [];
  const stderr = Deno.stderr;
  const realWrite = stderr.writeSync;
  stderr.writeSync = (bytes: Uint8Array) => {
    written.push(new TextDecoder().decode(bytes));
    return bytes.length;
  };
  try {
    await fetchDataset(entry, { ...options, quiet: false });
  } finally {
    stderr.writeSync = realWrite;
  }
  const printed = written.join("");
  assert.match(
    printed,
    /downloading http:\/\/127\.0\.0\.1:\d+\/mirror\/sample\.bin/,
  );
  assert.doesNotMatch(printed, /s3cret|reader|t0psecret/);
  const basic = `Basic ${Buffer.from("reader:s3cret").toString("base64")}`;
  assert.deepEqual(authorizations, [basic, basic]);
});

// ---- faults named ----

Deno.test("a full disk during a download is NO_SPACE with the path and the space needed, not retried", async () => {
  await using server = startLoopbackServer(() => new Response(data));
  await using options = await testOptions();
  const target = join(options.cacheDir, FILE_NAME);
  const { failures, error } = await withFailingWrites(
    100_000,
    () => fetchDataset(entryFor(server.url, data), options),
  );
  assert.ok(failures > 0);
  assert.ok(error instanceof DatasetError, String(error));
  assert.equal(error.code, "NO_SPACE");
  assert.ok(
    error.message.includes(`no space left on the disk for ${target}`),
    error.message,
  );
  assert.match(error.message, /the file needs 300000 bytes free in /);
  assert.doesNotMatch(error.message, /cannot reach|STRIA_DATA_MIRROR|attempt/);
  assert.equal(server.requests, 1);
  assert.deepEqual(await temporaryFilesIn(options.cacheDir), []);
});

Deno.test("a full disk while copying from a file: mirror is NO_SPACE with the path", async () => {
  await using mirror = await testOptions();
  await Deno.writeFile(join(mirror.cacheDir, FILE_NAME), data);
  await using options = await testOptions({
    mirror: pathToFileURL(mirror.cacheDir),
  });
  const { error } = await withFailingWrites(
    100_000,
    () => fetchDataset(entryFor("http://127.0.0.1:9/", data), options),
  );
  assert.ok(error instanceof DatasetError, String(error));
  assert.equal(error.code, "NO_SPACE");
  assert.ok(error.message.includes(join(options.cacheDir, FILE_NAME)));
  assert.deepEqual(await temporaryFilesIn(options.cacheDir), []);
});

Deno.test("an exception thrown by onProgress is passed through, unretried", async () => {
  await using server = startLoopbackServer(() => new Response(data));
  const mine = new Error("my progress bar broke");
  const notices: string[] = [];
  await using options = await testOptions({
    onProgress: ({ loaded }) => {
      if (loaded > 0) throw mine;
    },
    onNotice: (notice) => notices.push(notice),
  });
  await assert.rejects(
    fetchDataset(entryFor(server.url, data), options),
    (error) => error === mine,
  );
  assert.equal(server.requests, 1);
  assert.deepEqual(notices, []);
  assert.deepEqual(await listing(options.cacheDir), []);
});

Deno.test("after a redirect to another host, the permission hint names the denied host", async () => {
  await using target = startLoopbackServer(() => new Response(data));
  await using redirect = startLoopbackServer(() =>
    Response.redirect(new URL(FILE_NAME, target.url), 302)
  );
  await using cache = await testOptions();
  const dir = await Deno.makeTempDir({ prefix: "stria-redirect-" });
  const script = join(dir, "fetch.ts");
  const moduleUrl = new URL("../lib/data/fetch_dataset.ts", import.meta.url);
  await Deno.writeTextFile(
    script,
    `import { fetchDataset } from ${JSON.stringify(moduleUrl.href)};
try {
  await fetchDataset(${JSON.stringify(entryFor(redirect.url, data))}, ${
      JSON.stringify({
        cacheDir: cache.cacheDir,
        mirror: redirect.url.href,
        quiet: true,
        retries: 0,
      })
    });
  console.log("ok");
} catch (error) {
  console.log(error.code + ": " + error.message);
}
`,
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--no-config",
      "--no-lock",
      `--allow-read=${cache.cacheDir}`,
      `--allow-write=${cache.cacheDir}`,
      `--allow-net=${redirect.url.host}`,
      script,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  const stdout = new TextDecoder().decode(output.stdout).trim();
  assert.ok(stdout.startsWith("PERMISSION: "), stdout);
  assert.ok(
    stdout.endsWith(`run again with --allow-net=${target.url.host}`),
    stdout,
  );
  assert.equal(target.requests, 0);
});

async function mkfifo(path: string): Promise<void> {
  const { code } = await new Deno.Command("mkfifo", { args: [path] }).output();
  assert.equal(code, 0, `mkfifo ${path}`);
}

Deno.test("a directory or a FIFO at the cache path is refused at once, before any download", async () => {
  await using server = startLoopbackServer(() => new Response(data));
  await using options = await testOptions();
  const target = join(options.cacheDir, FILE_NAME);
  await Deno.mkdir(target);
  const folder = await failsWith(
    fetchDataset(entryFor(server.url, data), options),
    "NOT_A_FILE",
  );
  assert.equal(
    folder.message,
    `fetchDataset: the cache path ${target} is a directory, not a file; remove it or choose another cacheDir`,
  );
  await Deno.remove(target);
  await mkfifo(target);
  const fifo = await failsWith(
    fetchDataset(entryFor(server.url, data), options),
    "NOT_A_FILE",
    1_000,
  );
  assert.match(fifo.message, /is a FIFO \(named pipe\), not a file/);
  assert.equal(server.requests, 0);
});

Deno.test("stale .part files are removed also when the file is already cached", async () => {
  await using options = await testOptions();
  await Deno.writeFile(join(options.cacheDir, FILE_NAME), data);
  const stale = join(options.cacheDir, `.${FILE_NAME}.dead.part`);
  await Deno.writeFile(stale, data.subarray(0, 10));
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  await Deno.utime(stale, twoHoursAgo, twoHoursAgo);
  const events: DatasetProgress[] = [];
  await fetchDataset(entryFor("http://127.0.0.1:9/", data), {
    ...options,
    onProgress: (event) => events.push(event),
  });
  assert.deepEqual(await listing(options.cacheDir), [FILE_NAME]);
  assert.deepEqual(events, [], "served from the cache");
});

// ---- entries and options checked field by field ----

Deno.test("entries are checked field by field, naming the field and the value", async () => {
  const good = entryFor("http://127.0.0.1:9/", data);
  const cases: [Record<string, unknown> | unknown, string][] = [
    [
      3,
      "nameOrEntry must be a registry name or an entry object with name, fileName, url, sha256 and size, got 3",
    ],
    [
      { ...good, name: "" },
      'nameOrEntry.name must be a non-empty string, got ""',
    ],
    [
      { ...good, fileName: "../escape" },
      'nameOrEntry.fileName must be a file name without / or \\, got "../escape"',
    ],
    [
      { ...good, url: "not a url" },
      'nameOrEntry.url must be an absolute URL string, got "not a url"',
    ],
    [
      { ...good, url: new URL(good.url) },
      "nameOrEntry.url must be an absolute URL string, got URL",
    ],
    [
      { ...good, sha256: good.sha256.toUpperCase() },
      `nameOrEntry.sha256 must be 64 lowercase hexadecimal digits, got "${good.sha256.toUpperCase()}"`,
    ],
    [
      { ...good, sha256: "abc" },
      'nameOrEntry.sha256 must be 64 lowercase hexadecimal digits, got "abc"',
    ],
    [
      { ...good, size: 0 },
      "nameOrEntry.size must be a positive integer number of bytes, got 0",
    ],
    [
      { ...good, size: 1.5 },
      "nameOrEntry.size must be a positive integer number of bytes, got 1.5",
    ],
    [
      { ...good, size: "300000" },
      'nameOrEntry.size must be a positive integer number of bytes, got "300000"',
    ],
    [
      { ...good, maxBytes: -1 },
      "nameOrEntry.maxBytes must be a positive integer number of bytes, got -1",
    ],
  ];
  for (const [entry, message] of cases) {
    await assert.rejects(fetchDataset(entry as Entry), {
      name: "TypeError",
      message: `fetchDataset: ${message}`,
    });
  }
});

Deno.test("options are checked: null, unknown keys and wrong types name the option", async () => {
  const entry = entryFor("http://127.0.0.1:9/", data);
  const cases: [unknown, RegExp][] = [
    [
      null,
      /^fetchDataset: options must be an object with keys among cacheDir, mirror, .*, got null$/,
    ],
    [
      { timeout: 5 },
      /^fetchDataset: options has no key "timeout" \(got 5\); its keys are cacheDir, /,
    ],
    [
      { deadlineMs: 0 },
      /^fetchDataset: options\.deadlineMs must be an integer from 1 to 2147483647, got 0$/,
    ],
    [
      { timeoutMs: 2 ** 31 },
      /^fetchDataset: options\.timeoutMs must be an integer from 1 to 2147483647, got 2147483648$/,
    ],
    [
      { maxBytes: 1.5 },
      /^fetchDataset: options\.maxBytes must be a positive integer number of bytes, got 1\.5$/,
    ],
    [
      { quiet: "yes" },
      /^fetchDataset: options\.quiet must be true or false, got "yes"$/,
    ],
    [
      { onProgress: 3 },
      /^fetchDataset: options\.onProgress must be a function, got 3$/,
    ],
    [
      { signal: {} },
      /^fetchDataset: options\.signal must be an AbortSignal, got Object$/,
    ],
    [
      { mirror: 3 },
      /^fetchDataset: options\.mirror must be a base URL \(a string or a URL\), got 3$/,
    ],
  ];
  for (const [options, message] of cases) {
    await assert.rejects(
      fetchDataset(entry, options as FetchDatasetOptions),
      { name: "TypeError", message },
    );
  }
});
