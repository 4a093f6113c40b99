import assert from "node:assert/strict";
import { join } from "node:path";
import { dataCacheDir } from "../lib/data/data_cache_dir.ts";
import { DatasetError } from "../lib/data/dataset_error.ts";
import { datasetRegistry, getDataset } from "../lib/data/registry.ts";
import {
  formatBytes,
  formatDuration,
  formatProgressLine,
} from "../lib/data/_progress.ts";

/** scikit-image's own kidney entry, extracted by scripts/extract_skimage_registry.py. */
interface SkimageRegistryEntry {
  source: {
    package: string;
    skimageVersion: string;
    file: string;
    key: string;
  };
  sha256: string;
  url: string;
  size: number | null;
}

const skimageKidney: SkimageRegistryEntry = JSON.parse(
  await Deno.readTextFile(
    new URL("./fixtures/data/skimage_registry_kidney.json", import.meta.url),
  ),
);

Deno.test("the kidney entry's sha256, URL and size are those of scikit-image's registry", () => {
  const { source } = skimageKidney;
  assert.deepEqual(
    [source.package, source.skimageVersion, source.file, source.key],
    [
      "python3-skimage",
      "0.19.3",
      "/usr/lib/python3/dist-packages/skimage/data/_registry.py",
      "data/kidney.tif",
    ],
    "the fixture comes from the source registry.ts cites",
  );
  const entry = getDataset("kidney");
  assert.equal(entry.sha256, skimageKidney.sha256);
  assert.equal(entry.size, skimageKidney.size ?? undefined);
  // registry.ts pins a commit of scikit-image/data where 0.19.3 names the branch.
  const pinned = /\/-\/raw\/[0-9a-f]{40}\//;
  assert.match(entry.url, pinned);
  assert.equal(entry.url.replace(pinned, "/-/raw/master/"), skimageKidney.url);
  assert.equal(
    entry.fileName,
    new URL(skimageKidney.url).pathname.split("/").at(-1),
  );
});

Deno.test("the kidney entry states the dataset's facts", () => {
  const entry = getDataset("kidney");
  assert.equal(entry, datasetRegistry.kidney);
  assert.deepEqual(entry.axes, { stored: "ZCYX", returned: "ZYXC" });
  assert.deepEqual(entry.shape, [16, 512, 512, 3]);
  assert.equal(entry.dtype, "uint16");
  assert.deepEqual(entry.physicalSizes, { Z: 1.25, Y: 1.24, X: 1.24 });
  assert.equal(entry.physicalUnit, "µm");
  assert.deepEqual(entry.channelNames, [
    "450 nm emission",
    "515 nm emission",
    "605 nm emission",
  ]);
  assert.equal(entry.license, "CC0-1.0");
  assert.match(entry.citation, /Monash Micro Imaging \(2018\)/);
  assert.match(entry.description, /Nikon C1/);
});

Deno.test("the registry is read-only and getDataset lists the known names", () => {
  assert.ok(
    Object.isFrozen(datasetRegistry) && Object.isFrozen(datasetRegistry.kidney),
  );
  assert.throws(() => getDataset("kidny"), (error: unknown) => {
    assert.ok(error instanceof DatasetError);
    assert.equal(error.code, "UNKNOWN_DATASET");
    assert.equal(
      error.message,
      'getDataset: no dataset named "kidny"; known datasets: "kidney"',
    );
    return true;
  });
  assert.throws(
    () => getDataset("toString"),
    DatasetError,
    "inherited names are not datasets",
  );
  assert.throws(() => getDataset(3 as never), {
    name: "TypeError",
    message: "getDataset: name must be a string, got 3",
  });
});

Deno.test("dataCacheDir prefers STRIA_DATA_DIR, then XDG_CACHE_HOME, then HOME", () => {
  const names = ["STRIA_DATA_DIR", "XDG_CACHE_HOME", "HOME", "USERPROFILE"];
  const saved = names.map((name) => Deno.env.get(name));
  try {
    for (const name of names) Deno.env.delete(name);
    assert.throws(
      () => dataCacheDir(),
      (error: unknown) =>
        error instanceof DatasetError && error.code === "NO_CACHE_DIR",
    );
    Deno.env.set("USERPROFILE", "/users/b");
    assert.equal(dataCacheDir(), join("/users/b", ".cache", "stria"));
    Deno.env.set("HOME", "/home/a");
    assert.equal(dataCacheDir(), join("/home/a", ".cache", "stria"));
    Deno.env.set("XDG_CACHE_HOME", "/xdg");
    assert.equal(dataCacheDir(), join("/xdg", "stria"));
    Deno.env.set("STRIA_DATA_DIR", "/data/stria");
    assert.equal(dataCacheDir(), "/data/stria");
    Deno.env.set("STRIA_DATA_DIR", "");
    assert.equal(
      dataCacheDir(),
      join("/xdg", "stria"),
      "an empty variable counts as unset",
    );
  } finally {
    names.forEach((name, i) =>
      saved[i] === undefined
        ? Deno.env.delete(name)
        : Deno.env.set(name, saved[i]!)
    );
  }
});

Deno.test("progress lines show size, percentage, rate and ETA", () => {
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(25_165_824), "25.2 MB");
  assert.equal(formatDuration(4.2), "5s");
  assert.equal(formatDuration(185), "3m05s");
  assert.equal(formatDuration(Infinity), "?");
  assert.equal(
    formatProgressLine("kidney.tif", 12_500_000, 25_000_000, 5),
    "kidney.tif  [############------------]  50%  12.5 MB / 25.0 MB  2.5 MB/s  ETA 5s",
  );
  assert.equal(
    formatProgressLine("kidney.tif", 3_000_000, undefined, 2),
    "kidney.tif  3.0 MB  1.5 MB/s",
  );
  assert.equal(
    formatProgressLine("kidney.tif", 0, 100, 0),
    "kidney.tif  [------------------------]   0%  0 B / 100 B  0 B/s  ETA ?",
  );
});

Deno.test("the kidney download is bounded: no size is known, so maxBytes holds at least its samples", () => {
  const entry = getDataset("kidney");
  const samplesBytes = entry.shape.reduce((a, b) => a * b, 1) * 2;
  assert.equal(entry.size, undefined);
  assert.ok(entry.maxBytes !== undefined && entry.maxBytes >= samplesBytes);
  assert.ok(entry.maxBytes <= 2 * samplesBytes, "a bound, not a formality");
});
