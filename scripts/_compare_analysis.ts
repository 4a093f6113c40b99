/**
 * The orientation row of `deno task compare`: eigenvalues + all three
 * eigenvectors + fractional anisotropy of a seeded uint16 volume, stria's
 * fused `structureTensorAnalysis` against what a Python user writes
 * (scikit-image's `structure_tensor`, then `numpy.linalg.eigh`, then FA:
 * `scripts/numpy_eigh_analysis.py`), each side in its own process.
 *
 * Each stria process times one run each of the eigenvalues-only fused path
 * and the analysis in float64 and float32, one after the other, so the ratio
 * of the first two ("vectors cost") is measured under the same conditions;
 * stria's and Python's processes alternate (`alternateRuns`), and each time
 * is the median over the runs. The first stria process also measures
 * float32's eigenvector error against float64 (the largest angle times the
 * gap to the nearest eigenvalue over the volume's largest eigenvalue, on
 * voxels whose gap exceeds 1e-4 of it). The parent checks stria's float64
 * eigenvalues and vectors against eigh's on every `SAMPLE`-th voxel.
 *
 * @module
 */

import { join } from "node:path";
import { seededVolume } from "../bench/_seeded_volume.ts";
import {
  alternateRuns,
  median,
  readFloat64,
  readRawVolume,
  WARM_UP_SHAPE,
} from "./_compare_files.ts";
import { structureTensorAnalysis } from "../lib/feature/structure_tensor_analysis.ts";
import { structureTensorEigenvaluesOfImage } from "../lib/feature/structure_tensor_eigenvalues_of_image.ts";

/** Every SAMPLE-th voxel (C order) is compared with eigh's. */
const SAMPLE = 97;
const OUTPUTS = ["eigenvalues", "vectors", "fractionalAnisotropy"] as const;

/** What the orientation row reports. */
export interface AnalysisRow {
  shape: number[];
  /** Medians (ms) of the alternating runs, and every run. */
  eigenvaluesOnlyMs: number;
  analysisFloat64Ms: number;
  analysisFloat32Ms: number;
  pythonMs: number;
  runs: Record<string, number[]>;
  /** analysisFloat64Ms / eigenvaluesOnlyMs: what the vectors and FA add. */
  vectorsCost: number;
  /** pythonMs / analysisFloat64Ms and / analysisFloat32Ms. */
  ratioFloat64: number;
  ratioFloat32: number;
  /** Largest angle (rad) × gap / largest eigenvalue, float32 against float64 vectors. */
  float32VectorError: number;
  /** On the sampled voxels: max eigenvalue difference over the largest, and the smallest |v · v_eigh| where the gaps exceed 1e-4 relative. */
  eigenvalueRelDiff: number;
  minVectorDot: number;
}

/** The angle between two axes, from |a × b| and |a · b| (acos near 1 loses digits). */
function axisAngle(a: number[], b: number[]): number {
  const cross = Math.hypot(
    a[1] * b[2] - a[2] * b[1],
    a[2] * b[0] - a[0] * b[2],
    a[0] * b[1] - a[1] * b[0],
  );
  return Math.atan2(cross, Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]));
}

/**
 * Subprocess mode: one timed run of each function on the raw volume at
 * `input`, then, unless `output` is "-", the sampled float64 eigenvalues and
 * vectors written to `output` (as numpy_eigh_analysis.py does) and the
 * float32 error; prints one JSON line.
 */
export function runAnalysisTimings(
  input: string,
  shape: number[],
  sigma: readonly number[],
  output: string,
): void {
  const volume = readRawVolume(input, shape);
  const options = { sigma: [...sigma] };
  structureTensorAnalysis(seededVolume(WARM_UP_SHAPE), options);
  structureTensorAnalysis(seededVolume(WARM_UP_SHAPE), {
    ...options,
    precision: "float32",
  });
  const ms: Record<string, number> = {};
  const time = <T>(name: string, run: () => T): T => {
    const start = performance.now();
    const result = run();
    ms[name] = performance.now() - start;
    return result;
  };
  time(
    "eigenvaluesOnly",
    () => structureTensorEigenvaluesOfImage(volume, options),
  );
  const float64 = time(
    "analysisFloat64",
    () => structureTensorAnalysis(volume, { ...options, outputs: OUTPUTS }),
  );
  const float32 = time(
    "analysisFloat32",
    () =>
      structureTensorAnalysis(volume, {
        ...options,
        outputs: OUTPUTS,
        precision: "float32",
      }),
  );
  if (output === "-") {
    console.log(JSON.stringify({ ms, float32VectorError: null }));
    return;
  }
  const values = float64.eigenvalues!.data;
  const exact = float64.vectors!.data;
  const rounded = float32.vectors!.data;
  const size = values.length / 3;
  let largest = 0;
  for (let i = 0; i < size; i++) largest = Math.max(largest, values[i]);
  let error = 0;
  const vectorOf = (data: ArrayLike<number>, rank: number, i: number) =>
    [0, 1, 2].map((c) => data[(3 * rank + c) * size + i]);
  for (let i = 0; i < size; i++) {
    for (let rank = 0; rank < 3; rank++) {
      let gap = Infinity;
      for (let k = 0; k < 3; k++) {
        if (k !== rank) {
          gap = Math.min(
            gap,
            Math.abs(values[k * size + i] - values[rank * size + i]),
          );
        }
      }
      gap /= largest;
      if (!(gap > 1e-4)) continue;
      const angle = axisAngle(
        vectorOf(exact, rank, i),
        vectorOf(rounded, rank, i),
      );
      error = Math.max(error, angle * gap);
    }
  }
  const sampled: number[] = [];
  for (let i = 0; i < size; i += SAMPLE) {
    for (let k = 0; k < 3; k++) sampled.push(values[k * size + i]);
    for (let rank = 0; rank < 3; rank++) {
      sampled.push(...vectorOf(exact, rank, i));
    }
  }
  Deno.writeFileSync(output, new Uint8Array(Float64Array.from(sampled).buffer));
  console.log(JSON.stringify({ ms, float32VectorError: error }));
}

/** Runs both sides on `shape` (the volume written to `dir`) and returns the row. */
export async function compareAnalysis(
  dir: string,
  shape: number[],
  sigma: readonly number[],
  runs: number,
  run: <T>(command: string, args: string[]) => Promise<T>,
  script: string,
  pythonPath: string,
): Promise<AnalysisRow> {
  const input = join(dir, "analysis_volume.raw");
  Deno.writeFileSync(input, new Uint8Array(seededVolume(shape).data.buffer));
  const dims = shape.map(String);
  const striaOut = join(dir, "analysis_stria.raw");
  const pythonOut = join(dir, "analysis_python.raw");
  const helper = new URL("./numpy_eigh_analysis.py", import.meta.url).pathname;
  type Measured = {
    ms: number | Record<string, number>;
    float32VectorError?: number | null;
  };
  const measured = await alternateRuns<Measured>(runs, {
    stria: (round) =>
      run(Deno.execPath(), [
        "run",
        "--allow-all",
        script,
        "--run-analysis",
        input,
        ...dims,
        round === 0 ? striaOut : "-",
      ]),
    python: () =>
      run(pythonPath, [
        helper,
        input,
        ...dims,
        ...sigma.map(String),
        String(SAMPLE),
        pythonOut,
      ]),
  });
  const striaRuns = (name: string) =>
    measured.stria.map((m) => (m.ms as Record<string, number>)[name]);
  const pythonRuns = measured.python.map((m) => m.ms as number);
  const ours = readFloat64(striaOut);
  const theirs = readFloat64(pythonOut);
  let largest = 0;
  for (let j = 0; j < ours.length; j += 12) {
    largest = Math.max(largest, ours[j]);
  }
  let valueDiff = 0;
  let minDot = 1;
  for (let j = 0; j < ours.length; j += 12) {
    for (let k = 0; k < 3; k++) {
      valueDiff = Math.max(valueDiff, Math.abs(ours[j + k] - theirs[j + k]));
    }
    for (let rank = 0; rank < 3; rank++) {
      const gaps = [0, 1, 2].filter((k) => k !== rank).map((k) =>
        Math.abs(ours[j + k] - ours[j + rank]) / largest
      );
      if (!(Math.min(...gaps) > 1e-4)) continue;
      let dot = 0;
      for (let c = 0; c < 3; c++) {
        dot += ours[j + 3 + 3 * rank + c] * theirs[j + 3 + 3 * rank + c];
      }
      minDot = Math.min(minDot, Math.abs(dot));
    }
  }
  const names = ["eigenvaluesOnly", "analysisFloat64", "analysisFloat32"];
  const striaTimes = Object.fromEntries(
    names.map((name) => [name, striaRuns(name)]),
  );
  const eigenvaluesOnlyMs = median(striaTimes.eigenvaluesOnly);
  const analysisFloat64Ms = median(striaTimes.analysisFloat64);
  const analysisFloat32Ms = median(striaTimes.analysisFloat32);
  const pythonMs = median(pythonRuns);
  return {
    shape,
    eigenvaluesOnlyMs,
    analysisFloat64Ms,
    analysisFloat32Ms,
    pythonMs,
    runs: { ...striaTimes, python: pythonRuns },
    vectorsCost: analysisFloat64Ms / eigenvaluesOnlyMs,
    ratioFloat64: pythonMs / analysisFloat64Ms,
    ratioFloat32: pythonMs / analysisFloat32Ms,
    float32VectorError: measured.stria[0].float32VectorError!,
    eigenvalueRelDiff: valueDiff / largest,
    minVectorDot: minDot,
  };
}

/** The row as a Markdown table. */
export function printAnalysisRow(row: AnalysisRow): void {
  const ms = (value: number) => value.toFixed(0);
  console.log(
    "\n| shape | eigenvalues only ms | analysis f64 ms | analysis f32 ms | skimage + eigh + FA ms | ratio f64 | ratio f32 | vectors cost | f32 vector error | rel diff | 1 - min dot |",
  );
  console.log("|---|---|---|---|---|---|---|---|---|---|---|");
  console.log(
    `| ${row.shape.join("x")} | ${ms(row.eigenvaluesOnlyMs)} | ${
      ms(row.analysisFloat64Ms)
    } | ${ms(row.analysisFloat32Ms)} | ${ms(row.pythonMs)} | ${
      row.ratioFloat64.toFixed(1)
    }x | ${row.ratioFloat32.toFixed(1)}x | ${row.vectorsCost.toFixed(2)}x | ${
      row.float32VectorError.toExponential(1)
    } | ${row.eigenvalueRelDiff.toExponential(1)} | ${
      (1 - row.minVectorDot).toExponential(1)
    } |`,
  );
}
