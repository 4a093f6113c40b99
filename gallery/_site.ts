/**
 * Writes the site's files into a (new) site folder: the static assets, each
 * example's source and page, the index, the times page and `build.json`; and
 * carries a kept example's outputs over from the previous site.
 *
 * @module
 */

import { dirname, join } from "node:path";
import { writeFileAtomic } from "../lib/_atomic_write.ts";
import type { ParsedExample } from "./_parse.ts";
import {
  type BuildRecord,
  type ExampleRecord,
  outputFolder,
  recordedOutputs,
} from "./_record.ts";
import {
  examplePage,
  renderExamplePage,
  renderIndex,
  renderTimesPage,
  sourceFile,
} from "./_render.ts";
import { readBenchResults } from "./_bench.ts";

const STATIC_DIR = new URL("static/", import.meta.url);

/** Where a site's files come from besides the build record. */
export interface SiteSources {
  /** Parsed examples by name; a record without one gets a page from its record alone. */
  readonly parsedByName: ReadonlyMap<string, ParsedExample>;
  /** Folder of the example scripts, copied to `sources/`. */
  readonly examplesDir: string;
  /** Folder of `stria-bench` results for the times page. */
  readonly benchDir: string;
}

/**
 * Links (or, across file systems, copies) the output files `record` refers to
 * from `fromSite` into `toSite`, so a cached example keeps its outputs in a
 * new site folder without running again. Files missing in `fromSite` are
 * skipped (the page then shows them missing, as before).
 *
 * @example
 * ```ts
 * import { carryOverOutputs } from "./_site.ts";
 *
 * const from = await Deno.makeTempDir();
 * const to = await Deno.makeTempDir();
 * await Deno.mkdir(`${from}/outputs/ex`, { recursive: true });
 * await Deno.writeTextFile(`${from}/outputs/ex/f.svg`, "<svg/>");
 * const file = { name: "f.svg", kind: "figure" as const, sha256: "", bytes: 6, title: "", embeddedPngSha256: [] };
 * const record = { name: "ex", cells: [{ codeIndex: 0, stdout: "", stderr: "", files: [file], seconds: 0 }] };
 * await carryOverOutputs(from, to, record as never);
 * const text = await Deno.readTextFile(`${to}/outputs/ex/f.svg`);
 * if (text !== "<svg/>") throw new Error(text);
 * console.log(text); // <svg/>
 * await Deno.remove(from, { recursive: true });
 * await Deno.remove(to, { recursive: true });
 * ```
 */
export async function carryOverOutputs(
  fromSite: string,
  toSite: string,
  record: ExampleRecord,
): Promise<void> {
  for (const output of recordedOutputs(record)) {
    const from = join(fromSite, output);
    const to = join(toSite, output);
    await Deno.mkdir(dirname(to), { recursive: true });
    try {
      await Deno.link(from, to);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) continue;
      await Deno.copyFile(from, to);
    }
  }
}

/** The text of a file, or "" when it cannot be read (a missing output). */
async function readTextOrEmpty(path: string): Promise<string> {
  return await Deno.readTextFile(path).catch(() => "");
}

/**
 * Writes every page of `build` into `siteDir`, whose `outputs/` already hold
 * the examples' outputs (the interactive views are embedded in the pages).
 * `build.json` is written last. Each file is written atomically.
 *
 * @example
 * ```ts
 * import { writeSite } from "./_site.ts";
 * import { recordEnvironment } from "./_environment.ts";
 *
 * const site = await Deno.makeTempDir();
 * const environment = await recordEnvironment(Deno.cwd());
 * const build = { format: "stria-gallery-build", version: 1, builtAt: "", buildSeconds: 0, synthetic: true, environment, examples: [] } as const;
 * await writeSite(build, site, { parsedByName: new Map(), examplesDir: site, benchDir: `${site}/none` });
 * const index = await Deno.readTextFile(`${site}/index.html`);
 * if (!index.startsWith("<!DOCTYPE html>")) throw new Error(index.slice(0, 40));
 * console.log(JSON.parse(await Deno.readTextFile(`${site}/build.json`)).examples); // []
 * await Deno.remove(site, { recursive: true });
 * ```
 */
export async function writeSite(
  build: BuildRecord,
  siteDir: string,
  sources: SiteSources,
): Promise<void> {
  const write = (path: string, content: string | Uint8Array) =>
    writeFileAtomic("buildGallery", join(siteDir, path), content, {
      createFolder: true,
    });
  for await (const entry of Deno.readDir(STATIC_DIR)) {
    if (entry.isFile) {
      await write(
        join("static", entry.name),
        await Deno.readFile(new URL(entry.name, STATIC_DIR)),
      );
    }
  }
  for (const record of build.examples) {
    await write(
      sourceFile(record.name),
      await Deno.readFile(join(sources.examplesDir, `${record.name}.ts`)),
    );
    const parsed = sources.parsedByName.get(record.name) ?? {
      title: record.title,
      summary: record.summary,
      intro: "",
      permissions: [],
      datasets: [],
      cells: [],
    };
    const views = new Map<string, string>();
    for (const file of record.cells.flatMap((c) => c.files)) {
      if (file.kind !== "view") continue;
      const text = await readTextOrEmpty(
        join(siteDir, outputFolder(record.name), file.name),
      );
      if (text) views.set(file.name, text);
    }
    await write(
      examplePage(record.name),
      renderExamplePage(record, parsed, views),
    );
  }
  await write("index.html", renderIndex(build));
  await write(
    "times.html",
    renderTimesPage(build, await readBenchResults(sources.benchDir)),
  );
  await write("build.json", JSON.stringify(build, null, 1) + "\n");
}
