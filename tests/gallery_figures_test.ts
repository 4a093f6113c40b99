/**
 * The gallery's interactive figures in headless Chromium, on a small page the
 * gallery's own renderer makes from figures drawn by lib/plot: an imshow
 * figure (physical axes), an imshowFacets figure and a view with two volumes.
 * tests/_gallery_figures_driver.ts (a separate `deno run --allow-all`
 * process, as playwright-core needs) zooms, pans, reads out values by mouse
 * and touch, resets, switches the 3-D view's volume and measures text sizes
 * at a 390-px phone width; this file computes what it must see from the data.
 */

import { assertEquals } from "./_gallery_assert.ts";
import { join, resolve } from "node:path";
import ndarray from "npm:ndarray@1.1.1";
import { encodeView, imshow, imshowFacets } from "../lib/plot/mod.ts";
import { renderExamplePage } from "../gallery/_render.ts";
import { parseExample } from "../gallery/_parse.ts";
import { recordEnvironment } from "../gallery/_environment.ts";
import type { ExampleRecord } from "../gallery/_record.ts";
import type { OutputFile } from "../gallery/_outputs.ts";
import { serveSite } from "../gallery/serve.ts";
import { runBrowserDriver } from "./_browser_driver_process.ts";

const ROOT = resolve(import.meta.dirname!, "..");

/** What the driver checks, computed here from the figures' data. */
export interface FigurePageExpectations {
  /** The imshow figure: a pixel, where to point, and the readout it must give. */
  image: {
    row: number;
    col: number;
    rows: number;
    cols: number;
    readout: string;
  };
  /** A second pixel of it, read by touch. */
  touch: { row: number; col: number; readout: string };
  /** A pixel of the facets' second panel and its readout. */
  facet: {
    row: number;
    col: number;
    rows: number;
    cols: number;
    readout: string;
  };
  /** The 3-D view's volumes: title, value name and the colour bar's end labels. */
  volumes: { title: string; label: string; ends: [string, string] }[];
  /** The 3-D view's axis names. */
  axisNames: string[];
  /** Physical distance from the first to the last voxel centre along each axis. */
  axisExtents: { x: number; y: number; z: number };
}

Deno.test("gallery figures in Chromium: zoom, pan, readout by mouse and touch, reset, 3-D volume switch, 10-px text at 390 px", async () => {
  const site = await Deno.makeTempDir({ prefix: "stria-gallery-figures-" });
  const server = serveSite(site, 0);
  try {
    const rows = 6, cols = 8;
    const ramp = ndarray(
      Float64Array.from(
        { length: rows * cols },
        (_, i) => 100 * Math.floor(i / cols) + (i % cols),
      ),
      [rows, cols],
    );
    const image = imshow(ramp, {
      title: "Interactive ramp in the box frame",
      labels: { color: "intensity" },
      physicalSizes: { Y: 0.5, X: 0.25 },
      physicalUnit: "µm",
    });
    const facetValues = (k: number) =>
      ndarray(
        Float64Array.from({ length: 20 }, (_, i) =>
          k * 10 + Math.floor(i / 5) + (i % 5) / 4),
        [4, 5],
      );
    const facets = imshowFacets([facetValues(0), facetValues(1)], {
      titles: ["X-Z at row 2", "Y-Z at col 3"],
      title: "Two sections",
      cmap: "viridis",
      labels: { x: "col", y: "plane", color: "eigenvalue" },
      width: 900,
    });
    const volume = (k: number) =>
      ndarray(
        Float32Array.from({ length: 4 * 5 * 6 }, (_, i) => (i * (k + 1)) % 17),
        [4, 5, 6],
      );
    const view = encodeView({
      title: "Two volumes",
      widgets: ["slices", "3d"],
      physicalSizes: { Z: 2, Y: 0.5, X: 0.5 },
      physicalUnit: "µm",
      panels: [
        { title: "sample", volume: volume(0), label: "intensity" },
        {
          title: "eigenvalue rank 0",
          volume: volume(1),
          cmap: "viridis",
          label: "eigenvalue",
          vmin: 0,
          vmax: 0.25,
        },
      ],
    });

    const folder = join(site, "outputs", "figures");
    await Deno.mkdir(folder, { recursive: true });
    const texts = new Map<string, string>([
      ["ramp.svg", image.svg],
      ["facets.svg", facets.svg],
      ["volumes.view.json", JSON.stringify(view)],
    ]);
    const files: OutputFile[] = [];
    for (const [name, text] of texts) {
      await Deno.writeTextFile(join(folder, name), text);
      files.push({
        name,
        kind: name.endsWith(".svg") ? "figure" : "view",
        sha256: "",
        bytes: text.length,
        title: name === "ramp.svg"
          ? image.title
          : name === "facets.svg"
          ? facets.title
          : view.title,
        embeddedPngSha256: [],
      });
    }
    await Deno.mkdir(join(site, "static"));
    for (const asset of ["gallery.css", "gallery.js"]) {
      await Deno.copyFile(
        join(ROOT, "gallery/static", asset),
        join(site, "static", asset),
      );
    }
    const record: ExampleRecord = {
      name: "figures",
      title: "Figures",
      summary: "Interactive figures.",
      key: "",
      ok: true,
      exitCode: 0,
      timedOut: false,
      wallSeconds: 1,
      peakMemoryBytes: 1e6,
      memoryMethod: "none",
      command: [],
      synthetic: true,
      datasets: [],
      dataLine: "",
      ranAt: "2026-12-01T00:00:00.000Z",
      environment: await recordEnvironment(ROOT),
      cells: [{ codeIndex: 0, stdout: "", stderr: "", files, seconds: 1 }],
    };
    const parsed = parseExample(
      "// # Figures\n//\n// Interactive figures.\nconsole.log(1);\n",
    );
    await Deno.writeTextFile(
      join(site, "figures.html"),
      renderExamplePage(record, parsed, texts, new Map()),
    );

    const value = (array: typeof ramp, r: number, c: number) =>
      String(array.get(r, c));
    const expected: FigurePageExpectations = {
      image: {
        row: 2,
        col: 3,
        rows,
        cols,
        readout: `x ${3 * 0.25} µm, y ${
          2 * 0.5
        } µm (col 3, row 2) → intensity ${value(ramp, 2, 3)}`,
      },
      touch: {
        row: 4,
        col: 6,
        readout: `x ${6 * 0.25} µm, y ${
          4 * 0.5
        } µm (col 6, row 4) → intensity ${value(ramp, 4, 6)}`,
      },
      facet: {
        row: 3,
        col: 1,
        rows: 4,
        cols: 5,
        readout: `Y-Z at col 3: col 1, plane 3 → eigenvalue ${
          value(facetValues(1), 3, 1)
        }`,
      },
      volumes: view.panels.map((panel) => ({
        title: panel.title,
        label: `${panel.label} (${panel.cmap})`,
        ends: [String(panel.vmin), String(panel.vmax)],
      })),
      axisNames: ["x (µm)", "y (µm)", "z (µm)"],
      axisExtents: {
        x: (view.shape[2] - 1) * view.physicalSizes.X,
        y: (view.shape[1] - 1) * view.physicalSizes.Y,
        z: (view.shape[0] - 1) * view.physicalSizes.Z,
      },
    };
    const { success, report } = await runBrowserDriver(
      "_gallery_figures_driver.ts",
      [
        `http://127.0.0.1:${server.addr.port}/figures.html`,
        JSON.stringify(expected),
      ],
    );
    assertEquals(success, true, `figure checks failed:\n${report}`);
  } finally {
    await server.shutdown();
    await Deno.remove(site, { recursive: true });
  }
});
