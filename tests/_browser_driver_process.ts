/**
 * Helpers shared by the gallery's browser tests: running a playwright-core
 * driver script in its own `deno run --allow-all` process (playwright-core
 * probes paths Deno refuses without --allow-all), and a checksum of a canvas'
 * pixels for "did it redraw" checks.
 *
 * @module
 */

import { join, resolve } from "node:path";
import type { Page } from "playwright-core";

const ROOT = resolve(import.meta.dirname!, "..");

/** Runs `tests/<script>` with `args`; returns whether it succeeded and its stdout + stderr. */
export async function runBrowserDriver(
  script: string,
  args: readonly string[],
): Promise<{ success: boolean; report: string }> {
  const driver = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", join(ROOT, "tests", script), ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const report = new TextDecoder().decode(driver.stdout) +
    new TextDecoder().decode(driver.stderr);
  return { success: driver.success, report };
}

/** A checksum of every pixel of the canvas matching `selector`. */
export async function canvasChecksum(
  page: Page,
  selector: string,
): Promise<number> {
  return await page.evaluate((s) => {
    const canvas = document.querySelector(s) as HTMLCanvasElement;
    const data =
      canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height)
        .data;
    let sum = 0;
    for (let i = 0; i < data.length; i++) {
      sum = (sum * 31 + data[i] * (i + 1)) % 2147483647;
    }
    return sum;
  }, selector);
}
