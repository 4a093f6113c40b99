/**
 * Side-by-side speed, memory and agreement of stria and scikit-image 0.19
 * (Debian's python3-skimage) on the structure tensor + eigenvalues of seeded
 * uint16 volumes, sigma (1, 1.5, 2.5), mode "constant".
 *
 * Each volume is generated once, here, and written as raw little-endian
 * uint16 bytes that both sides read, so they see identical inputs. Each run
 * (stria float64, stria float32, scikit-image) is its own subprocess, so the
 * peak resident set size (VmHWM) reported is that run's alone. Prints a table
 * and writes `bench/results/compare_skimage.json` (the gallery's
 * "stria-bench" format, plus the raw rows).
 *
 * Usage (Deno 2 reads /proc, for the CPU name and the peak memory, only with
 * every permission):
 *   deno run --allow-all scripts/compare_skimage.ts [--sizes 16x128x128,16x512x512] [--skip-skimage-above VOXELS] [--repeat N] [--analysis-size 16x512x512|none] [--out FILE]
 *
 * Then the orientation row (`scripts/_compare_analysis.ts`): eigenvalues,
 * eigenvectors and FA with `structureTensorAnalysis` against scikit-image's
 * `structure_tensor` + `numpy.linalg.eigh`, on `--analysis-size`.
 *
 * Each side's time is the median of N runs (default 3) in its subprocess,
 * after one warm-up on a small volume for stria; peak memory is that of the
 * first run. The machine is shared, so single runs vary by 10 to 30%.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { join } from "node:path";
import { writeFileAtomic } from "../lib/_atomic_write.ts";
import { seededVolume } from "../bench/_seeded_volume.ts";
import { median, readFloat64, readRawVolume } from "./_compare_files.ts";
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
  skimageMs: number | null;
  /** Every timed run (ms), whose medians are the three times above. */
  runs: {
    striaFloat64: number[];
    striaFloat32: number[];
    skimage: number[] | null;
  };
  striaPeakMB: number;
  striaFloat32PeakMB: number;
  skimagePeakMB: number | null;
  maxRelDiff: number | null;
  maxRelDiffFloat32: number;
}

/** Peak resident set size of this process, MB (Linux). */
function peakMB(): number {
  const status = Deno.readTextFileSync("/proc/self/status");
  const match = status.match(/^VmHWM:\s+(\d+) kB/m);
  if (match === null) throw new Error("VmHWM not found in /proc/self/status");
  return Number(match[1]) / 1024;
}

/** Subprocess mode: one timed stria run, eigenvalues written as float64 (little-endian). */
function runStria(
  input: string,
  shape: number[],
  precision: "float64" | "float32",
  output: string,
  repeat: number,
): void {
  const volume = readRawVolume(input, shape);
  // Warm the JIT on a small volume first, as scikit-image's compiled code needs no warming.
  structureTensorEigenvaluesOfImage(
    seededVolume([8, 64, 64]),
    { sigma: [...SIGMA], precision },
  );
  // Peak memory is that of the first run; the time is the median of `repeat` runs.
  const times: number[] = [];
  let peak = 0;
  for (let run = 0; run < repeat; run++) {
    const start = performance.now();
    const eigen = structureTensorEigenvaluesOfImage(volume, {
      sigma: [...SIGMA],
      precision,
    });
    times.push(performance.now() - start);
    if (run === 0) {
      peak = peakMB();
      const values = Float64Array.from(eigen.data);
      Deno.writeFileSync(output, new Uint8Array(values.buffer));
    }
  }
  console.log(JSON.stringify({ ms: median(times), runs: times, peakMB: peak }));
}

/** Runs a timing subprocess; its last stdout line is the JSON it reports. */
async function subprocess<
  T = {
    ms: number;
    runs: number[];
    peakMB: number;
    skimage?: string;
  },
>(command: string, args: string[]): Promise<T> {
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
  repeat: number,
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
      const stria = (precision: string) =>
        subprocess(Deno.execPath(), [
          "run",
          // Reading /proc/self/status (the peak RSS) needs every permission in Deno 2.
          "--allow-all",
          script,
          "--run-stria",
          input,
          ...dims,
          precision,
          join(dir, `stria_${precision}.raw`),
          "--repeat",
          String(repeat),
        ]);
      const f64 = await stria("float64");
      const f32 = await stria("float32");
      let skimage:
        | { ms: number; runs: number[]; peakMB: number; skimage?: string }
        | null = null;
      if (voxels <= skipAbove) {
        const measured = await subprocess(PYTHON, [
          helper,
          input,
          ...dims,
          ...SIGMA.map(String),
          join(dir, "skimage.raw"),
          String(repeat),
        ]);
        skimage = measured;
        skimageVersion = measured.skimage ?? skimageVersion;
      }
      const reference = skimage
        ? readFloat64(join(dir, "skimage.raw"))
        : readFloat64(join(dir, "stria_float64.raw"));
      const row: Row = {
        shape,
        voxels,
        striaFloat64Ms: f64.ms,
        striaFloat32Ms: f32.ms,
        skimageMs: skimage?.ms ?? null,
        runs: {
          striaFloat64: f64.runs,
          striaFloat32: f32.runs,
          skimage: skimage?.runs ?? null,
        },
        striaPeakMB: f64.peakMB,
        striaFloat32PeakMB: f32.peakMB,
        skimagePeakMB: skimage?.peakMB ?? null,
        maxRelDiff: skimage
          ? maxRelativeDifference(
            readFloat64(join(dir, "stria_float64.raw")),
            reference,
          )
          : null,
        maxRelDiffFloat32: maxRelativeDifference(
          readFloat64(join(dir, "stria_float32.raw")),
          reference,
        ),
      };
      rows.push(row);
      printRow(row, rows.length === 1);
    }
    if (analysisShape !== null) {
      analysis = await compareAnalysis(
        dir,
        analysisShape,
        SIGMA,
        repeat,
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
    "skimage ms",
    "ratio f64",
    "ratio f32",
    "stria MB",
    "f32 MB",
    "skimage MB",
    "mem ratio",
    "max rel diff",
    "f32 rel diff",
  ];
  const fixed = (value: number | null, digits = 0) =>
    value === null ? "skipped" : value.toFixed(digits);
  const ratio = (a: number | null, b: number) =>
    a === null ? "-" : `${(a / b).toFixed(1)}x`;
  const cells = [
    row.shape.join("x"),
    fixed(row.striaFloat64Ms),
    fixed(row.striaFloat32Ms),
    fixed(row.skimageMs),
    ratio(row.skimageMs, row.striaFloat64Ms),
    ratio(row.skimageMs, row.striaFloat32Ms),
    fixed(row.striaPeakMB),
    fixed(row.striaFloat32PeakMB),
    fixed(row.skimagePeakMB),
    row.skimagePeakMB === null
      ? "-"
      : (row.striaPeakMB / row.skimagePeakMB).toFixed(2),
    row.maxRelDiff === null ? "-" : row.maxRelDiff.toExponential(1),
    row.maxRelDiffFloat32.toExponential(1),
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
      repeat: { type: "string", default: "3" },
    },
  });
  if (values["run-analysis"]) {
    const [input, z, y, x, output] = positionals;
    runAnalysisTimings(
      input,
      [z, y, x].map(Number),
      SIGMA,
      Number(values.repeat),
      output,
    );
  } else if (values["run-stria"]) {
    const [input, z, y, x, precision, output] = positionals;
    if (precision !== "float64" && precision !== "float32") {
      throw new Error(`unknown precision ${precision}`);
    }
    runStria(
      input,
      [z, y, x].map(Number),
      precision,
      output,
      Number(values.repeat),
    );
  } else {
    const sizes = values.sizes.split(",").map((size) =>
      size.split("x").map(Number)
    );
    const repeat = Number(values.repeat);
    if (!Number.isInteger(repeat) || repeat < 1) {
      throw new Error(
        `--repeat: expected a positive integer, got ${values.repeat}`,
      );
    }
    await compare(
      sizes,
      Number(values["skip-skimage-above"]),
      values.out,
      repeat,
      values["analysis-size"] === "none"
        ? null
        : values["analysis-size"].split("x").map(Number),
    );
  }
}
