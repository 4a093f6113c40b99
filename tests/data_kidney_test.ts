import assert from "node:assert/strict";
import { join } from "node:path";
import { ndarray } from "../lib/deps.ts";
import { encodeTiff } from "../lib/io/encode_tiff.ts";
import { DatasetError } from "../lib/data/dataset_error.ts";
import { kidney } from "../lib/data/kidney.ts";
import { type DatasetEntry, getDataset } from "../lib/data/registry.ts";
import { startLoopbackServer } from "./_loopback_server.ts";
import { sha256 } from "./_sha256.ts";

const [DEPTH, CHANNELS, HEIGHT, WIDTH] = [16, 3, 512, 512];

/** A distinct, position-revealing value for every (plane, channel, row, column). */
function expected(z: number, c: number, y: number, x: number): number {
  return (z * 3 + c) * 1000 + ((y * 31 + x * 17) % 1000);
}

/** Serves `bytes` as the kidney file and returns a registry entry for it. */
function entryServing(server: { url: URL }, bytes: Uint8Array): DatasetEntry {
  const real = getDataset("kidney");
  return {
    ...real,
    url: new URL(real.fileName, server.url).href,
    sha256: sha256(bytes),
  };
}

async function withCache<T>(
  action: (cacheDir: string) => Promise<T>,
): Promise<T> {
  const cacheDir = await Deno.makeTempDir({ prefix: "stria-kidney-" });
  try {
    return await action(cacheDir);
  } finally {
    await Deno.remove(cacheDir, { recursive: true });
  }
}

Deno.test("kidney() reads a full-size ZCYX hyperstack into C-contiguous ZYXC uint16", async () => {
  const planes = new Uint16Array(DEPTH * CHANNELS * HEIGHT * WIDTH);
  let i = 0;
  for (let z = 0; z < DEPTH; z++) {
    for (let c = 0; c < CHANNELS; c++) {
      for (let y = 0; y < HEIGHT; y++) {
        for (let x = 0; x < WIDTH; x++) planes[i++] = expected(z, c, y, x);
      }
    }
  }
  const bytes = encodeTiff(ndarray(planes, [DEPTH, CHANNELS, HEIGHT, WIDTH]), {
    axes: "ZCYX",
    metadata: {
      physicalSizes: { X: 1.24, Y: 1.24, Z: 1.25 },
      physicalUnit: "µm",
    },
  });
  const body = bytes.slice();
  await using server = startLoopbackServer(() => new Response(body));
  const entry = entryServing(server, bytes);
  await withCache(async (cacheDir) => {
    const volume = await kidney({ dataset: entry, cacheDir, quiet: true });
    const { data } = volume;
    assert.ok(data.data instanceof Uint16Array);
    assert.deepEqual(data.shape, [16, 512, 512, 3]);
    assert.deepEqual(data.stride, [512 * 512 * 3, 512 * 3, 3, 1]);
    assert.equal(data.offset, 0);
    assert.equal(volume.axes, "ZYXC");
    let mismatches = 0;
    let at = 0;
    for (let z = 0; z < DEPTH; z++) {
      for (let y = 0; y < HEIGHT; y++) {
        for (let x = 0; x < WIDTH; x++) {
          for (let c = 0; c < CHANNELS; c++) {
            if (data.data[at++] !== expected(z, c, y, x)) mismatches++;
          }
        }
      }
    }
    assert.equal(mismatches, 0);
    assert.equal(data.get(15, 511, 0, 2), expected(15, 2, 511, 0));
    assert.deepEqual(volume.source, {
      name: "kidney",
      path: join(cacheDir, "kidney-tissue-fluorescence.tif"),
      sha256: entry.sha256,
      synthetic: false,
    });
    assert.equal(volume.metadata.fileAxes, "ZCYX");
    assert.deepEqual(volume.metadata.physicalSizes, {
      Z: 1.25,
      Y: 1.24,
      X: 1.24,
    });
    assert.equal(volume.metadata.physicalUnit, "µm");
    assert.deepEqual(volume.metadata.channelNames, [
      "450 nm emission",
      "515 nm emission",
      "605 nm emission",
    ]);
    assert.equal(volume.metadata.license, "CC0-1.0");
    assert.equal(server.requests, 1);
  });
});

Deno.test("kidney() refuses a file of another shape or sample type, saying what it found", async () => {
  const stack = encodeTiff(
    ndarray(new Uint16Array(16 * 512 * 512), [16, 512, 512]),
    { axes: "ZYX" },
  );
  const bytes8 = encodeTiff(
    ndarray(new Uint8Array(16 * 3 * 8 * 8), [16, 3, 8, 8]),
    { axes: "ZCYX" },
  );
  for (
    const [bytes, found] of [
      [stack, 'uint16 values of shape [16, 512, 512] with axes "ZYX"'],
      [bytes8, 'uint8 values of shape [16, 3, 8, 8] with axes "ZCYX"'],
    ] as const
  ) {
    const body = bytes.slice();
    await using server = startLoopbackServer(() => new Response(body));
    await withCache(async (cacheDir) => {
      await assert.rejects(
        kidney({ dataset: entryServing(server, bytes), cacheDir, quiet: true }),
        (error) => {
          assert.ok(error instanceof DatasetError);
          assert.equal(error.code, "UNEXPECTED_CONTENT");
          assert.ok(error.message.includes(found), error.message);
          assert.ok(
            error.message.includes(
              "expected uint16 values with axes Z, C, Y, X",
            ),
            error.message,
          );
          assert.ok(
            error.message.includes("[16, 512, 512, 3] in ZYXC order"),
            error.message,
          );
          return true;
        },
      );
    });
  }
});

Deno.test("kidney() reports a file that is not a TIFF", async () => {
  const bytes = new TextEncoder().encode("<html>not found</html>");
  await using server = startLoopbackServer(() => new Response(bytes.slice()));
  await withCache(async (cacheDir) => {
    await assert.rejects(
      kidney({ dataset: entryServing(server, bytes), cacheDir, quiet: true }),
      (error) => {
        assert.ok(
          error instanceof DatasetError && error.code === "UNEXPECTED_CONTENT",
        );
        assert.match(
          error.message,
          /^kidney: cannot read .*kidney-tissue-fluorescence\.tif as a TIFF/,
        );
        return true;
      },
    );
  });
});

Deno.test("kidney() refuses an unknown option, naming it, before fetching", async () => {
  await assert.rejects(kidney({ datset: {} } as never), {
    name: "TypeError",
    message:
      /^kidney: options has no key "datset" \(got Object\); its keys are cacheDir, .*, dataset$/,
  });
});
