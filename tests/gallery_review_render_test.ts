// Gallery pages link an example whose file name has a space, `#` or `&` (examples/NAME.ts
// is any file name): every href to its page, source and notebook is percent-encoded,
// and the environment's text is escaped.
import { assert } from "./_gallery_assert.ts";
import {
  renderExamplePage,
  renderIndex,
  renderTimesPage,
} from "../gallery/_render.ts";
import { parseExample } from "../gallery/_parse.ts";
import { recordEnvironment } from "../gallery/_environment.ts";
import type { BuildRecord, ExampleRecord } from "../gallery/_record.ts";

Deno.test("gallery pages percent-encode example names in hrefs and escape the stria version", async () => {
  const environment = {
    ...(await recordEnvironment(".")),
    striaVersion: "1.0<b>",
  };
  const name = "fibres #2 & co";
  const example: ExampleRecord = {
    name,
    title: "Fibres",
    summary: "Two.",
    key: "",
    ok: true,
    exitCode: 0,
    timedOut: false,
    wallSeconds: 1,
    peakMemoryBytes: 1e6,
    memoryMethod: "GNU time %M",
    command: [],
    synthetic: true,
    datasets: [],
    dataLine: "",
    ranAt: "2026-12-01T12:00:00.000Z",
    environment,
    cells: [],
  };
  const build: BuildRecord = {
    format: "stria-gallery-build",
    version: 1,
    builtAt: "",
    buildSeconds: 1,
    synthetic: true,
    environment,
    examples: [example],
  };
  const encoded = "fibres%20%232%20%26%20co";
  const index = renderIndex(build);
  assert(index.includes(`href="${encoded}.html"`), "index card href");
  assert(!index.includes(`href="${name}.html"`), "raw name in an href");
  assert(
    renderTimesPage(build, []).includes(`href="${encoded}.html"`),
    "times page href",
  );
  const page = renderExamplePage(
    example,
    parseExample("// # Fibres\n//\n// Two.\nconsole.log(1);\n"),
    new Map(),
    new Map(),
  );
  assert(page.includes(`href="sources/${encoded}.ts"`), "source download");
  assert(
    page.includes(`href="notebooks/${encoded}.ipynb"`),
    "notebook download",
  );
  assert(
    !page.includes("1.0<b>") && page.includes("1.0&lt;b&gt;"),
    "version escaped",
  );
});
