/**
 * The browser half of tests/gallery_figures_test.ts, run by it in a separate
 * `deno run --allow-all` process (playwright-core needs it, see
 * tests/_gallery_browser_driver.ts).
 *
 * Usage: `deno run -A tests/_gallery_figures_driver.ts PAGE_URL EXPECTATIONS_JSON`.
 * Exits non-zero with the failed assertion on stderr.
 */

import { assert, assertEquals } from "./_gallery_assert.ts";
import { type CDPSession, chromium, type Page } from "playwright-core";
import { join, resolve } from "node:path";
import type { FigurePageExpectations } from "./gallery_figures_test.ts";
import { canvasChecksum } from "./_browser_driver_process.ts";

const SCREENSHOTS = join(
  resolve(import.meta.dirname!, ".."),
  "test-artifacts",
  "screenshots",
);
const IMAGE = ".stria-figure:nth-of-type(1)";
const FACETS = ".stria-figure:nth-of-type(2)";

const [url, expectationsJson] = Deno.args;
const expected = JSON.parse(expectationsJson) as FigurePageExpectations;

/** Client coordinates of the centre of pixel (row, col) of panel `panel` of a figure. */
async function pixelPoint(
  page: Page,
  figure: string,
  panel: number,
  pixel: { row: number; col: number; rows: number; cols: number },
): Promise<{ x: number; y: number }> {
  return await page.evaluate(([selector, k, p]) => {
    const image = document.querySelectorAll(
      `${selector} svg[data-stria-values] image`,
    )[k as number];
    const box = image.getBoundingClientRect();
    const { row, col, rows, cols } = p as Record<string, number>;
    return {
      x: box.left + ((col + 0.5) / cols) * box.width,
      y: box.top + ((row + 0.5) / rows) * box.height,
    };
  }, [figure, panel, pixel] as const);
}

async function readout(page: Page, figure: string): Promise<string> {
  return (await page.locator(`${figure} .figure-readout`).textContent()) ?? "";
}

async function viewBox(page: Page, figure: string): Promise<number[]> {
  return (await page.locator(`${figure} svg.figure-svg`).getAttribute(
    "viewBox",
  ))!.split(/\s+/).map(Number);
}

/**
 * Real touch input through the DevTools protocol (so the browser makes the
 * pointer events, touch-action included): `type` acts on finger `id`, the
 * other fingers down stay where they are.
 */
const fingers = new Map<number, { x: number; y: number }>();
let cdp: CDPSession;
async function touch(
  type: "down" | "move" | "up",
  id: number,
  x: number,
  y: number,
): Promise<void> {
  if (type === "up") fingers.delete(id);
  else fingers.set(id, { x, y });
  await cdp.send("Input.dispatchTouchEvent", {
    type: type === "down"
      ? "touchStart"
      : type === "move"
      ? "touchMove"
      : "touchEnd",
    touchPoints: [...fingers].map(([fingerId, p]) => ({ ...p, id: fingerId })),
  });
}

async function checkFigures(page: Page): Promise<void> {
  await page.waitForSelector(`${FACETS}[data-interactive="true"]`);
  const captions = await page.locator(".stria-figure").evaluateAll((nodes) =>
    nodes.map((n) => ({
      caption: n.querySelector("figcaption")!.textContent ?? "",
      interactive: (n as HTMLElement).dataset.interactive === "true",
      alt: n.querySelector("svg")!.getAttribute("aria-label") ?? "",
    }))
  );
  for (const { caption, interactive, alt } of captions) {
    if (/interactive/i.test(caption)) {
      assert(interactive, `"${caption}" says interactive, so it must be`);
    }
    const title = caption.replace(/ · SVG$/, "");
    assert(
      alt.startsWith(title) && /colour shows/.test(alt) &&
        /x axis: .*y axis: /.test(alt),
      `alt text says title, what is plotted and the axes: ${alt}`,
    );
  }

  // Readout by mouse: the data value and the coordinates in the stated frame.
  await page.locator(IMAGE).scrollIntoViewIfNeeded();
  const at = await pixelPoint(page, IMAGE, 0, expected.image);
  await page.mouse.move(at.x, at.y);
  assertEquals(await readout(page, IMAGE), expected.image.readout, "readout");

  // Wheel zoom about the pointer: the same pixel stays under it.
  const [, , width] = await viewBox(page, IMAGE);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction(
    (s) => Number(document.querySelector(s)!.getAttribute("data-zoom")) > 1,
    IMAGE,
  );
  const zoomed = await viewBox(page, IMAGE);
  assert(zoomed[2] < width, `wheel zooms in: viewBox ${zoomed}`);
  await page.mouse.move(at.x + 1, at.y);
  assertEquals(
    await readout(page, IMAGE),
    expected.image.readout,
    "the pixel under the pointer stays under it while zooming",
  );

  // Drag pans by the distance dragged, in figure units.
  const rect = (await page.locator(`${IMAGE} svg.figure-svg`).boundingBox())!;
  await page.mouse.down();
  await page.mouse.move(at.x + 41, at.y + 20, { steps: 4 });
  await page.mouse.up();
  const panned = await viewBox(page, IMAGE);
  const perPx = zoomed[2] / rect.width;
  assert(
    Math.abs(panned[0] - (zoomed[0] - 40 * perPx)) < 0.01 &&
      Math.abs(panned[1] - (zoomed[1] - 20 * perPx)) < 0.01,
    `drag pans by 40 x 20 px: ${zoomed} -> ${panned}`,
  );

  // Double-click resets.
  await page.mouse.dblclick(at.x, at.y);
  assertEquals(
    (await viewBox(page, IMAGE))[2],
    width,
    "double-click resets the zoom",
  );

  // Touch: a tap reads out, a pinch zooms, one finger pans, the button and a double tap reset.
  const t = await pixelPoint(page, IMAGE, 0, {
    ...expected.image,
    ...expected.touch,
  });
  await touch("down", 1, t.x, t.y);
  await touch("up", 1, t.x, t.y);
  assertEquals(
    await readout(page, IMAGE),
    expected.touch.readout,
    "tap readout",
  );
  await page.waitForTimeout(400); // not a double tap
  await touch("down", 1, t.x - 10, t.y);
  await touch("down", 2, t.x + 10, t.y);
  await touch("move", 2, t.x + 50, t.y);
  await touch("up", 2, t.x + 50, t.y);
  await touch("up", 1, t.x - 10, t.y);
  const pinched = await viewBox(page, IMAGE);
  assert(
    Math.abs(width / pinched[2] - 3) < 0.01,
    `spreading two fingers from 20 to 60 px zooms 3x: ${pinched}`,
  );
  assertEquals(
    await page.locator(`${IMAGE} svg.figure-svg`).evaluate((s) =>
      (s as SVGElement).style.touchAction
    ),
    "none",
    "zoomed, one finger pans the figure instead of the page",
  );
  await page.waitForTimeout(400);
  await touch("down", 1, t.x, t.y);
  await touch("move", 1, t.x - 30, t.y);
  await touch("up", 1, t.x - 30, t.y);
  const fingerPanned = await viewBox(page, IMAGE);
  assert(
    Math.abs(fingerPanned[0] - (pinched[0] + 30 * pinched[2] / rect.width)) <
      0.01,
    `one finger pans: ${pinched} -> ${fingerPanned}`,
  );
  await page.locator(`${IMAGE} .figure-reset`).click();
  assertEquals((await viewBox(page, IMAGE))[2], width, "the button resets");
  await page.mouse.move(t.x, t.y);
  await page.mouse.wheel(0, -400);
  await page.waitForFunction(
    (s) => Number(document.querySelector(s)!.getAttribute("data-zoom")) > 1,
    IMAGE,
  );
  await page.waitForTimeout(400);
  await touch("down", 1, t.x, t.y);
  await touch("up", 1, t.x, t.y);
  await touch("down", 1, t.x, t.y);
  await touch("up", 1, t.x, t.y);
  assertEquals((await viewBox(page, IMAGE))[2], width, "double tap resets");

  // Facets: the readout names the panel under the pointer.
  await page.locator(FACETS).scrollIntoViewIfNeeded();
  const f = await pixelPoint(page, FACETS, 1, expected.facet);
  await page.mouse.move(f.x, f.y);
  assertEquals(await readout(page, FACETS), expected.facet.readout, "facets");
}

async function check3d(page: Page): Promise<void> {
  await page.waitForSelector('.stria-view[data-ready="true"]');
  const canvas = ".view-3d-stage canvas";
  const select = page.locator(".view-3d select.view-volume");
  assertEquals(
    await select.locator("option").allTextContents(),
    expected.volumes.map((v) => v.title),
    "the 3-D view offers every volume",
  );
  const colorbar = async () =>
    await page.locator(".view-3d-colorbar").evaluate((bar) => ({
      ticks: Array.from(
        bar.querySelectorAll(".colorbar-tick"),
        (t) => t.textContent,
      ),
      label: bar.querySelector(".colorbar-label")!.textContent,
    }));
  const first = await colorbar();
  assertEquals(first.label, expected.volumes[0].label, "colour bar label");
  assertEquals(
    [first.ticks[0], first.ticks.at(-1)],
    expected.volumes[0].ends,
    "colour bar ticks at both ends",
  );
  const axisNames = await page.locator(".view-3d-axes .axis-name")
    .allTextContents();
  assertEquals(axisNames, expected.axisNames, "3-D axes in physical units");
  const tickLabels = await page.locator(".view-3d-axes .axis-tick-label")
    .evaluateAll((nodes) =>
      nodes.map((n) => [n.getAttribute("data-axis"), Number(n.textContent)])
    ) as [string, number][];
  for (const [name, extent] of Object.entries(expected.axisExtents)) {
    const values = tickLabels.filter(([axis]) => axis === name).map(([, v]) =>
      v
    );
    // 0, where the axes meet, is labelled once, on x.
    const all = name === "x" ? values : [0, ...values];
    assert(
      all.length >= 2 && all.includes(0) &&
        all.every((v) => v >= 0 && v <= extent),
      `the ${name} axis has ticks from 0 within its ${extent} µm: ${values}`,
    );
  }

  const initial = await canvasChecksum(page, canvas);
  await select.selectOption("1");
  assert(
    await canvasChecksum(page, canvas) !== initial,
    "switching the volume redraws the 3-D view",
  );
  const second = await colorbar();
  assertEquals(second.label, expected.volumes[1].label, "switched colour bar");
  assertEquals(
    [second.ticks[0], second.ticks.at(-1)],
    expected.volumes[1].ends,
    "switched colour bar ends",
  );
  await select.selectOption("0");
  assertEquals(await canvasChecksum(page, canvas), initial, "switching back");

  await page.locator(canvas).scrollIntoViewIfNeeded();
  const box = (await page.locator(canvas).boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, {
    steps: 4,
  });
  await page.mouse.up();
  assert(await canvasChecksum(page, canvas) !== initial, "drag rotates");
  await page.locator(".view-3d .view-reset").click();
  assertEquals(
    await canvasChecksum(page, canvas),
    initial,
    "reset restores the first 3-D view",
  );
}

/** Every text in the page, with its rendered size in CSS px. */
async function textSizes(page: Page) {
  return await page.evaluate(() => {
    const sizes: { text: string; px: number }[] = [];
    for (const svg of document.querySelectorAll("svg.figure-svg")) {
      const [, , w] = svg.getAttribute("viewBox")!.split(/\s+/).map(Number);
      const scale = svg.getBoundingClientRect().width / w;
      for (const text of svg.querySelectorAll("text")) {
        sizes.push({
          text: text.textContent ?? "",
          px: parseFloat(getComputedStyle(text).fontSize) * scale,
        });
      }
    }
    for (const text of document.querySelectorAll(".view-3d-axes text")) {
      sizes.push({
        text: text.textContent ?? "",
        px: parseFloat(getComputedStyle(text).fontSize),
      });
    }
    for (const node of document.body.querySelectorAll("*")) {
      if (node.closest("svg") || node.closest("script, style, noscript")) {
        continue;
      }
      const own = Array.from(node.childNodes).some((c) =>
        c.nodeType === Node.TEXT_NODE && c.textContent!.trim() !== ""
      );
      if (own && (node as HTMLElement).offsetParent !== null) {
        sizes.push({
          text: node.textContent!.trim().slice(0, 40),
          px: parseFloat(getComputedStyle(node).fontSize),
        });
      }
    }
    return sizes;
  });
}

await Deno.mkdir(SCREENSHOTS, { recursive: true });
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
});
try {
  const errors: string[] = [];
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    deviceScaleFactor: 1,
    hasTouch: true,
  });
  const page = await context.newPage();
  cdp = await context.newCDPSession(page);
  page.on("pageerror", (error) => errors.push(error.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.goto(url, { waitUntil: "load" });
  await checkFigures(page);
  await check3d(page);
  await page.screenshot({
    path: join(SCREENSHOTS, "figures-desktop.png"),
    fullPage: true,
  });

  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    hasTouch: true,
  });
  const phonePage = await phone.newPage();
  phonePage.on("pageerror", (error) => errors.push(error.message));
  await phonePage.goto(url, { waitUntil: "load" });
  await phonePage.waitForSelector('.stria-view[data-ready="true"]');
  const small = (await textSizes(phonePage)).filter((t) => t.px < 10);
  assertEquals(small, [], "text under 10 CSS px at 390 px");
  const overflow = await phonePage.evaluate(() =>
    Math.max(
      ...Array.from(
        document.querySelectorAll(".stria-figure, .stria-view"),
        (node) =>
          node.getBoundingClientRect().right -
          document.documentElement.clientWidth,
      ),
    )
  );
  assert(overflow <= 1, `figures fit the phone's width (${overflow} px over)`);
  const scrolls = await phonePage.locator(`${FACETS} .figure-scroll`).evaluate(
    (node) => node.scrollWidth > node.clientWidth,
  );
  assert(
    scrolls,
    "a figure too wide for the phone scrolls instead of shrinking",
  );
  await phonePage.screenshot({
    path: join(SCREENSHOTS, "figures-phone.png"),
    fullPage: true,
  });
  assertEquals(errors, [], "page errors");
} finally {
  await browser.close();
}
