/**
 * Download progress on stderr: a redrawn bar on a terminal, one line otherwise.
 *
 * @module
 */

/**
 * One progress report: bytes received so far and the expected total, if known.
 *
 * @example
 * ```ts
 * import type { DatasetProgress } from "./_progress.ts";
 *
 * const report = ({ loaded, total }: DatasetProgress) =>
 *   total === undefined ? `${loaded} bytes` : `${Math.round((100 * loaded) / total)}%`;
 * const text = report({ loaded: 50, total: 200, url: "https://example.org/a.tif" });
 * if (text !== "25%") throw new Error(text);
 * console.log(text); // 25%
 * ```
 */
export interface DatasetProgress {
  /** Bytes received (and hashed) so far. */
  readonly loaded: number;
  /** Expected size in bytes, from Content-Length, the file size or the registry; undefined if unknown. */
  readonly total: number | undefined;
  /** Where the bytes come from. */
  readonly url: string;
}

const encoder = new TextEncoder();
const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 24;

/** Writes all of `text` to stderr. */
export function writeStderr(text: string): void {
  const bytes = encoder.encode(text);
  let written = 0;
  while (written < bytes.length) {
    written += Deno.stderr.writeSync(bytes.subarray(written));
  }
}

/** `1234567` → `"1.2 MB"` (decimal units, as download tools show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** Seconds → `"42s"`, `"3m05s"`. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const whole = Math.ceil(seconds);
  if (whole < 60) return `${whole}s`;
  return `${Math.floor(whole / 60)}m${String(whole % 60).padStart(2, "0")}s`;
}

/** The terminal progress line: name, bar, size, rate and time left. */
export function formatProgressLine(
  label: string,
  loaded: number,
  total: number | undefined,
  elapsedSeconds: number,
): string {
  const rate = elapsedSeconds > 0 ? loaded / elapsedSeconds : 0;
  const rateText = `${formatBytes(Math.round(rate))}/s`;
  if (total === undefined || total <= 0) {
    return `${label}  ${formatBytes(loaded)}  ${rateText}`;
  }
  const fraction = Math.min(1, loaded / total);
  const filled = Math.round(fraction * BAR_WIDTH);
  const bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
  const eta = rate > 0 ? formatDuration((total - loaded) / rate) : "?";
  return `${label}  [${bar}] ${(fraction * 100).toFixed(0).padStart(3)}%  ` +
    `${formatBytes(loaded)} / ${formatBytes(total)}  ${rateText}  ETA ${eta}`;
}

/** Settings of one {@linkcode ProgressReporter}. */
export interface ProgressSettings {
  /** Shown before the bar, e.g. the file name. */
  readonly label: string;
  /** Where the file will be stored, for the one-line report. */
  readonly destination: string;
  /** No output on stderr. */
  readonly quiet: boolean;
  /** Called on every chunk. */
  readonly onProgress?: (progress: DatasetProgress) => void;
  /** Whether stderr is a terminal (decides bar versus single line). */
  readonly terminal: boolean;
}

/** Reports the progress of one download attempt. */
export class ProgressReporter {
  #settings: ProgressSettings;
  #url = "";
  #total: number | undefined;
  #startedAt = 0;
  #lastDrawAt = -Infinity;
  #drawn = false;

  constructor(settings: ProgressSettings) {
    this.#settings = settings;
  }

  /** The transfer begins (headers received): prints the one-line report off a terminal. */
  start(url: string, total: number | undefined): void {
    this.#url = url;
    this.#total = total;
    this.#startedAt = performance.now();
    const { quiet, terminal, destination } = this.#settings;
    if (!quiet && !terminal) {
      const size = total === undefined ? "" : ` (${formatBytes(total)})`;
      writeStderr(`stria: downloading ${url}${size} to ${destination}\n`);
    }
    this.#emit(0);
  }

  /** `loaded` bytes have arrived so far. */
  update(loaded: number): void {
    this.#emit(loaded);
    if (this.#settings.quiet || !this.#settings.terminal) return;
    const now = performance.now();
    if (now - this.#lastDrawAt < REDRAW_INTERVAL_MS) return;
    this.#lastDrawAt = now;
    this.#draw(loaded, now);
  }

  /** The transfer ended (successfully or not): completes the terminal bar. */
  finish(loaded: number): void {
    if (this.#settings.quiet || !this.#settings.terminal) return;
    this.#draw(loaded, performance.now());
    if (this.#drawn) writeStderr("\n");
  }

  #emit(loaded: number): void {
    this.#settings.onProgress?.({ loaded, total: this.#total, url: this.#url });
  }

  #draw(loaded: number, now: number): void {
    const line = formatProgressLine(
      this.#settings.label,
      loaded,
      this.#total,
      (now - this.#startedAt) / 1000,
    );
    writeStderr(`\r\x1b[K${line}`);
    this.#drawn = true;
  }
}
