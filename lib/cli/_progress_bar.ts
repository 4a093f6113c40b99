/**
 * The progress bar `stria analyze` draws on stderr while it computes: drawn
 * only when stderr is a terminal, so logs and pipes get nothing.
 *
 * @module
 */

/**
 * One line of the bar: `label [#####-----] done/total  percent%`, the bar
 * `width` characters wide.
 */
export function renderProgressBar(
  label: string,
  done: number,
  total: number,
  width = 30,
): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * width);
  const percent = Math.floor(fraction * 100);
  return `${label} [${"#".repeat(filled)}${
    "-".repeat(width - filled)
  }] ${done}/${total} ${String(percent).padStart(3)}%`;
}

/** A progress bar over `total` steps. */
export interface ProgressBar {
  /** Counts `steps` more steps done and redraws. */
  advance(steps?: number): void;
  /** Ends the bar's line. */
  finish(): void;
}

/** The output the bar writes to: stderr, or a stand-in. */
export interface ProgressOutput {
  isTerminal(): boolean;
  writeSync(bytes: Uint8Array): number;
}

/**
 * A bar over `total` steps drawn on `output` (default stderr), redrawn in
 * place; it draws nothing when `output` is not a terminal.
 */
export function progressBar(
  label: string,
  total: number,
  output: ProgressOutput = Deno.stderr,
): ProgressBar {
  if (!output.isTerminal()) return { advance() {}, finish() {} };
  const encoder = new TextEncoder();
  let done = 0;
  const draw = () =>
    output.writeSync(
      encoder.encode(`\r${renderProgressBar(label, done, total)}`),
    );
  draw();
  return {
    advance(steps = 1) {
      done += steps;
      draw();
    },
    finish() {
      output.writeSync(encoder.encode("\n"));
    },
  };
}
