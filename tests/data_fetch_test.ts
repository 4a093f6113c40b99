import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { DatasetError } from "../lib/data/dataset_error.ts";
import {
  type DatasetProgress,
  fetchDataset,
} from "../lib/data/fetch_dataset.ts";
import type { DatasetEntry } from "../lib/data/registry.ts";
import {
  startLoopbackServer,
  startRawLoopbackServer,
} from "./_loopback_server.ts";
import { temporaryFilesIn, withFailingWrites } from "./_write_faults.ts";
import { sha256 } from "./_sha256.ts";
import { testOptions } from "./_fetch_options.ts";

const FILE_NAME = "sample.bin";

function payload(length: number, salt = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(length);
  let state = salt >>> 0;
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

function entryFor(
  url: URL | string,
  bytes: Uint8Array,
  fileName = FILE_NAME,
): DatasetEntry {
  return {
    name: "sample",
    fileName,
    url: new URL(fileName, url).href,
    sha256: sha256(bytes),
    size: bytes.length,
    description: "test bytes",
    axes: { stored: "X", returned: "X" },
    shape: [bytes.length],
    dtype: "uint8",
    physicalSizes: {},
    physicalUnit: "µm",
    channelNames: [],
    license: "CC0-1.0",
    citation: "none",
  };
}

async function cacheListing(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const item of Deno.readDir(dir)) names.push(item.name);
  return names.sort();
}

async function rejectsWithCode(
  promise: Promise<unknown>,
  code: string,
): Promise<DatasetError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(
      error instanceof DatasetError,
      `expected a DatasetError, got ${error}`,
    );
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected a DatasetError ${code}`);
}

const data = payload(300_000);

Deno.test("fetchDataset downloads, verifies, reports progress, then uses the cache", async () => {
  await using server = startLoopbackServer(() => new Response(data));
  const events: DatasetProgress[] = [];
  await using options = await testOptions({
    onProgress: (event) => events.push(event),
  });
  const entry = entryFor(server.url, data);
  const path = await fetchDataset(entry, options);
  assert.equal(path, join(options.cacheDir, FILE_NAME));
  assert.deepEqual(await Deno.readFile(path), data);
  assert.deepEqual(await cacheListing(options.cacheDir), [FILE_NAME]);
  assert.ok(events.length >= 2);
  assert.equal(events[0].loaded, 0);
  assert.equal(events[0].url, entry.url);
  for (let i = 1; i < events.length; i++) {
    assert.ok(events[i].loaded >= events[i - 1].loaded);
  }
  assert.deepEqual(events.at(-1), {
    loaded: data.length,
    total: data.length,
    url: entry.url,
  });
  assert.equal(await fetchDataset(entry, options), path);
  assert.equal(server.requests, 1, "the second call is served from the cache");
});

Deno.test("fetchDataset retries a truncated body, then fails with TRUNCATED and leaves nothing", async () => {
  await using server = startRawLoopbackServer(async (connection) => {
    await connection.readRequestHead();
    await connection.write(
      `HTTP/1.1 200 OK\r\nContent-Length: ${data.length}\r\nConnection: close\r\n\r\n`,
    );
    await connection.write(data.subarray(0, 1000));
  });
  await using options = await testOptions({ retries: 1 });
  const error = await rejectsWithCode(
    fetchDataset(entryFor(server.url, data), options),
    "TRUNCATED",
  );
  assert.match(error.message, /1000/);
  assert.match(error.message, /gave up after 2 attempts/);
  assert.equal(server.requests, 2);
  assert.deepEqual(await cacheListing(options.cacheDir), []);
});

Deno.test("fetchDataset refuses bytes with the wrong sha256 and keeps nothing", async () => {
  await using server = startLoopbackServer(() => new Response(data));
  await using options = await testOptions();
  const entry = { ...entryFor(server.url, data), sha256: sha256(payload(10)) };
  const error = await rejectsWithCode(
    fetchDataset(entry, options),
    "HASH_MISMATCH",
  );
  assert.ok(error.message.includes(entry.sha256), "names the expected hash");
  assert.ok(error.message.includes(sha256(data)), "names the actual hash");
  assert.equal(server.requests, 1, "a hash mismatch is not retried");
  assert.deepEqual(await cacheListing(options.cacheDir), []);
});

Deno.test("fetchDataset retries HTTP 500 and succeeds on the next answer", async () => {
  await using server = startLoopbackServer((_request, index) =>
    index === 0 ? new Response("busy", { status: 500 }) : new Response(data)
  );
  const notices: string[] = [];
  await using options = await testOptions({
    onNotice: (message) => notices.push(message),
  });
  const path = await fetchDataset(entryFor(server.url, data), options);
  assert.deepEqual(await Deno.readFile(path), data);
  assert.equal(server.requests, 2);
  assert.equal(notices.length, 1);
  assert.match(notices[0], /HTTP 500.*retrying in 1 ms \(attempt 2 of 4\)/);
});

Deno.test("fetchDataset does not retry HTTP 404 and says what to do", async () => {
  await using server = startLoopbackServer(() =>
    new Response("no", { status: 404 })
  );
  await using options = await testOptions();
  const entry = entryFor(server.url, data);
  const error = await rejectsWithCode(
    fetchDataset(entry, options),
    "HTTP_STATUS",
  );
  assert.equal(server.requests, 1);
  assert.ok(
    error.message.includes(`${entry.url} answered HTTP 404`),
    error.message,
  );
  assert.ok(error.message.includes("STRIA_DATA_MIRROR"));
  assert.ok(error.message.includes(join(options.cacheDir, FILE_NAME)));
  assert.deepEqual(await cacheListing(options.cacheDir), []);
});

Deno.test("fetchDataset times out a stalled body and stalled headers", async () => {
  await using stalledBody = startRawLoopbackServer(async (connection) => {
    await connection.readRequestHead();
    await connection.write(
      `HTTP/1.1 200 OK\r\nContent-Length: ${data.length}\r\n\r\n`,
    );
    await connection.write(data.subarray(0, 10));
    await connection.closing;
  });
  await using options = await testOptions({ timeoutMs: 1_000, retries: 1 });
  const error = await rejectsWithCode(
    fetchDataset(entryFor(stalledBody.url, data), options),
    "TIMEOUT",
  );
  assert.match(error.message, /no data from .* for 1000 ms \(after 10 bytes\)/);
  assert.equal(stalledBody.requests, 2);
  assert.deepEqual(await cacheListing(options.cacheDir), []);

  await using stalledHead = startRawLoopbackServer(async (connection) => {
    await connection.readRequestHead();
    await connection.closing;
  });
  const headError = await rejectsWithCode(
    fetchDataset(entryFor(stalledHead.url, data), { ...options, retries: 0 }),
    "TIMEOUT",
  );
  assert.match(
    headError.message,
    /before the response headers.*gave up after 1 attempt\b/,
  );
});

Deno.test("two concurrent fetches of one file both succeed and leave one correct file", async () => {
  await using server = startLoopbackServer(() => {
    // Slow, chunked bodies so that the two downloads overlap.
    let offset = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 2));
        if (offset >= data.length) return controller.close();
        controller.enqueue(data.slice(offset, offset + 30_000));
        offset += 30_000;
      },
    });
    return new Response(body);
  });
  await using options = await testOptions();
  const entry = entryFor(server.url, data);
  const [first, second] = await Promise.all([
    fetchDataset(entry, options),
    fetchDataset(entry, options),
  ]);
  assert.equal(first, second);
  assert.equal(server.requests, 2);
  assert.equal(sha256(await Deno.readFile(first)), entry.sha256);
  assert.deepEqual(await cacheListing(options.cacheDir), [FILE_NAME]);
});

Deno.test("a corrupt cached file is downloaded again and the user is told", async () => {
  await using server = startLoopbackServer(() => new Response(data));
  const notices: string[] = [];
  await using options = await testOptions({
    onNotice: (message) => notices.push(message),
  });
  const target = join(options.cacheDir, FILE_NAME);
  await Deno.writeFile(target, data.subarray(0, 5000));
  const entry = entryFor(server.url, data);
  assert.equal(await fetchDataset(entry, options), target);
  assert.equal(server.requests, 1);
  assert.deepEqual(await Deno.readFile(target), data);
  assert.equal(notices.length, 1);
  assert.ok(
    notices[0].includes(target) &&
      notices[0].includes(sha256(data.subarray(0, 5000))),
  );
  assert.match(notices[0], /downloading it again/);
});

Deno.test("a write failing mid-download leaves the corrupt cached file as it was and no .part file", async () => {
  await using server = startLoopbackServer(() => new Response(data));
  await using options = await testOptions();
  const target = join(options.cacheDir, FILE_NAME);
  const corrupt = data.subarray(0, 5000);
  await Deno.writeFile(target, corrupt);
  const { failures, error } = await withFailingWrites(
    100_000,
    () => fetchDataset(entryFor(server.url, data), options),
  );
  assert.ok(failures > 0, "the download reached the failing write");
  assert.ok(
    error instanceof DatasetError,
    `expected a DatasetError, got ${error}`,
  );
  assert.equal(error.code, "NO_SPACE");
  assert.ok(error.message.includes(target), error.message);
  assert.match(
    error.cause instanceof Error ? error.cause.message : "",
    /No space left on device/,
  );
  assert.equal(server.requests, 1, "a full disk is not retried");
  assert.equal(
    sha256(await Deno.readFile(target)),
    sha256(corrupt),
    "the cached file is byte-identical",
  );
  assert.deepEqual(await temporaryFilesIn(options.cacheDir), []);
});

Deno.test("fetchDataset copies from a file: mirror and reports a file missing there", async () => {
  await using mirror = await testOptions();
  const mirrorDir = mirror.cacheDir;
  await Deno.writeFile(join(mirrorDir, FILE_NAME), data);
  // The registry URL points at a closed port: only the mirror can succeed.
  const entry = entryFor("http://127.0.0.1:9/", data);
  const events: DatasetProgress[] = [];
  await using options = await testOptions({
    mirror: pathToFileURL(mirrorDir),
    onProgress: (e) => events.push(e),
  });
  const path = await fetchDataset(entry, options);
  assert.deepEqual(await Deno.readFile(path), data);
  assert.deepEqual(events.at(-1), {
    loaded: data.length,
    total: data.length,
    url: pathToFileURL(join(mirrorDir, FILE_NAME)).href,
  });

  const missing = entryFor("http://127.0.0.1:9/", data, "absent.bin");
  const error = await rejectsWithCode(
    fetchDataset(missing, {
      ...options,
      cacheDir: join(options.cacheDir, "other"),
    }),
    "NOT_FOUND",
  );
  assert.ok(error.message.includes(join(mirrorDir, "absent.bin")));
});

Deno.test("fetchDataset uses $STRIA_DATA_MIRROR instead of the registry URL", async () => {
  await using server = startLoopbackServer((request) =>
    new URL(request.url).pathname === `/mirror/${FILE_NAME}`
      ? new Response(data)
      : new Response("", { status: 404 })
  );
  const previous = Deno.env.get("STRIA_DATA_MIRROR");
  Deno.env.set("STRIA_DATA_MIRROR", new URL("mirror", server.url).href);
  await using options = await testOptions();
  try {
    const path = await fetchDataset(
      entryFor("http://127.0.0.1:9/", data),
      options,
    );
    assert.deepEqual(await Deno.readFile(path), data);
    Deno.env.set("STRIA_DATA_MIRROR", "ftp://example.org/");
    await assert.rejects(
      fetchDataset(entryFor("http://127.0.0.1:9/", data), {
        ...options,
        cacheDir: join(options.cacheDir, "other"),
      }),
      {
        name: "TypeError",
        message:
          /\$STRIA_DATA_MIRROR must be an absolute http:, https: or file: base URL, got "ftp:/,
      },
    );
  } finally {
    if (previous === undefined) Deno.env.delete("STRIA_DATA_MIRROR");
    else Deno.env.set("STRIA_DATA_MIRROR", previous);
  }
});

Deno.test("an unreachable host fails with UNREACHABLE naming the URL, the mirror and the cache path", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const closedPort = (listener.addr as Deno.NetAddr).port;
  listener.close();
  await using options = await testOptions({ retries: 2 });
  const entry = entryFor(`http://127.0.0.1:${closedPort}/`, data);
  const error = await rejectsWithCode(
    fetchDataset(entry, options),
    "UNREACHABLE",
  );
  assert.ok(error.message.includes(`cannot reach ${entry.url}`), error.message);
  assert.match(error.message, /gave up after 3 attempts/);
  assert.ok(error.message.includes("STRIA_DATA_MIRROR"));
  assert.ok(error.message.includes(join(options.cacheDir, FILE_NAME)));
  assert.deepEqual(await cacheListing(options.cacheDir), []);
});

Deno.test("aborting a download rejects with the reason and leaves nothing", async () => {
  const controller = new AbortController();
  await using server = startRawLoopbackServer(async (connection) => {
    await connection.readRequestHead();
    await connection.write(
      `HTTP/1.1 200 OK\r\nContent-Length: ${data.length}\r\n\r\n`,
    );
    await connection.write(data.subarray(0, 10));
    controller.abort(new Error("user cancelled"));
    await connection.closing;
  });
  await using options = await testOptions({ signal: controller.signal });
  await assert.rejects(fetchDataset(entryFor(server.url, data), options), {
    message: "user cancelled",
  });
  assert.equal(server.requests, 1);
  assert.deepEqual(await cacheListing(options.cacheDir), []);
});

Deno.test("fetchDataset validates its arguments", async () => {
  const entry = entryFor("http://127.0.0.1:9/", data);
  await assert.rejects(fetchDataset(entry, { retries: -1 }), {
    name: "TypeError",
    message: "fetchDataset: options.retries must be an integer >= 0, got -1",
  });
  await assert.rejects(fetchDataset({ ...entry, fileName: "../escape" }), {
    name: "TypeError",
    message:
      'fetchDataset: nameOrEntry.fileName must be a file name without / or \\, got "../escape"',
  });
  await assert.rejects(fetchDataset("no-such-dataset"), (error: unknown) => {
    assert.ok(
      error instanceof DatasetError && error.code === "UNKNOWN_DATASET",
    );
    assert.match(error.message, /known datasets: "kidney"/);
    return true;
  });
});

/**
 * Runs a tiny script that calls fetchDataset with `entry` and `options` under
 * the given permission flags; returns its stdout ("ok" or "CODE: message") and stderr.
 */
async function runRestricted(
  flags: string[],
  entry: DatasetEntry,
  options: Record<string, unknown>,
): Promise<{ stdout: string; stderr: string }> {
  const dir = await Deno.makeTempDir({ prefix: "stria-perm-" });
  const script = join(dir, "fetch.ts");
  const moduleUrl = new URL("../lib/data/fetch_dataset.ts", import.meta.url);
  await Deno.writeTextFile(
    script,
    `import { fetchDataset } from ${JSON.stringify(moduleUrl.href)};
try {
  await fetchDataset(${JSON.stringify(entry)}, ${JSON.stringify(options)});
  console.log("ok");
} catch (error) {
  console.log(error.code + ": " + error.message);
}
`,
  );
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", "--no-config", "--no-lock", ...flags, script],
    cwd: dir,
    stdout: "piped",
    stderr: "piped",
  }).output();
  await Deno.remove(dir, { recursive: true });
  const decoder = new TextDecoder();
  const stderr = decoder.decode(output.stderr);
  assert.equal(output.code, 0, stderr);
  return { stdout: decoder.decode(output.stdout).trim(), stderr };
}

Deno.test("missing permissions are reported with the Deno flag to pass", async () => {
  await using server = startLoopbackServer(() => new Response(data));
  const entry = entryFor(server.url, data);
  await using cache = await testOptions();
  const { cacheDir } = cache;
  const quietOptions = { quiet: true, retries: 0, mirror: server.url.href };
  const cacheFlags = [`--allow-read=${cacheDir}`, `--allow-write=${cacheDir}`];
  const netFlag = `--allow-net=${server.url.host}`;

  const noNet = await runRestricted(cacheFlags, entry, {
    ...quietOptions,
    cacheDir,
  });
  assert.ok(noNet.stdout.startsWith("PERMISSION: "), noNet.stdout);
  assert.ok(noNet.stdout.includes(netFlag), noNet.stdout);

  const noRead = await runRestricted([netFlag], entry, {
    ...quietOptions,
    cacheDir,
  });
  assert.ok(noRead.stdout.startsWith("PERMISSION: "), noRead.stdout);
  assert.ok(noRead.stdout.includes(`--allow-read=${cacheDir}`), noRead.stdout);

  const noEnv = await runRestricted([netFlag], entry, quietOptions);
  assert.ok(noEnv.stdout.startsWith("PERMISSION: "), noEnv.stdout);
  assert.ok(noEnv.stdout.includes("--allow-env=STRIA_DATA_DIR,"), noEnv.stdout);

  const allowed = await runRestricted([...cacheFlags, netFlag], entry, {
    ...quietOptions,
    cacheDir,
  });
  assert.deepEqual(allowed, { stdout: "ok", stderr: "" });
});

Deno.test("off a terminal, stderr gets one download line, and a notice for a bad cached file", async () => {
  await using server = startLoopbackServer(() => new Response(data));
  const entry = entryFor(server.url, data);
  await using cache = await testOptions();
  const { cacheDir } = cache;
  const target = join(cacheDir, FILE_NAME);
  await Deno.writeTextFile(target, "stale");
  const { stdout, stderr } = await runRestricted(
    [
      `--allow-read=${cacheDir}`,
      `--allow-write=${cacheDir}`,
      `--allow-net=${server.url.host}`,
    ],
    entry,
    { cacheDir, mirror: server.url.href },
  );
  assert.equal(stdout, "ok");
  assert.deepEqual(stderr.trimEnd().split("\n"), [
    `stria: the cached file ${target} has sha256 ${
      sha256(new TextEncoder().encode("stale"))
    }, ` +
    `expected ${entry.sha256}; downloading it again`,
    `stria: downloading ${entry.url} (300.0 kB) to ${target}`,
  ]);
  assert.deepEqual(await Deno.readFile(target), data);
});

Deno.test("fetchDataset uses the fetch implementation it is given", async () => {
  const requested: string[] = [];
  const fakeFetch: typeof fetch = (input) => {
    requested.push(String(input));
    return Promise.resolve(new Response(data));
  };
  await using options = await testOptions({ fetch: fakeFetch });
  const entry = entryFor("https://example.invalid/files/", data);
  const path = await fetchDataset(entry, options);
  assert.deepEqual(requested, [entry.url]);
  assert.deepEqual(await Deno.readFile(path), data);
});

Deno.test("temporary files of killed downloads are removed, live ones kept", async () => {
  await using server = startLoopbackServer(() => new Response(data));
  await using options = await testOptions();
  const stale = join(options.cacheDir, `.${FILE_NAME}.dead.part`);
  const live = join(options.cacheDir, `.${FILE_NAME}.live.part`);
  await Deno.writeFile(stale, data.subarray(0, 10));
  await Deno.writeFile(live, data.subarray(0, 10));
  const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
  await Deno.utime(stale, twoHoursAgo, twoHoursAgo);
  await fetchDataset(entryFor(server.url, data), options);
  assert.deepEqual(await cacheListing(options.cacheDir), [
    `.${FILE_NAME}.live.part`,
    FILE_NAME,
  ]);
});
