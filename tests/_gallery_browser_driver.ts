/**
 * The browser half of tests/gallery_browser_test.ts, run by it in a separate
 * `deno run --allow-all` process: playwright-core probes
 * /proc/sys/fs/binfmt_misc/WSLInterop when it loads, which Deno 2.9 refuses
 * without --allow-all even though --allow-read is granted.
 *
 * Usage: `deno run -A tests/_gallery_browser_driver.ts BASE_URL LABEL CARD_COUNT SITE_DIR`.
 * Exits non-zero with the failed assertion on stderr.
 */

import { assert, assertEquals } from "./_gallery_assert.ts";
import { chromium, type Page } from "playwright-core";
import { join, resolve } from "node:path";
import type { BuildRecord } from "../gallery/_record.ts";

const SCREENSHOTS = join(
  resolve(import.meta.dirname!, ".."),
  "test-artifacts",
  "screenshots",
);
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/** Loads a page and fails on console errors, page errors or images that did not load. */
async function openPage(page: Page, url: string): Promise<string[]> {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${url}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${url}: ${error.message}`));
  const response = await page.goto(url, { waitUntil: "load" });
  if (url.startsWith("http")) assertEquals(response?.status(), 200, url);
  const broken = await page.evaluate(() =>
    Array.from(document.images).filter((img) =>
      !img.complete || img.naturalWidth === 0
    ).map((img) => img.src)
  );
  assertEquals(broken, [], `images that did not load on ${url}`);
  const missingAlt = await page.evaluate(() =>
    Array.from(document.images).filter((img) => !img.alt).map((img) => img.src)
  );
  assertEquals(missingAlt, [], `images without alt text on ${url}`);
  return errors;
}

async function canvasChecksum(page: Page, selector: string): Promise<number> {
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

async function background(page: Page): Promise<string> {
  return await page.evaluate(() =>
    getComputedStyle(document.body).backgroundColor
  );
}

async function checkViews(page: Page, shotName: string): Promise<void> {
  await page.waitForSelector('.stria-view[data-ready="true"]');
  const panel = ".stria-view .view-panel canvas";
  const before = await canvasChecksum(page, panel);
  const slider = page.locator('.stria-view input[type="range"]').first();
  const [min, max, value] = await slider.evaluate((
    el: HTMLInputElement,
  ) => [Number(el.min), Number(el.max), Number(el.value)]);
  assert(max > min, "the slider must span more than one plane");
  await slider.focus();
  await page.keyboard.press(value < max ? "ArrowRight" : "ArrowLeft");
  assert(
    await slider.evaluate((el: HTMLInputElement) => Number(el.value)) !== value,
    "the slider moved",
  );
  assert(
    await canvasChecksum(page, panel) !== before,
    "the shown plane changes with the slider",
  );

  await page.locator(panel).first().scrollIntoViewIfNeeded();
  const box = (await page.locator(panel).first().boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.4);
  const readout = await page.locator(".stria-view .view-readout").first()
    .textContent();
  assert(
    /\d/.test(readout ?? "") && /:/.test(readout ?? ""),
    `hover readout shows a value, got ${JSON.stringify(readout)}`,
  );

  const canvas3d = page.locator(".stria-view .view-3d canvas").first();
  if (await canvas3d.count()) {
    const before3d = await canvasChecksum(page, ".stria-view .view-3d canvas");
    await canvas3d.scrollIntoViewIfNeeded();
    const b = (await canvas3d.boundingBox())!;
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2 + 60, b.y + b.height / 2 + 20, {
      steps: 5,
    });
    await page.mouse.up();
    assert(
      await canvasChecksum(page, ".stria-view .view-3d canvas") !== before3d,
      "dragging rotates the 3D view",
    );
  }
  await page.screenshot({
    path: join(SCREENSHOTS, `${shotName}.png`),
    fullPage: true,
  });
}

async function checkTheme(page: Page, shotName: string): Promise<void> {
  const light = await background(page);
  await page.click(".theme-toggle");
  const dark = await background(page);
  assert(
    light !== dark,
    `the theme toggle changes the background (${light} -> ${dark})`,
  );
  const theme = await page.evaluate(() =>
    document.documentElement.dataset.theme
  );
  await page.reload({ waitUntil: "load" });
  assertEquals(
    await page.evaluate(() => document.documentElement.dataset.theme),
    theme,
    "theme persists across reloads",
  );
  await page.screenshot({
    path: join(SCREENSHOTS, `${shotName}.png`),
    fullPage: true,
  });
}

const [base, label, cardCount, siteDir] = Deno.args;
await Deno.mkdir(SCREENSHOTS, { recursive: true });
const build = await (await fetch(`${base}build.json`)).json() as BuildRecord;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: CHROMIUM_ARGS,
});
try {
  const context = await browser.newContext({
    viewport: { width: 1200, height: 900 },
    colorScheme: "light",
    deviceScaleFactor: 2,
  });
  const errors: string[] = [];
  const page = await context.newPage();
  errors.push(...await openPage(page, base));
  await page.screenshot({
    path: join(SCREENSHOTS, `${label}-index-light.png`),
    fullPage: true,
  });
  assertEquals(
    await page.locator(".card").count(),
    Number(cardCount),
    "one card per example",
  );
  await checkTheme(page, `${label}-index-dark`);
  await page.evaluate(() => localStorage.removeItem("stria-theme"));

  for (const record of build.examples) {
    const examplePage = await context.newPage();
    errors.push(...await openPage(examplePage, `${base}${record.name}.html`));
    if (!record.ok) {
      const banner = await examplePage.locator(".error-banner").textContent();
      assert(
        banner?.includes("failed"),
        `the page of ${record.name} shows that it failed`,
      );
    }
    if (await examplePage.locator(".stria-view").count()) {
      await checkViews(examplePage, `${label}-${record.name}-view`);
    }
    await examplePage.screenshot({
      path: join(SCREENSHOTS, `${label}-${record.name}-light.png`),
      fullPage: true,
    });
    await examplePage.close();
  }
  const times = await context.newPage();
  errors.push(...await openPage(times, `${base}times.html`));
  await times.screenshot({
    path: join(SCREENSHOTS, `${label}-times-light.png`),
    fullPage: true,
  });

  const phone = await browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 3,
    colorScheme: "dark",
  });
  const phonePage = await phone.newPage();
  const withView = build.examples.find((e) =>
    e.cells.some((c) =>
      c.files.some((f) => f.kind === "view")
    )
  ) ?? build.examples[0];
  errors.push(...await openPage(phonePage, `${base}${withView.name}.html`));
  const overflow = await phonePage.evaluate(() =>
    document.documentElement.scrollWidth - document.documentElement.clientWidth
  );
  assert(
    overflow <= 1,
    `no horizontal scrolling on a phone, page overflows by ${overflow}px`,
  );
  await phonePage.screenshot({
    path: join(SCREENSHOTS, `${label}-${withView.name}-phone-dark.png`),
    fullPage: true,
  });

  // The site also works opened from disk: views are embedded in the page, scripts and images are relative.
  const offline = await context.newPage();
  errors.push(
    ...await openPage(offline, `file://${siteDir}/${withView.name}.html`),
  );
  if (await offline.locator(".stria-view").count()) {
    await offline.waitForSelector('.stria-view[data-ready="true"]');
  }
  assertEquals(errors, [], "console errors");
} finally {
  await browser.close();
}
