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
import { canvasChecksum } from "./_browser_driver_process.ts";

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

/**
 * Loads a page and fails on images that did not load; returns its console
 * errors, page errors, failed requests and responses with an error status.
 */
async function openPage(page: Page, url: string): Promise<string[]> {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`${url}: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`${url}: ${error.message}`));
  page.on("requestfailed", (request) =>
    errors.push(
      `${url}: request failed: ${request.url()} (${request.failure()?.errorText})`,
    ));
  page.on("response", (response) => {
    if (response.status() >= 400) {
      errors.push(`${url}: HTTP ${response.status()} for ${response.url()}`);
    }
  });
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

/** Fetched site files by URL (without fragment): their text, or undefined when the link is broken. */
const fetched = new Map<string, string | undefined>();

/**
 * Every link on the page that stays on the site resolves: the file is served
 * (200) and a `#fragment` names an element of it. Links that leave the site
 * (papers, tutorials) are not followed: the test has no network.
 */
async function brokenLinks(page: Page, base: string): Promise<string[]> {
  const hrefs = await page.evaluate(() =>
    Array.from(document.querySelectorAll("a[href]")).map((a) =>
      (a as HTMLAnchorElement).href
    )
  );
  const broken: string[] = [];
  for (const href of new Set(hrefs)) {
    if (!href.startsWith(base)) continue;
    const url = new URL(href);
    const fragment = decodeURIComponent(url.hash.slice(1));
    url.hash = "";
    if (!fetched.has(url.href)) {
      const response = await fetch(url);
      const text = await response.text();
      fetched.set(url.href, response.ok ? text : undefined);
    }
    const text = fetched.get(url.href);
    if (text === undefined) broken.push(`${href} (not served)`);
    else if (fragment && !text.includes(`id="${fragment}"`)) {
      broken.push(`${href} (no element with id "${fragment}")`);
    }
  }
  return broken.map((link) => `${page.url()}: broken link ${link}`);
}

/**
 * An example page offers its downloads (the note at the top leads to them:
 * source, notebook, the zip of all examples), its h2/h3 headings have
 * permalinks, and its code cells link names to the API reference; returns
 * the API pages it links to.
 */
async function checkExamplePage(page: Page, name: string): Promise<string[]> {
  assertEquals(
    await page.locator('.download-note a[href="#downloads"]').count(),
    1,
    `${name}: the note at the top links to the downloads`,
  );
  for (
    const href of [
      `sources/${name}.ts`,
      `notebooks/${name}.ipynb`,
      "stria_examples.zip",
    ]
  ) {
    assertEquals(
      await page.locator(`#downloads a[href="${href}"]`).count(),
      1,
      `${name}: downloads offer ${href}`,
    );
  }
  const headings = await page.evaluate(() =>
    Array.from(document.querySelectorAll(".prose h2, .prose h3, #downloads h2"))
      .map((h) => ({
        id: h.id,
        link: h.querySelector("a.headerlink")?.getAttribute("href") ?? null,
      }))
  );
  assert(headings.length > 0, `${name}: the page has headings`);
  for (const heading of headings) {
    assert(
      heading.id !== "" && heading.link === `#${heading.id}`,
      `${name}: heading permalink ${JSON.stringify(heading)}`,
    );
  }
  return await page.evaluate(() =>
    Array.from(
      new Set(
        Array.from(document.querySelectorAll(".code-cell a.api-link")).map((
          a,
        ) => (a as HTMLAnchorElement).href),
      ),
    )
  );
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

  const canvas3d = page.locator(".stria-view .view-3d-stage canvas").first();
  if (await canvas3d.count()) {
    const before3d = await canvasChecksum(
      page,
      ".stria-view .view-3d-stage canvas",
    );
    await canvas3d.scrollIntoViewIfNeeded();
    const b = (await canvas3d.boundingBox())!;
    await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2);
    await page.mouse.down();
    await page.mouse.move(b.x + b.width / 2 + 60, b.y + b.height / 2 + 20, {
      steps: 5,
    });
    await page.mouse.up();
    assert(
      await canvasChecksum(page, ".stria-view .view-3d-stage canvas") !==
        before3d,
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
  errors.push(...await brokenLinks(page, base));
  await page.screenshot({
    path: join(SCREENSHOTS, `${label}-index-light.png`),
    fullPage: true,
  });
  assertEquals(
    await page.locator(".card").count(),
    Number(cardCount),
    "one card per example",
  );
  assertEquals(
    await page.locator('a[href="stria_examples.zip"]').count(),
    1,
    "the index links the zip of all examples",
  );
  assertEquals(
    await page.locator(".card-meta", { hasText: /\d s · peak memory / })
      .count(),
    Number(cardCount),
    "each card shows the example's time and peak memory",
  );
  // Thumbnails are letterboxed, never cropped: the image is scaled to fit inside its box.
  const thumbnails = await page.evaluate(() =>
    Array.from(document.querySelectorAll(".thumb img")).map((img) => {
      const box = img.parentElement!.getBoundingClientRect();
      const own = img.getBoundingClientRect();
      return {
        fit: getComputedStyle(img).objectFit,
        inside: own.left >= box.left - 0.5 && own.right <= box.right + 0.5 &&
          own.top >= box.top - 0.5 && own.bottom <= box.bottom + 0.5,
      };
    })
  );
  for (const thumbnail of thumbnails) {
    assertEquals(thumbnail, { fit: "contain", inside: true }, "thumbnail fit");
  }
  await checkTheme(page, `${label}-index-dark`);
  await page.evaluate(() => localStorage.removeItem("stria-theme"));

  const apiPages = new Map<string, string[]>();
  for (const record of build.examples) {
    const examplePage = await context.newPage();
    errors.push(...await openPage(examplePage, `${base}${record.name}.html`));
    errors.push(...await brokenLinks(examplePage, base));
    for (const href of await checkExamplePage(examplePage, record.name)) {
      apiPages.set(href, [...apiPages.get(href) ?? [], record.name]);
    }
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
  if (label === "examples") {
    assert(apiPages.size > 0, "the examples' code links to the API reference");
  }
  // Each API page a code cell links to lists, under "Examples using NAME", every page that links to it.
  for (const [href, users] of apiPages) {
    const api = await context.newPage();
    errors.push(...await openPage(api, href));
    errors.push(...await brokenLinks(api, base));
    const backreferences = await api.locator(".stria-backreferences a")
      .evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));
    assertEquals(
      backreferences,
      users.map((name) => `${base}${name}.html`),
      `backreferences on ${href}`,
    );
    await api.close();
  }
  const apiIndex = await context.newPage();
  errors.push(...await openPage(apiIndex, `${base}api/index.html`));
  errors.push(...await brokenLinks(apiIndex, base));
  await apiIndex.screenshot({
    path: join(SCREENSHOTS, `${label}-api-index.png`),
    fullPage: true,
  });
  await apiIndex.close();

  const times = await context.newPage();
  errors.push(...await openPage(times, `${base}times.html`));
  errors.push(...await brokenLinks(times, base));
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
  assertEquals(errors, [], "console errors, failed requests, broken links");
} finally {
  await browser.close();
}
