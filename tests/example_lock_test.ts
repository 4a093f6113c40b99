// examples/deno.lock is the lock file an example runs with (examples/deno.jsonc says
// why). Deno installs every npm package of the lock file in use, so this one must hold
// exactly the packages lib/ imports, with their dependencies, and nothing else: a test,
// gallery or build tool here would be downloaded by every first run of the tutorial. A
// package lib/ loads only on first use (zarrita, for OME-Zarr) is left out for the same
// reason: measured, it made a TIFF-only first run download 33 MB instead of 29.
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";

interface LockFile {
  specifiers?: Record<string, string>;
  npm?: Record<string, { dependencies?: string[] }>;
  workspace?: unknown;
}

const root = new URL("../", import.meta.url);

async function readLock(path: string): Promise<LockFile> {
  return JSON.parse(await Deno.readTextFile(new URL(path, root)));
}

/**
 * The `npm:name@version` specifiers that lib/'s code (not its doc examples)
 * imports, except those loaded on first use: lib/deps.ts names those in a
 * constant (`const ZARRITA = "npm:…"`) that a dynamic import takes, and they
 * stay out of the examples' lock, or every first run would install them.
 */
async function libraryNpmSpecifiers(): Promise<string[]> {
  const specifiers = new Set<string>();
  const lazy = new Set(
    [...(await Deno.readTextFile(new URL("lib/deps.ts", root)))
      .matchAll(/^const [A-Z_]+ = "(npm:[^"]+)";$/gm)].map((match) => match[1]),
  );
  const lib = new URL("lib/", root);
  const paths = (await readdir(lib, { recursive: true }))
    .filter((path) => /\.(ts|js)$/.test(path))
    .map((path) => new URL(path, lib));
  for (const path of paths) {
    for (const line of (await Deno.readTextFile(path)).split("\n")) {
      const trimmed = line.trimStart();
      if (trimmed.startsWith("*") || trimmed.startsWith("//")) continue;
      for (const [, specifier] of line.matchAll(/"npm:([^"]+)"/g)) {
        // The lock file names the package, without a subpath such as /index_bg.wasm.
        const pkg = /^(?:@[^/]+\/)?[^/@]+@[^/]+/.exec(specifier);
        assert.ok(pkg, `${path}: unversioned npm specifier ${specifier}`);
        specifiers.add(`npm:${pkg[0]}`);
      }
    }
  }
  return [...specifiers].filter((specifier) => !lazy.has(specifier)).sort();
}

/** Every snapshot entry reachable from the lock file's specifiers. */
function reachablePackages(lock: LockFile): string[] {
  const npm = lock.npm ?? {};
  // A dependency is named "name" when one version is locked, else "name@version";
  // an entry's key may add the peers it was resolved with: "name@version_peer@version".
  const entryOf = (dependency: string) => {
    const matches = Object.keys(npm).filter((key) =>
      key === dependency || key.startsWith(`${dependency}_`) ||
      (key.startsWith(`${dependency}@`) &&
        !key.slice(dependency.length + 1).split("_")[0].includes("@"))
    );
    assert.equal(matches.length, 1, `lock entry for ${dependency}: ${matches}`);
    return matches[0];
  };
  const seen = new Set<string>();
  const pending = Object.entries(lock.specifiers ?? {}).map((
    [specifier, version],
  ) =>
    entryOf(
      `${specifier.slice("npm:".length).replace(/@[^@]+$/, "")}@${version}`,
    )
  );
  while (pending.length > 0) {
    const entry = pending.pop()!;
    if (seen.has(entry)) continue;
    seen.add(entry);
    pending.push(...(npm[entry].dependencies ?? []).map(entryOf));
  }
  return [...seen].sort();
}

Deno.test("examples/deno.lock names exactly the npm packages lib/ imports", async () => {
  const lock = await readLock("examples/deno.lock");
  assert.deepEqual(
    Object.keys(lock.specifiers ?? {}).sort(),
    await libraryNpmSpecifiers(),
  );
  assert.equal(lock.workspace, undefined, "examples/deno.jsonc has no imports");
});

Deno.test("examples/deno.lock holds no package beyond the library's dependencies", async () => {
  const lock = await readLock("examples/deno.lock");
  assert.deepEqual(Object.keys(lock.npm ?? {}).sort(), reachablePackages(lock));
});

Deno.test("examples/deno.lock pins the versions of the repository's deno.lock", async () => {
  const example = await readLock("examples/deno.lock");
  const repository = await readLock("deno.lock");
  for (const [specifier, version] of Object.entries(example.specifiers ?? {})) {
    assert.equal(repository.specifiers?.[specifier], version, specifier);
  }
  for (const [entry, value] of Object.entries(example.npm ?? {})) {
    assert.deepEqual(repository.npm?.[entry], value, entry);
  }
});
