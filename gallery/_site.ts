/**
 * Writes the site's files into a (new) site folder: the static assets, the
 * API reference, each example's source, notebook and page, the zip of every
 * example, the index, the times page and `build.json`; and carries a kept
 * example's outputs over from the previous site.
 *
 * @module
 */

import { dirname, join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { writeFileAtomic } from "../lib/_atomic_write.ts";
import type { ParsedExample } from "./_parse.ts";
import {
  type BuildRecord,
  type ExampleRecord,
  outputFolder,
  recordedOutputs,
} from "./_record.ts";
import {
  encodePath,
  examplePage,
  EXAMPLES_ZIP,
  notebookFile,
  renderExamplePage,
  renderIndex,
  renderTimesPage,
  sourceFile,
} from "./_render.ts";
import { readBenchResults } from "./_bench.ts";
import {
  apiImports,
  type Backreference,
  completeApiPages,
  linkedApiNames,
  writeApiReference,
} from "./_api.ts";
import { exampleNotebook, resolveRelativeImports } from "./_notebook.ts";
import { zipArchive, type ZipEntry } from "./_zip.ts";

const STATIC_DIR = new URL("static/", import.meta.url);

/** Where a site's files come from besides the build record. */
export interface SiteSources {
  /** Parsed examples by name; a record without one gets a page from its record alone. */
  readonly parsedByName: ReadonlyMap<string, ParsedExample>;
  /** Folder of the example scripts, copied to `sources/`. */
  readonly examplesDir: string;
  /** Folder of `stria-bench` results for the times page. */
  readonly benchDir: string;
  /** Repository root: its `mod.ts` is documented under `api/`. */
  readonly root: string;
  /**
   * URL of the repository root as the notebooks and zipped scripts import it:
   * their relative imports are resolved against
   * `sourceUrl + (the script's path relative to root)`. Ends with `/`.
   */
  readonly sourceUrl: string;
}

/** Files of the examples folder that the zip carries along: its Deno config and lock pin the npm packages. */
const ZIPPED_CONFIG = ["deno.jsonc", "deno.json", "deno.lock"];
/** The folder the zip unpacks into. */
const ZIP_FOLDER = "stria_examples";

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
 * the examples' outputs (the interactive views are embedded in the pages):
 * the API reference first (code cells link to its pages, which then get
 * their backreferences), a notebook per example and the zip of every script
 * and notebook. `build.json` is written last. Each file is written
 * atomically.
 *
 * @example
 * ```ts
 * import { writeSite } from "./_site.ts";
 * import { recordEnvironment } from "./_environment.ts";
 *
 * const site = await Deno.makeTempDir();
 * const environment = await recordEnvironment(Deno.cwd());
 * const build = { format: "stria-gallery-build", version: 1, builtAt: "", buildSeconds: 0, synthetic: true, environment, examples: [] } as const;
 * const root = Deno.cwd();
 * await writeSite(build, site, { parsedByName: new Map(), examplesDir: site, benchDir: `${site}/none`, root, sourceUrl: "file:///repo/" });
 * const index = await Deno.readTextFile(`${site}/index.html`);
 * if (!(await Deno.stat(`${site}/api/~/structureTensor.html`)).isFile) throw new Error("no API page");
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
  const moduleUrl = pathToFileURL(join(sources.root, "mod.ts")).href;
  const apiNames = await writeApiReference(
    join(sources.root, "mod.ts"),
    siteDir,
  );
  const uses = new Map<string, Backreference[]>();
  const zipped: ZipEntry[] = [];
  for (const name of ZIPPED_CONFIG) {
    const data = await Deno.readFile(join(sources.examplesDir, name)).catch(
      (error) => {
        if (error instanceof Deno.errors.NotFound) return undefined;
        throw error;
      },
    );
    if (data) zipped.push({ name: `${ZIP_FOLDER}/${name}`, data });
  }
  for (const record of build.examples) {
    const scriptPath = join(sources.examplesDir, `${record.name}.ts`);
    const source = await Deno.readTextFile(scriptPath);
    await write(sourceFile(record.name), source);
    const scriptUrl = new URL(
      relative(sources.root, scriptPath),
      sources.sourceUrl,
    ).href;
    const parsed = sources.parsedByName.get(record.name) ?? {
      title: record.title,
      summary: record.summary,
      intro: "",
      permissions: [],
      datasets: [],
      cells: [],
    };
    // Views and SVG figures are read in: the page inlines both (an inline SVG
    // figure zooms, pans and reads out its values).
    const views = new Map<string, string>();
    for (const file of record.cells.flatMap((c) => c.files)) {
      const inlined = file.kind === "view" ||
        (file.kind === "figure" && file.name.endsWith(".svg"));
      if (!inlined) continue;
      const text = await readTextOrEmpty(
        join(siteDir, outputFolder(record.name), file.name),
      );
      if (text) views.set(file.name, text);
    }
    const code = parsed.cells.filter((c) => c.kind === "code").map((c) =>
      c.text
    ).join("\n");
    const html = renderExamplePage(
      record,
      parsed,
      views,
      apiImports(
        code,
        pathToFileURL(scriptPath).href,
        moduleUrl,
        apiNames,
      ),
    );
    await write(examplePage(record.name), html);
    for (const name of linkedApiNames(html)) {
      if (!uses.has(name)) uses.set(name, []);
      uses.get(name)!.push({
        href: encodePath(examplePage(record.name)),
        title: record.title,
      });
    }
    const notebook = exampleNotebook(parsed, scriptUrl, record.synthetic);
    await write(notebookFile(record.name), notebook);
    const encoder = new TextEncoder();
    zipped.push(
      {
        name: `${ZIP_FOLDER}/${record.name}.ts`,
        data: encoder.encode(resolveRelativeImports(source, scriptUrl)),
      },
      {
        name: `${ZIP_FOLDER}/${record.name}.ipynb`,
        data: encoder.encode(notebook),
      },
    );
  }
  await completeApiPages(siteDir, uses, sources);
  await write(EXAMPLES_ZIP, zipArchive(zipped));
  await write("index.html", renderIndex(build));
  await write(
    "times.html",
    renderTimesPage(build, await readBenchResults(sources.benchDir)),
  );
  await write("build.json", JSON.stringify(build, null, 1) + "\n");
}
