/**
 * The reproducibility check (`--check`): re-runs recorded examples and
 * compares each with its record.
 *
 * @module
 */

import { join } from "node:path";
import { type ParsedExample, parseExample } from "./_parse.ts";
import { recordEnvironment } from "./_environment.ts";
import { compareOutput, DEFAULT_RELATIVE_TOLERANCE } from "./_compare.ts";
import { type ExampleRecord, readBuildRecord } from "./_record.ts";
import { progressLine, recordExampleRun } from "./_example_record.ts";
import { mapConcurrently } from "./_pool.ts";
import type { BuildOptions } from "./_options.ts";

/** One difference found by the reproducibility check. */
export interface CheckDifference {
  readonly example: string;
  /** Code cell index, or -1 for the example as a whole. */
  readonly cell: number;
  readonly what: string;
  readonly old: string;
  readonly new: string;
}

/**
 * Compares a fresh run with its record: status, each cell's printed output
 * (numbers within `rtol`, other text exactly) and each output file by sha256,
 * including PNG payloads embedded in SVGs.
 *
 * @example
 * ```ts
 * import { compareRecords } from "./_check.ts";
 *
 * const cell = { codeIndex: 0, stdout: "x = 1\n", stderr: "", files: [], seconds: 0 };
 * const record = { name: "a", ok: true, cells: [cell] };
 * console.log(compareRecords(record, { ...record, cells: [{ ...cell, stdout: "x = 2\n" }] }).length); // 1
 * ```
 */
export function compareRecords(
  old: Pick<ExampleRecord, "name" | "ok" | "cells">,
  fresh: Pick<ExampleRecord, "name" | "ok" | "cells">,
  rtol: number = DEFAULT_RELATIVE_TOLERANCE,
): CheckDifference[] {
  const differences: CheckDifference[] = [];
  const add = (cell: number, what: string, a: string, b: string) =>
    differences.push({ example: old.name, cell, what, old: a, new: b });
  if (old.ok !== fresh.ok) {
    add(-1, "status", old.ok ? "ok" : "failed", fresh.ok ? "ok" : "failed");
  }
  const freshCells = new Map(fresh.cells.map((c) => [c.codeIndex, c]));
  const indexes = new Set([
    ...old.cells.map((c) => c.codeIndex),
    ...fresh.cells.map((c) => c.codeIndex),
  ]);
  for (const index of [...indexes].sort((a, b) => a - b)) {
    const a = old.cells.find((c) => c.codeIndex === index);
    const b = freshCells.get(index);
    if (!a || !b) {
      add(index, "cell", a ? "present" : "absent", b ? "present" : "absent");
      continue;
    }
    for (const d of compareOutput(a.stdout, b.stdout, rtol)) {
      add(index, `output line ${d.line}`, d.old ?? "(none)", d.new ?? "(none)");
    }
    const filesA = new Map(a.files.map((f) => [f.name, f]));
    const filesB = new Map(b.files.map((f) => [f.name, f]));
    for (
      const name of [...new Set([...filesA.keys(), ...filesB.keys()])].sort()
    ) {
      const fa = filesA.get(name);
      const fb = filesB.get(name);
      if (!fa || !fb) {
        add(
          index,
          `file ${name}`,
          fa ? fa.sha256 : "(absent)",
          fb ? fb.sha256 : "(absent)",
        );
        continue;
      }
      if (fa.sha256 === fb.sha256) continue;
      const pngCount = Math.max(
        fa.embeddedPngSha256.length,
        fb.embeddedPngSha256.length,
      );
      const changedPngs = Array.from({ length: pngCount }, (_, i) => i).filter((
        i,
      ) => fa.embeddedPngSha256[i] !== fb.embeddedPngSha256[i]);
      for (const i of changedPngs) {
        add(
          index,
          `file ${name} embedded PNG #${i + 1}`,
          fa.embeddedPngSha256[i] ?? "(absent)",
          fb.embeddedPngSha256[i] ?? "(absent)",
        );
      }
      if (changedPngs.length === 0) {
        add(index, `file ${name}`, fa.sha256, fb.sha256);
      }
    }
  }
  return differences;
}

/**
 * Re-runs every recorded example (or those in `only`) into a temporary folder and compares.
 *
 * @example
 * ```ts
 * import { checkGallery } from "./_check.ts";
 *
 * const site = await Deno.makeTempDir();
 * const options = { root: ".", examplesDir: ".", siteDir: site, synthetic: true, only: [], jobs: 1, force: false, timeoutSeconds: 60, log: () => {} };
 * console.log(await checkGallery(options).catch((e) => e.message.startsWith("no build record"))); // true
 * await Deno.remove(site, { recursive: true });
 * ```
 */
export async function checkGallery(
  options: BuildOptions,
): Promise<CheckDifference[]> {
  const recorded = await readBuildRecord(options.siteDir);
  if (!recorded) {
    throw new Error(
      `no build record at ${
        join(options.siteDir, "build.json")
      }; build the gallery first`,
    );
  }
  const environment = await recordEnvironment(options.root);
  const selected = recorded.examples.filter((e) =>
    !options.only.length || options.only.includes(e.name)
  );
  const scratch = await Deno.makeTempDir({ prefix: "stria-gallery-check-" });
  try {
    const differences = await mapConcurrently(
      selected,
      options.jobs,
      async (old) => {
        const script = join(options.examplesDir, `${old.name}.ts`);
        let parsed: ParsedExample;
        try {
          parsed = parseExample(await Deno.readTextFile(script));
        } catch (error) {
          return [{
            example: old.name,
            cell: -1,
            what: "parse",
            old: "parsed",
            new: String(error),
          }];
        }
        const fresh = await recordExampleRun({
          root: options.root,
          script,
          name: old.name,
          parsed,
          outDir: join(scratch, old.name),
          synthetic: old.synthetic,
          timeoutSeconds: options.timeoutSeconds,
          key: old.key,
          environment,
        });
        const found = compareRecords(old, fresh);
        options.log(
          progressLine(old.name, found.length ? "DIFFERS" : "same", fresh),
        );
        return found;
      },
    );
    return differences.flat();
  } finally {
    await Deno.remove(scratch, { recursive: true }).catch(() => {});
  }
}
