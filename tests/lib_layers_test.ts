/**
 * The library's layers point one way: `lib/parallel` is generic and imports
 * nothing of the features, no module of `lib/` takes part in an import cycle,
 * and `lib/` names no bare specifier (so `mod.ts` works imported by URL).
 *
 * @module
 */

import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LIB = join(ROOT, "lib");
/** Static imports and re-exports: `import … from "x"`, `export … from "x"`, `import "x"`. */
const IMPORT =
  /^\s*(?:import|export)\s+(?:type\s+)?(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm;
/** Modules reached at run time: `import("x")`, and `new URL("x", import.meta.url)` (workers). */
const REFERENCE =
  /\bimport\(\s*["']([^"']+)["']|new URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url/g;

async function modulesUnder(folder: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(folder)) {
    const path = join(folder, entry.name);
    if (entry.isDirectory) files.push(...await modulesUnder(path));
    else if (/\.(ts|js)$/.test(entry.name)) files.push(path);
  }
  return files.sort();
}

/**
 * Each module of `lib/` with the specifiers it imports statically, or also
 * those it reaches at run time (`withReferences`).
 */
async function importGraph(
  withReferences = false,
): Promise<Map<string, string[]>> {
  const graph = new Map<string, string[]>();
  for (const file of await modulesUnder(LIB)) {
    // Documentation examples are not the module's imports.
    const code = (await Deno.readTextFile(file)).replace(
      /\/\*\*[\s\S]*?\*\//g,
      "",
    );
    const specifiers = [...code.matchAll(IMPORT)].map((m) => m[1]);
    if (withReferences) {
      specifiers.push(
        ...[...code.matchAll(REFERENCE)].map((m) => m[1] ?? m[2]),
      );
    }
    graph.set(file, specifiers);
  }
  return graph;
}

/** The local modules a module imports, as absolute paths. */
function localImports(file: string, specifiers: string[]): string[] {
  return specifiers.filter((s) => s.startsWith(".")).map((s) =>
    resolve(dirname(file), s)
  );
}

Deno.test("lib/parallel imports or loads only lib/parallel and the shared error helpers", async () => {
  const graph = await importGraph(true);
  const allowed = new Set([join(LIB, "_errors.ts")]);
  const outside: string[] = [];
  for (const [file, specifiers] of graph) {
    if (!file.startsWith(join(LIB, "parallel") + "/")) continue;
    for (const target of localImports(file, specifiers)) {
      if (
        !target.startsWith(join(LIB, "parallel") + "/") && !allowed.has(target)
      ) {
        outside.push(`${relative(ROOT, file)} -> ${relative(ROOT, target)}`);
      }
    }
    const bare = specifiers.filter((s) =>
      !s.startsWith(".") && !s.startsWith("node:")
    );
    assert.deepEqual(bare, [], `${relative(ROOT, file)} imports packages`);
  }
  assert.deepEqual(outside, []);
});

Deno.test("no module of lib/ is part of an import cycle", async () => {
  const graph = await importGraph();
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      const cycle = path.slice(path.indexOf(file)).concat(file);
      cycles.push(cycle.map((f) => relative(ROOT, f)).join(" -> "));
      return;
    }
    state.set(file, "open");
    for (const target of localImports(file, graph.get(file) ?? [])) {
      if (graph.has(target)) visit(target, [...path, file]);
    }
    state.set(file, "done");
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});

Deno.test("lib/ imports packages only by versioned npm: or node: specifiers", async () => {
  const graph = await importGraph();
  const bare: string[] = [];
  for (const [file, specifiers] of graph) {
    for (const s of specifiers) {
      if (s.startsWith(".") || s.startsWith("node:")) continue;
      if (!/^npm:(@[^/@]+\/)?[^/@]+@\d/.test(s)) {
        bare.push(`${relative(ROOT, file)}: ${s}`);
      }
    }
  }
  assert.deepEqual(bare, []);
});
