/**
 * The options of a gallery build or check, and how the command line sets them.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { resolve } from "node:path";

/** Options of one gallery build or check. */
export interface BuildOptions {
  /** Repository root: the examples run from here (deno.json, deno.lock). */
  readonly root: string;
  readonly examplesDir: string;
  readonly siteDir: string;
  readonly synthetic: boolean;
  /** Build only these examples (names without `.ts`); others keep their recorded pages. */
  readonly only: readonly string[];
  readonly jobs: number;
  readonly force: boolean;
  readonly timeoutSeconds: number;
  /** Called with one progress line per example. */
  readonly log: (line: string) => void;
  /** Folder of `stria-bench` results for the times page; default `ROOT/bench/results`. */
  readonly benchDir?: string;
  /**
   * URL of the repository root that the notebooks and zipped scripts import
   * from (their `../mod.ts` becomes `SOURCE_URL/mod.ts`); default the root
   * as a `file:` URL, for notebooks run on this machine.
   */
  readonly sourceUrl?: string;
}

/** The command line's usage text. */
export const USAGE = `Usage: deno task gallery [options]

Builds the static gallery site from the literate scripts in examples/.

  --synthetic      pass --synthetic to every example (the datasets' stand-ins)
  --only NAME      build only examples/NAME.ts (repeatable)
  --jobs N         run N examples at once (default 1)
  --force          re-run every example, ignoring the cache
  --check          re-run and compare with the recorded build (exit 1 on differences)
  --examples DIR   folder of example scripts (default examples)
  --site DIR       output folder (default gallery/site)
  --timeout S      kill an example after S seconds (default 600)
  --source-url URL the repository root the notebooks and zipped scripts import
                   from, and the API reference's source links point to
                   (default this checkout as a file: URL)
  --help           show this text`;

/** What the command line asks for. */
export type Command =
  | { readonly kind: "help" }
  | { readonly kind: "build" | "check"; readonly options: BuildOptions };

/**
 * Reads the command line (relative folders resolve against `root`); throws an
 * error naming the flag and the value when one does not fit.
 *
 * @example
 * ```ts
 * import { parseBuildArguments } from "./_options.ts";
 *
 * const command = parseBuildArguments(["--check", "--jobs", "2"], "/repo", () => {});
 * if (command.kind !== "check" || command.options.jobs !== 2) throw new Error(command.kind);
 * console.log(command.kind, command.options.siteDir); // check /repo/gallery/site
 * ```
 */
export function parseBuildArguments(
  args: readonly string[],
  root: string,
  log: (line: string) => void,
): Command {
  const { values } = parseArgs({
    args: [...args],
    options: {
      help: { type: "boolean", default: false },
      synthetic: { type: "boolean", default: false },
      only: { type: "string", multiple: true, default: [] },
      jobs: { type: "string", default: "1" },
      force: { type: "boolean", default: false },
      check: { type: "boolean", default: false },
      examples: { type: "string", default: "examples" },
      site: { type: "string", default: "gallery/site" },
      timeout: { type: "string", default: "600" },
      "source-url": { type: "string" },
    },
  });
  if (values.help) return { kind: "help" };
  const jobs = Number(values.jobs);
  const timeoutSeconds = Number(values.timeout);
  if (!Number.isInteger(jobs) || jobs < 1) {
    throw new Error(
      `--jobs must be an integer >= 1, got ${JSON.stringify(values.jobs)}`,
    );
  }
  if (!(timeoutSeconds > 0)) {
    throw new Error(
      `--timeout must be a number of seconds > 0, got ${
        JSON.stringify(values.timeout)
      }`,
    );
  }
  const sourceUrl = values["source-url"];
  if (sourceUrl !== undefined && !URL.canParse(sourceUrl)) {
    throw new Error(
      `--source-url must be an absolute URL, got ${JSON.stringify(sourceUrl)}`,
    );
  }
  return {
    kind: values.check ? "check" : "build",
    options: {
      root,
      examplesDir: resolve(root, values.examples),
      siteDir: resolve(root, values.site),
      synthetic: values.synthetic,
      only: values.only,
      jobs,
      force: values.force,
      timeoutSeconds,
      log,
      ...(sourceUrl === undefined ? {} : { sourceUrl }),
    },
  };
}
