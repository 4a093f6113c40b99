/**
 * Side-by-side speed, memory and agreement of stria and scikit-image 0.19
 * (Debian's python3-skimage) on the structure tensor + eigenvalues of seeded
 * uint16 volumes, sigma (1, 1.5, 2.5), mode "constant".
 *
 * Each volume is generated once, here, and written as raw little-endian
 * uint16 bytes that every side reads, so they see identical inputs. The
 * sides: stria's fused `structureTensorEigenvaluesOfImage` in float64 and
 * float32, the tutorial's two steps (`structureTensor` then
 * `structureTensorEigenvalues`, float64), and scikit-image. Every timed run
 * is its own subprocess (stria's after one warm-up on a small volume), so
 * the peak resident set size (VmHWM) reported is that run's alone; the sides
 * alternate, run by run (`alternateRuns`), so a change in the machine's load
 * reaches all of them. Each time and peak is the median over `--runs` runs
 * (default 5). Prints a table and writes `bench/results/compare_skimage.json`
 * (the gallery's "stria-bench" format, plus the raw rows with every run).
 *
 * Usage (Deno 2 reads /proc, for the CPU name and the peak memory, only with
 * every permission):
 *   deno run --allow-all scripts/compare_skimage.ts [--sizes 16x128x128,16x512x512] [--skip-skimage-above VOXELS] [--runs N] [--analysis-size 16x512x512|none] [--out FILE]
 *
 * Then the orientation row (`scripts/_compare_analysis.ts`): eigenvalues,
 * eigenvectors and FA with `structureTensorAnalysis` against scikit-image's
 * `structure_tensor` + `numpy.linalg.eigh`, on `--analysis-size`, alternated
 * in the same way. The machine is shared, so single runs vary by 10 to 30%.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { writeFileAtomic } from "../lib/_atomic_write.ts";
import { seededVolume } from "../bench/_seeded_volume.ts";
import {
  alternateRuns,
  median,
  readFloat64,
  readRawVolume,
  WARM_UP_SHAPE,
} from "./_compare_files.ts";
import { structureTensor } from "../lib/feature/structure_tensor.ts";
import { structureTensorEigenvalues } from "../lib/feature/structure_tensor_eigenvalues.ts";
import { structureTensorEigenvaluesOfImage } from "../lib/feature/structure_tensor_eigenvalues_of_image.ts";
import {
  type AnalysisRow,
  compareAnalysis,
  printAnalysisRow,
  runAnalysisTimings,
} from "./_compare_analysis.ts";

const SIGMA = [1, 1.5, 2.5] as const;
const DEFAULT_SIZES = "16x128x128,16x256x256,16x512x512,32x512x512,64x512x512";
const PYTHON = "/usr/bin/python3";

/** One size's measurements. */
interface Row {
  shape: number[];
  voxels: number;
  striaFloat64Ms: number;
  striaFloat32Ms: number;
  /** The tutorial's two steps, float64. */
  twoStepMs: number;
  skimageMs: number | null;
  /** Every timed run (ms), whose medians are the times above. */
  runs: {
    striaFloat64: number[];
    striaFloat32: number[];
    twoStep: number[];
    skimage: number[] | null;
  };
  striaPeakMB: number;
  striaFloat32PeakMB: number;
  twoStepPeakMB: number;
  skimagePeakMB: number | null;
  maxRelDiff: number | null;
  maxRelDiffFloat32: number;
  /** Whether the fused float64 eigenvalues equal the two steps' bit for bit. */
  twoStepIdentical: boolean;
}

/** What a timing subprocess reports: one run. */
interface Measured {
  ms: number;
  peakMB: number;
  skimage?: string;
}

/** The stria functions timed: the fused path, or the tutorial's two steps. */
type StriaApi = "fused" | "two-step";

/** Peak resident set size of this process, MB (Linux). */
function peakMB(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const match = status.match(/^VmHWM:\s+(\d+) kB/m);
  if (match === null) throw new Error("VmHWM not found in /proc/self/status");
  return Number(match[1]) / 1024;
}

/**
 * Subprocess mode: one timed stria run of `api` (the two steps in float64
 * only); its eigenvalues written as little-endian float64 to `output` unless
 * that is "-".
 */
function runStria(
  input: string,
  shape: number[],
  api: StriaApi,
  precision: "float64" | "float32",
  output: string,
): void {
  const volume = readRawVolume(input, shape);
  const options = { sigma: [...SIGMA], precision };
  const eigenvalues = (image: typeof volume) =>
    api === "fused"
      ? structureTensorEigenvaluesOfImage(image, options)
      : structureTensorEigenvalues(
        structureTensor(image, { sigma: options.sigma }),
      );
  eigenvalues(seededVolume(WARM_UP_SHAPE));
  const start = performance.now();
  const eigen = eigenvalues(volume);
  const ms = performance.now() - start;
  const peak = peakMB();
  if (output !== "-") {
    const values = Float64Array.from(eigen.data);
    Deno.writeFileSync(output, new Uint8Array(values.buffer));
  }
  console.log(JSON.stringify({ ms, peakMB: peak }));
}

/** Runs a timing subprocess; its last stdout line is the JSON it reports. */
async function subprocess<T = Measured>(
  command: string,
  args: string[],
): Promise<T> {
  const { code, stdout, stderr } = await new Deno.Command(command, {
    args,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(stdout).trim();
  if (code !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} failed (${code}): ${
        new TextDecoder().decode(stderr)
      }`,
    );
  }
  return JSON.parse(text.split("\n").at(-1)!);
}

/** max |a - b| over max |b|. */
function maxRelativeDifference(a: Float64Array, b: Float64Array): number {
  let diff = 0;
  let largest = 0;
  for (let i = 0; i < b.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
    largest = Math.max(largest, Math.abs(b[i]));
  }
  return largest === 0 ? diff : diff / largest;
}

function machineDescription(): string {
  let cpu = "unknown CPU";
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo").match(
      /^model name\s*:\s*(.+)$/m,
    );
    if (info) cpu = info[1].trim();
  } catch { /* not Linux: keep the generic name */ }
  const memory = Math.round(Deno.systemMemoryInfo().total / 2 ** 30);
  return `${cpu}, ${navigator.hardwareConcurrency} logical cores, ${memory} GiB, ${Deno.build.os}, Deno ${Deno.version.deno}`;
}

async function compare(
  sizes: number[][],
  skipAbove: number,
  outPath: string,
  runs: number,
  analysisShape: number[] | null,
): Promise<void> {
  const script = new URL(import.meta.url).pathname;
  const helper =
    new URL("./skimage_structure_tensor.py", import.meta.url).pathname;
  const dir = Deno.makeTempDirSync({ prefix: "stria_compare_" });
  const rows: Row[] = [];
  let analysis: AnalysisRow | null = null;
  let skimageVersion = "";
  try {
    for (const shape of sizes) {
      const voxels = shape.reduce((a, b) => a * b, 1);
      const input = join(dir, "volume.raw");
      Deno.writeFileSync(
        input,
        new Uint8Array(seededVolume(shape).data.buffer),
      );
      const dims = shape.map(String);
      const output = (name: string, round: number) =>
        round === 0 ? join(dir, `${name}.raw`) : "-";
      const stria =
        (api: StriaApi, precision: string, name: string) => (round: number) =>
          subprocess(Deno.execPath(), [
            "run",
            // Reading /proc/self/status (the peak RSS) needs every permission in Deno 2.
            "--allow-all",
            script,
            "--run-stria",
            input,
            ...dims,
            api,
            precision,
            output(name, round),
          ]);
      const sides: Record<string, (round: number) => Promise<Measured>> = {
        striaFloat64: stria("fused", "float64", "stria_float64"),
        striaFloat32: stria("fused", "float32", "stria_float32"),
        twoStep: stria("two-step", "float64", "two_step"),
      };
      const withSkimage = voxels <= skipAbove;
      if (withSkimage) {
        // The helper writes its eigenvalues after its one timed run.
        sides.skimage = () =>
          subprocess(PYTHON, [
            helper,
            input,
            ...dims,
            ...SIGMA.map(String),
            join(dir, "skimage.raw"),
          ]);
      }
      const measured = await alternateRuns(runs, sides);
      const timesOf = (name: string) => measured[name].map((m) => m.ms);
      const msOf = (name: string) => median(timesOf(name));
      const peakOf = (name: string) =>
        median(measured[name].map((m) => m.peakMB));
      if (withSkimage) {
        skimageVersion = measured.skimage[0].skimage ?? skimageVersion;
      }
      const fused = readFloat64(join(dir, "stria_float64.raw"));
      const twoStep = readFloat64(join(dir, "two_step.raw"));
      const reference = withSkimage
        ? readFloat64(join(dir, "skimage.raw"))
        : fused;
      const row: Row = {
        shape,
        voxels,
        striaFloat64Ms: msOf("striaFloat64"),
        striaFloat32Ms: msOf("striaFloat32"),
        twoStepMs: msOf("twoStep"),
        skimageMs: withSkimage ? msOf("skimage") : null,
        runs: {
          striaFloat64: timesOf("striaFloat64"),
          striaFloat32: timesOf("striaFloat32"),
          twoStep: timesOf("twoStep"),
          skimage: withSkimage ? timesOf("skimage") : null,
        },
        striaPeakMB: peakOf("striaFloat64"),
        striaFloat32PeakMB: peakOf("striaFloat32"),
        twoStepPeakMB: peakOf("twoStep"),
        skimagePeakMB: withSkimage ? peakOf("skimage") : null,
        maxRelDiff: withSkimage
          ? maxRelativeDifference(fused, reference)
          : null,
        maxRelDiffFloat32: maxRelativeDifference(
          readFloat64(join(dir, "stria_float32.raw")),
          reference,
        ),
        twoStepIdentical: fused.length === twoStep.length &&
          fused.every((value, i) => Object.is(value, twoStep[i])),
      };
      rows.push(row);
      printRow(row, rows.length === 1);
    }
    if (analysisShape !== null) {
      analysis = await compareAnalysis(
        dir,
        analysisShape,
        SIGMA,
        runs,
        subprocess,
        script,
        PYTHON,
      );
      printAnalysisRow(analysis);
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  const machine = machineDescription();
  const generatedAt = new Date().toISOString();
  const point = (row: Row, ms: number) => ({
    shape: row.shape,
    voxels: row.voxels,
    voxelsPerSecond: row.voxels / (ms / 1000),
  });
  const result = {
    format: "stria-bench",
    version: 1,
    title:
      "structure tensor + eigenvalues, sigma (1, 1.5, 2.5): stria vs scikit-image",
    machine,
    date: generatedAt.slice(0, 10),
    generatedAt,
    skimage: skimageVersion,
    series: [
      {
        name: "stria float64",
        points: rows.map((r) => point(r, r.striaFloat64Ms)),
      },
      {
        name: "stria float32",
        points: rows.map((r) => point(r, r.striaFloat32Ms)),
      },
      {
        name: "stria two steps float64",
        points: rows.map((r) => point(r, r.twoStepMs)),
      },
      {
        name: `scikit-image ${skimageVersion}`.trim(),
        points: rows.filter((r) => r.skimageMs !== null).map((r) =>
          point(r, r.skimageMs!)
        ),
      },
    ].filter((series) => series.points.length > 0),
    rows,
    analysis,
  };
  await writeFileAtomic(
    "compare_skimage",
    outPath,
    JSON.stringify(result, null, 2) + "\n",
    { createFolder: true },
  );
  console.log(`\n${machine}\nwrote ${outPath}`);
}

function printRow(row: Row, header: boolean): void {
  const columns = [
    "shape",
    "stria f64 ms",
    "stria f32 ms",
    "two-step ms",
    "skimage ms",
    "ratio f64",
    "ratio f32",
    "ratio two-step",
    "stria MB",
    "f32 MB",
    "skimage MB",
    "mem ratio",
    "max rel diff",
    "f32 rel diff",
    "fused = two-step",
  ];
  const fixed = (value: number | null, digits = 0) =>
    value === null ? "skipped" : value.toFixed(digits);
  const ratio = (a: number | null, b: number) =>
    a === null ? "-" : `${(a / b).toFixed(1)}x`;
  const cells = [
    row.shape.join("x"),
    fixed(row.striaFloat64Ms),
    fixed(row.striaFloat32Ms),
    fixed(row.twoStepMs),
    fixed(row.skimageMs),
    ratio(row.skimageMs, row.striaFloat64Ms),
    ratio(row.skimageMs, row.striaFloat32Ms),
    ratio(row.skimageMs, row.twoStepMs),
    fixed(row.striaPeakMB),
    fixed(row.striaFloat32PeakMB),
    fixed(row.skimagePeakMB),
    row.skimagePeakMB === null
      ? "-"
      : (row.striaPeakMB / row.skimagePeakMB).toFixed(2),
    row.maxRelDiff === null ? "-" : row.maxRelDiff.toExponential(1),
    row.maxRelDiffFloat32.toExponential(1),
    row.twoStepIdentical ? "bit for bit" : "DIFFERS",
  ];
  if (header) {
    console.log(`| ${columns.join(" | ")} |`);
    console.log(`|${columns.map(() => "---").join("|")}|`);
  }
  console.log(`| ${cells.join(" | ")} |`);
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({
    args: Deno.args,
    allowPositionals: true,
    options: {
      "run-stria": { type: "boolean", default: false },
      "run-analysis": { type: "boolean", default: false },
      "analysis-size": { type: "string", default: "16x512x512" },
      sizes: { type: "string", default: DEFAULT_SIZES },
      "skip-skimage-above": { type: "string", default: String(2 ** 30) },
      out: { type: "string", default: "bench/results/compare_skimage.json" },
      runs: { type: "string", default: "5" },
    },
  });
  if (values["run-analysis"]) {
    const [input, z, y, x, output] = positionals;
    runAnalysisTimings(input, [z, y, x].map(Number), SIGMA, output);
  } else if (values["run-stria"]) {
    const [input, z, y, x, api, precision, output] = positionals;
    if (api !== "fused" && api !== "two-step") {
      throw new Error(`unknown API ${api}`);
    }
    if (precision !== "float64" && precision !== "float32") {
      throw new Error(`unknown precision ${precision}`);
    }
    if (api === "two-step" && precision !== "float64") {
      throw new Error("the two steps are timed in float64 only");
    }
    runStria(input, [z, y, x].map(Number), api, precision, output);
  } else {
    const sizes = values.sizes.split(",").map((size) =>
      size.split("x").map(Number)
    );
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) {
      throw new Error(
        `--runs: expected a positive integer, got ${values.runs}`,
      );
    }
    await compare(
      sizes,
      Number(values["skip-skimage-above"]),
      values.out,
      runs,
      values["analysis-size"] === "none"
        ? null
        : values["analysis-size"].split("x").map(Number),
    );
  }
}
