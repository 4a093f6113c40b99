/**
 * Builds the example gallery: runs every script in `examples/` (each in its own
 * Deno subprocess with exactly its declared permissions), records output,
 * figures, time and memory per cell in `build.json`, and writes static pages.
 * The new site is written into a temporary folder that replaces the site
 * folder only once complete.
 *
 * Usage: `deno task gallery [--synthetic] [--only NAME] [--jobs N] [--force]
 * [--check] [--examples DIR] [--site DIR] [--timeout SECONDS] [--source-url URL]`
 *
 * `--check` re-runs every example and compares it with the recorded build
 * instead of building; it exits non-zero on any difference.
 *
 * @module
 */

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type ParsedExample, parseExample } from "./_parse.ts";
import { exampleKey, mustRun } from "./_cache.ts";
import { recordEnvironment } from "./_environment.ts";
import { DEFAULT_RELATIVE_TOLERANCE } from "./_compare.ts";
import {
  BUILD_FORMAT,
  BUILD_VERSION,
  type BuildRecord,
  datasetUses,
  type ExampleRecord,
  outputFolder,
  readBuildRecord,
  recordedOutputs,
} from "./_record.ts";
import {
  parseFailureRecord,
  progressLine,
  recordExampleRun,
} from "./_example_record.ts";
import { formatSeconds } from "./_render.ts";
import { mapConcurrently } from "./_pool.ts";
import { carryOverOutputs, writeSite } from "./_site.ts";
import { writeFolderAtomic } from "./_atomic_folder.ts";
import { checkGallery } from "./_check.ts";
import { type BuildOptions, parseBuildArguments, USAGE } from "./_options.ts";

export type { BuildOptions } from "./_options.ts";

/** The outcome of {@linkcode buildGallery}. */
export interface BuildOutcome {
  readonly build: BuildRecord;
  /** Names of the examples that failed. */
  readonly failed: readonly string[];
  /** Names of the examples that were re-run (not taken from the cache). */
  readonly ran: readonly string[];
}

/**
 * Example scripts in a folder: `*.ts`, excluding hidden and `_`-prefixed files, sorted.
 *
 * @example
 * ```ts
 * import { listExamples } from "./build.ts";
 *
 * const fixtures = new URL("../tests/fixtures/gallery/examples", import.meta.url).pathname;
 * const names = await listExamples(fixtures);
 * if (names.join() !== "broken,hello_figures,volume_view") throw new Error(names.join());
 * console.log(names); // ["broken", "hello_figures", "volume_view"]
 * ```
 */
export async function listExamples(dir: string): Promise<string[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (
      entry.isFile && entry.name.endsWith(".ts") && !/^[._]/.test(entry.name)
    ) names.push(entry.name.slice(0, -3));
  }
  return names.sort();
}

/**
 * Builds (or incrementally rebuilds) the gallery site: examples whose cache
 * key is unchanged keep their records and outputs; the others run again. The
 * site folder is replaced as a whole, so a failed build leaves the previous
 * site as it was.
 *
 * @example
 * ```ts
 * import { buildGallery } from "./build.ts";
 *
 * const examples = await Deno.makeTempDir();
 * const site = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${examples}/hi.ts`, "// # Hi\n//\n// Prints hi.\nconsole.log(\"hi\");\n");
 * const outcome = await buildGallery({
 *   root: Deno.cwd(),
 *   examplesDir: examples,
 *   siteDir: site,
 *   synthetic: true,
 *   only: [],
 *   jobs: 1,
 *   force: false,
 *   timeoutSeconds: 60,
 *   log: () => {},
 * });
 * const stdout = outcome.build.examples[0].cells[0].stdout;
 * if (outcome.failed.length || stdout !== "hi\n") throw new Error(stdout);
 * console.log(outcome.failed, stdout); // [] hi
 * await Deno.remove(examples, { recursive: true });
 * await Deno.remove(site, { recursive: true });
 * ```
 */
export async function buildGallery(
  options: BuildOptions,
): Promise<BuildOutcome> {
  const t0 = performance.now();
  const { root, examplesDir, siteDir, synthetic, log } = options;
  const environment = await recordEnvironment(root);
  const previous = await readBuildRecord(siteDir);
  const previousByName = new Map(
    (previous?.examples ?? []).map((e) => [e.name, e]),
  );
  const names = await listExamples(examplesDir);
  for (const name of options.only) {
    if (!names.includes(name)) {
      throw new Error(
        `--only ${name}: no example ${name}.ts in ${examplesDir}`,
      );
    }
  }
  const selected = options.only.length
    ? names.filter((n) => options.only.includes(n))
    : names;
  const outputExists = (path: string) => {
    try {
      return Deno.statSync(join(siteDir, path)).isFile;
    } catch {
      return false;
    }
  };

  return await writeFolderAtomic("buildGallery", siteDir, async (newSite) => {
    const parsedByName = new Map<string, ParsedExample>();
    const ran: string[] = [];
    const keep = async (record: ExampleRecord) => {
      await carryOverOutputs(siteDir, newSite, record);
      return record;
    };
    const results = await mapConcurrently(
      names,
      options.jobs,
      async (name): Promise<ExampleRecord | null> => {
        const script = join(examplesDir, `${name}.ts`);
        const old = previousByName.get(name);
        let parsed: ParsedExample;
        try {
          parsed = parseExample(await Deno.readTextFile(script));
        } catch (error) {
          const record = parseFailureRecord(
            name,
            error,
            synthetic,
            environment,
          );
          log(progressLine(name, "FAILED", record));
          return record;
        }
        parsedByName.set(name, parsed);
        // With --only, the other examples keep their recorded pages, or stay out if never built.
        if (!selected.includes(name)) return old ? await keep(old) : null;
        const datasets = datasetUses(parsed.datasets, synthetic);
        const key = await exampleKey(root, script, datasets, synthetic);
        if (
          old &&
          !mustRun(
            { key: old.key, ok: old.ok, outputs: recordedOutputs(old) },
            key,
            options.force,
            outputExists,
          )
        ) {
          log(progressLine(name, "cached", old));
          return await keep(old);
        }
        const record = await recordExampleRun({
          root,
          script,
          name,
          parsed,
          outDir: join(newSite, outputFolder(name)),
          synthetic,
          timeoutSeconds: options.timeoutSeconds,
          key,
          environment,
        });
        ran.push(name);
        log(progressLine(name, record.ok ? "ok" : "FAILED", record));
        // The record names the folder the outputs end up in, not the temporary one.
        return {
          ...record,
          command: record.command.map((arg) =>
            arg.replaceAll(newSite, siteDir)
          ),
        };
      },
    );

    const records = results.filter((record): record is ExampleRecord =>
      record !== null
    );
    const build: BuildRecord = {
      format: BUILD_FORMAT,
      version: BUILD_VERSION,
      builtAt: new Date().toISOString(),
      buildSeconds: (performance.now() - t0) / 1000,
      synthetic,
      environment,
      examples: records,
    };
    await writeSite(build, newSite, {
      parsedByName,
      examplesDir,
      benchDir: options.benchDir ?? join(root, "bench", "results"),
      root,
      sourceUrl: directoryUrl(options.sourceUrl ?? pathToFileURL(root).href),
    });
    return {
      build,
      failed: records.filter((r) => !r.ok).map((r) => r.name),
      ran,
    };
  });
}

/** `url` as a folder's URL, ending with `/`, so that paths resolve inside it. */
function directoryUrl(url: string): string {
  return url.endsWith("/") ? url : `${url}/`;
}

async function main(): Promise<number> {
  let command;
  try {
    command = parseBuildArguments(
      Deno.args,
      Deno.cwd(),
      (line) => console.log(line),
    );
  } catch (error) {
    console.error(`gallery: ${(error as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (command.kind === "help") {
    console.log(USAGE);
    return 0;
  }
  const { options } = command;
  if (command.kind === "check") {
    const differences = await checkGallery(options);
    for (const d of differences) {
      console.log(
        `${d.example}${
          d.cell >= 0 ? ` cell ${d.cell}` : ""
        }: ${d.what}\n  old: ${d.old}\n  new: ${d.new}`,
      );
    }
    if (differences.length) {
      const examples = [...new Set(differences.map((d) => d.example))];
      console.error(
        `gallery --check: ${differences.length} difference(s) in ${
          examples.join(", ")
        } (numbers compared with relative tolerance ${DEFAULT_RELATIVE_TOLERANCE})`,
      );
      return 1;
    }
    console.log(
      "gallery --check: every example reproduces its recorded output and figures",
    );
    return 0;
  }
  const outcome = await buildGallery(options);
  const examples = outcome.build.examples.length;
  console.log(
    `built ${examples} examples (${outcome.ran.length} run, ${
      examples - outcome.ran.length
    } cached) in ${formatSeconds(outcome.build.buildSeconds)}: ${
      join(options.siteDir, "index.html")
    }`,
  );
  if (outcome.failed.length) {
    console.error(
      `gallery: ${outcome.failed.length} example(s) failed: ${
        outcome.failed.join(", ")
      }`,
    );
    return 1;
  }
  return 0;
}

if (import.meta.main) Deno.exit(await main());
