/**
 * End-to-end check of the built gallery in headless Chromium: builds a gallery
 * from example folders, serves it on loopback and runs
 * tests/_gallery_browser_driver.ts against it, which checks pages, images, alt
 * text, the plane slider, the hover readout, the 3D view, the theme toggle and
 * the phone layout, and saves screenshots under test-artifacts/screenshots/.
 *
 * Folders: the fixture examples, plus `examples/` with `--synthetic` when
 * `examples/anisotropy_3d.ts` exists. `STRIA_GALLERY_EXAMPLES` (comma-separated
 * folders) replaces that list.
 */

import { assertEquals } from "./_gallery_assert.ts";
import { join, resolve } from "node:path";
import { buildGallery, listExamples } from "../gallery/build.ts";
import { checkGallery } from "../gallery/_check.ts";
import { serveSite } from "../gallery/serve.ts";
import { runBrowserDriver } from "./_browser_driver_process.ts";

const ROOT = resolve(import.meta.dirname!, "..");

function exampleFolders(): { dir: string; label: string }[] {
  const configured = Deno.env.get("STRIA_GALLERY_EXAMPLES");
  if (configured) {
    return configured.split(",").filter(Boolean).map((dir) => ({
      dir: resolve(dir),
      label: dir.replace(/\W+/g, "_"),
    }));
  }
  const folders = [{
    dir: join(ROOT, "tests/fixtures/gallery/examples"),
    label: "fixtures",
  }];
  try {
    Deno.statSync(join(ROOT, "examples/anisotropy_3d.ts"));
    folders.push({ dir: join(ROOT, "examples"), label: "examples" });
  } catch {
    // The real example is not written yet: only the fixtures are checked.
  }
  return folders;
}

for (const folder of exampleFolders()) {
  Deno.test(`gallery in Chromium: ${folder.label} (--synthetic), then --check reproduces it`, async () => {
    const site = await Deno.makeTempDir({ prefix: "stria-gallery-browser-" });
    const server = serveSite(site, 0);
    try {
      const options = {
        root: ROOT,
        examplesDir: folder.dir,
        siteDir: site,
        synthetic: true,
        only: [],
        jobs: 2,
        force: false,
        timeoutSeconds: 300,
        log: () => {},
        // The fixtures also exercise the benchmark charts; real examples show real results, if any.
        benchDir: folder.label === "fixtures"
          ? join(ROOT, "tests/fixtures/gallery/bench")
          : undefined,
      };
      await buildGallery(options);
      const cards = (await listExamples(folder.dir)).length;
      const { success, report } = await runBrowserDriver(
        "_gallery_browser_driver.ts",
        [
          `http://127.0.0.1:${server.addr.port}/`,
          folder.label,
          String(cards),
          site,
        ],
      );
      assertEquals(success, true, `browser checks failed:\n${report}`);
      // Run again in other folders, every printed line and figure is the same.
      assertEquals(await checkGallery(options), []);
    } finally {
      await server.shutdown();
      await Deno.remove(site, { recursive: true });
    }
  });
}
