/**
 * The machine-readable build record, `build.json` next to the site: everything
 * needed to rebuild the pages without rerunning and to check reproducibility.
 *
 * @module
 */

import { join } from "node:path";
import type { Environment } from "./_environment.ts";
import type { CellRun, RunResult } from "./_run.ts";
import { datasetRegistry } from "../lib/data/registry.ts";

/** Format name written in `build.json`. */
export const BUILD_FORMAT = "stria-gallery-build";
/** Version of the `build.json` format. */
export const BUILD_VERSION = 1;

/** A dataset an example uses, as recorded for its page. */
export interface DatasetUse {
  readonly name: string;
  /** Registry sha256, or "unknown" when the registry does not list the name. */
  readonly sha256: string;
  /** Whether the real file or the synthetic stand-in was used. */
  readonly source: "real" | "synthetic";
}

/** One code cell's recorded output. */
export type CellRecord = CellRun;

/** Everything recorded about one example: how it ran, and what it is. */
export interface ExampleRecord extends RunResult {
  /** File name without `.ts`. */
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly key: string;
  readonly synthetic: boolean;
  readonly datasets: readonly DatasetUse[];
  /** The first printed line that starts with "data" (the example's own statement of its data). */
  readonly dataLine: string;
  /** ISO time of the run that produced this record. */
  readonly ranAt: string;
  readonly environment: Environment;
}

/** The whole `build.json`. */
export interface BuildRecord {
  readonly format: typeof BUILD_FORMAT;
  readonly version: typeof BUILD_VERSION;
  readonly builtAt: string;
  /** Wall time of the build command itself. */
  readonly buildSeconds: number;
  readonly synthetic: boolean;
  readonly environment: Environment;
  readonly examples: readonly ExampleRecord[];
}

/**
 * Site-relative folder holding an example's outputs.
 *
 * @example
 * ```ts
 * import { outputFolder } from "./_record.ts";
 *
 * console.log(outputFolder("anisotropy_3d")); // outputs/anisotropy_3d
 * ```
 */
export function outputFolder(name: string): string {
  return `outputs/${name}`;
}

/**
 * Every site-relative output path an example record refers to.
 *
 * @example
 * ```ts
 * import { recordedOutputs } from "./_record.ts";
 *
 * const file = { name: "f.svg", kind: "figure" as const, sha256: "", bytes: 0, title: "", embeddedPngSha256: [] };
 * const cells = [{ codeIndex: 1, stdout: "", stderr: "", files: [file], seconds: 0 }];
 * console.log(recordedOutputs({ name: "ex", cells } as never)); // ["outputs/ex/f.svg"]
 * ```
 */
export function recordedOutputs(record: ExampleRecord): string[] {
  return record.cells.flatMap((cell) =>
    cell.files.map((file) => `${outputFolder(record.name)}/${file.name}`)
  );
}

/**
 * The datasets an example names in its header, with their registry sha256.
 *
 * @example
 * ```ts
 * import { datasetUses } from "./_record.ts";
 *
 * const [use] = datasetUses(["no-such-dataset"], true);
 * if (use.sha256 !== "unknown" || use.source !== "synthetic") throw new Error(JSON.stringify(use));
 * console.log(use.sha256, use.source); // unknown synthetic
 * ```
 */
export function datasetUses(
  names: readonly string[],
  synthetic: boolean,
): DatasetUse[] {
  return names.map((name) => ({
    name,
    sha256: Object.hasOwn(datasetRegistry, name)
      ? datasetRegistry[name].sha256
      : "unknown",
    source: synthetic ? "synthetic" : "real",
  }));
}

/**
 * Reads a previous `build.json`, or undefined when there is none or it is of another format.
 *
 * @example
 * ```ts
 * import { readBuildRecord } from "./_record.ts";
 *
 * const record = await readBuildRecord("/nonexistent/site");
 * if (record !== undefined) throw new Error("found a record");
 * console.log(record); // undefined
 * ```
 */
export async function readBuildRecord(
  siteDir: string,
): Promise<BuildRecord | undefined> {
  try {
    const record = JSON.parse(
      await Deno.readTextFile(join(siteDir, "build.json")),
    );
    return record?.format === BUILD_FORMAT && record.version === BUILD_VERSION
      ? record
      : undefined;
  } catch {
    return undefined;
  }
}
