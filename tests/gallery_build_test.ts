import { assert, assertEquals } from "./_gallery_assert.ts";
import { join, resolve } from "node:path";
import { buildGallery, type BuildOptions } from "../gallery/build.ts";
import { checkGallery, compareRecords } from "../gallery/_check.ts";
import { type BuildRecord, readBuildRecord } from "../gallery/_record.ts";

const ROOT = resolve(import.meta.dirname!, "..");
const FIXTURES = join(ROOT, "tests/fixtures/gallery/examples");

async function copyFixtures(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "stria-gallery-examples-" });
  for await (const entry of Deno.readDir(FIXTURES)) {
    if (entry.isFile) {
      await Deno.copyFile(join(FIXTURES, entry.name), join(dir, entry.name));
    }
  }
  return dir;
}

function options(
  examplesDir: string,
  siteDir: string,
  overrides: Partial<BuildOptions> = {},
): BuildOptions {
  return {
    root: ROOT,
    examplesDir,
    siteDir,
    synthetic: true,
    only: [],
    jobs: 2,
    force: false,
    timeoutSeconds: 60,
    log: () => {},
    ...overrides,
  };
}

function cellOf(build: BuildRecord, name: string, index: number) {
  return build.examples.find((e) => e.name === name)!.cells.find((c) =>
    c.codeIndex === index
  )!;
}

Deno.test("gallery build: pages, per-cell outputs, the failing example, caching and --check", async (t) => {
  const examples = await copyFixtures();
  const site = await Deno.makeTempDir({ prefix: "stria-gallery-site-" });
  try {
    const lines: string[] = [];
    const first = await buildGallery(
      options(examples, site, { log: (line) => lines.push(line) }),
    );

    await t.step(
      "runs every example, records the failure and logs a progress line each",
      () => {
        assertEquals(first.build.examples.map((e) => [e.name, e.ok]), [
          ["broken", false],
          ["hello_figures", true],
          ["volume_view", true],
        ]);
        assertEquals(first.failed, ["broken"]);
        assertEquals(lines.length, 3);
        assert(
          lines.some((l) => /^FAILED\s+broken\s+\d/.test(l)),
          lines.join("\n"),
        );
        assert(
          lines.some((l) => /^ok\s+hello_figures\s+\d+\.\d+ s\s+\d/.test(l)),
          lines.join("\n"),
        );
      },
    );

    await t.step(
      "attributes printed output, stderr and figures to the cell that produced them",
      () => {
        const build = first.build;
        assertEquals(
          cellOf(build, "hello_figures", 0).stdout,
          "data: synthetic stand-in\n",
        );
        assertEquals(
          cellOf(build, "hello_figures", 1).stdout,
          "sum of squares: 385\nratio: 0.3333333333333333\n",
        );
        assertEquals(
          cellOf(build, "hello_figures", 2).files.map((
            f,
          ) => [f.name, f.kind, f.title]),
          [["first.svg", "figure", "A blue square & its title"]],
        );
        assertEquals(
          cellOf(build, "hello_figures", 3).files.map((f) => f.name),
          ["second.svg"],
        );
        assertEquals(
          cellOf(build, "hello_figures", 3).stderr,
          "a warning on stderr\n",
        );
        assertEquals(
          cellOf(build, "volume_view", 2).files.map((f) => [f.name, f.kind]),
          [["volumes.view.json", "view"]],
        );
        const hello = build.examples.find((e) => e.name === "hello_figures")!;
        assertEquals(hello.datasets, [{
          name: "kidney",
          sha256:
            "80c0799bc58b08cf6eaa53ecd202305eb42fd7bc73746cb6c5064dbeae7e8476",
          source: "synthetic",
        }]);
        assertEquals(hello.dataLine, "data: synthetic stand-in");
        assert(
          hello.peakMemoryBytes === null || hello.peakMemoryBytes > 1e6,
          "peak memory is measured in bytes",
        );
        const broken = build.examples.find((e) => e.name === "broken")!;
        assertEquals(
          cellOf(build, "broken", 1).stdout,
          "about to fail with 3 values\n",
        );
        assert(
          cellOf(build, "broken", 1).stderr.includes(
            "deliberate failure for the gallery test",
          ),
        );
        assert(
          /broken\.ts:\d+:\d+/.test(cellOf(build, "broken", 1).stderr),
          "errors name the original file",
        );
        assertEquals(broken.exitCode, 1);
      },
    );

    await t.step("writes the pages, outputs and build.json", async () => {
      const hello = await Deno.readTextFile(join(site, "hello_figures.html"));
      const order = [
        "sum of squares: 385",
        '<svg role="img" aria-label="A blue square &amp; its title"',
        'href="outputs/hello_figures/first.svg"',
        "Second figure",
        '<svg role="img" aria-label="An orange square"',
        'href="outputs/hello_figures/second.svg"',
      ];
      const positions = order.map((s) => hello.indexOf(s));
      assert(
        positions.every((p, i) => p > 0 && (i === 0 || p > positions[i - 1])),
        `outputs follow their cells: ${positions}`,
      );
      assert(
        hello.includes("<em>markdown</em>"),
        "the header intro is rendered as markdown",
      );
      assert(
        hello.includes('<span class="hljs-keyword">const</span>'),
        "code is highlighted at build time",
      );
      assert(
        /Total running time of the script:<\/strong> \(0 minutes \d+\.\d{3} seconds\)/
          .test(hello),
      );
      assert(
        hello.includes(`Deno</dt><dd>${Deno.version.deno}`),
        "the footer records the Deno version",
      );
      assert(hello.includes('href="sources/hello_figures.ts"'));
      const broken = await Deno.readTextFile(join(site, "broken.html"));
      assert(
        broken.includes("This example failed") &&
          broken.includes("deliberate failure for the gallery test"),
      );
      const index = await Deno.readTextFile(join(site, "index.html"));
      assertEquals(index.match(/<a class="card/g)?.length, 3);
      assert(index.includes('<span class="badge failed">failed</span>'));
      assert(
        (await Deno.readTextFile(join(site, "volume_view.html"))).includes(
          'class="stria-view"',
        ),
      );
      assert(
        (await Deno.readTextFile(join(site, "times.html"))).includes(
          '<svg class="chart"',
        ),
      );
      await Deno.stat(join(site, "static/gallery.js"));
      await Deno.stat(join(site, "outputs/volume_view/volumes.view.json"));
      assertEquals((await readBuildRecord(site))?.examples.length, 3);
    });

    await t.step(
      "an unchanged example is not re-run; a changed one and failures are",
      async () => {
        const second = await buildGallery(options(examples, site));
        assertEquals(second.ran, ["broken"]);
        const source = join(examples, "hello_figures.ts");
        await Deno.writeTextFile(
          source,
          (await Deno.readTextFile(source)).replace("i <= 10", "i <= 11"),
        );
        const third = await buildGallery(options(examples, site));
        assertEquals([...third.ran].sort(), ["broken", "hello_figures"]);
        assertEquals(
          cellOf(third.build, "hello_figures", 1).stdout,
          "sum of squares: 506\nratio: 0.3333333333333333\n",
        );
        const forced = await buildGallery(
          options(examples, site, { force: true, only: ["volume_view"] }),
        );
        assertEquals(forced.ran, ["volume_view"]);
        assertEquals(
          forced.build.examples.length,
          3,
          "--only keeps the other examples' records",
        );
        assert(
          await Deno.stat(join(site, "outputs/hello_figures/first.svg")).then(
            () => true,
            () => false,
          ),
          "--only keeps the other examples' outputs",
        );
      },
    );

    await t.step(
      "--check finds no difference in a reproducible gallery and reports tampered records",
      async () => {
        assertEquals(await checkGallery(options(examples, site)), []);
        const path = join(site, "build.json");
        const record = JSON.parse(await Deno.readTextFile(path)) as BuildRecord;
        const hello = record.examples.find((e) => e.name === "hello_figures")!;
        (hello.cells[1] as { stdout: string }).stdout =
          "sum of squares: 506\nratio: 0.3333333333333334\n";
        await Deno.writeTextFile(path, JSON.stringify(record));
        assertEquals(
          await checkGallery(options(examples, site)),
          [],
          "a change within the relative tolerance passes",
        );
        const figureSha256 = hello.cells[2].files[0].sha256;
        (hello.cells[1] as { stdout: string }).stdout =
          "sum of squares: 507\nratio: 0.3333333333333333\n";
        (hello.cells[2].files[0] as { sha256: string }).sha256 = "0".repeat(64);
        await Deno.writeTextFile(path, JSON.stringify(record));
        assertEquals(await checkGallery(options(examples, site)), [
          {
            example: "hello_figures",
            cell: 1,
            what: "output line 1",
            old: "sum of squares: 507",
            new: "sum of squares: 506",
          },
          {
            example: "hello_figures",
            cell: 2,
            what: "file first.svg",
            old: "0".repeat(64),
            new: figureSha256,
          },
        ]);
      },
    );
  } finally {
    await Deno.remove(examples, { recursive: true });
    await Deno.remove(site, { recursive: true });
  }
});

Deno.test("compareRecords names the embedded PNG that changed inside an SVG", () => {
  const file = {
    name: "f.svg",
    kind: "figure" as const,
    sha256: "a",
    bytes: 1,
    title: "f",
    embeddedPngSha256: ["p1", "p2"],
  };
  const cell = {
    codeIndex: 3,
    stdout: "",
    stderr: "",
    files: [file],
    seconds: 0,
  };
  const old = { name: "ex", ok: true, cells: [cell] };
  const fresh = {
    name: "ex",
    ok: true,
    cells: [{
      ...cell,
      files: [{ ...file, sha256: "b", embeddedPngSha256: ["p1", "p3"] }],
    }],
  };
  assertEquals(compareRecords(old, fresh), [{
    example: "ex",
    cell: 3,
    what: "file f.svg embedded PNG #2",
    old: "p2",
    new: "p3",
  }]);
  assertEquals(compareRecords(old, { ...old, ok: false }), [{
    example: "ex",
    cell: -1,
    what: "status",
    old: "ok",
    new: "failed",
  }]);
});

Deno.test("gallery build command exits non-zero and names the failed example", async () => {
  const site = await Deno.makeTempDir({ prefix: "stria-gallery-cli-" });
  try {
    const output = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        "--allow-run",
        "--allow-env",
        "--allow-sys",
        "gallery/build.ts",
        "--examples",
        FIXTURES,
        "--site",
        site,
        "--synthetic",
        "--jobs",
        "3",
      ],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      env: { NO_COLOR: "1" },
    }).output();
    const stderr = new TextDecoder().decode(output.stderr);
    assertEquals(output.code, 1, stderr);
    assert(stderr.includes("1 example(s) failed: broken"), stderr);
    assert(
      new TextDecoder().decode(output.stdout).includes(
        "built 3 examples (3 run, 0 cached)",
      ),
    );
  } finally {
    await Deno.remove(site, { recursive: true });
  }
});

Deno.test("an example that runs past --timeout is killed and reported as timed out", async () => {
  const examples = await Deno.makeTempDir({ prefix: "stria-gallery-timeout-" });
  const site = await Deno.makeTempDir({
    prefix: "stria-gallery-timeout-site-",
  });
  try {
    await Deno.writeTextFile(
      join(examples, "hangs.ts"),
      '// # Hangs\n//\n// Never finishes.\nconsole.log("started");\n// %%\nawait new Promise((resolve) => setTimeout(resolve, 600_000));\n',
    );
    const started = performance.now();
    const outcome = await buildGallery(
      options(examples, site, { timeoutSeconds: 5 }),
    );
    const [record] = outcome.build.examples;
    assertEquals([record.ok, record.timedOut, outcome.failed], [false, true, [
      "hangs",
    ]]);
    assert(
      performance.now() - started < 30_000,
      "the build does not wait for the hung example",
    );
    assertEquals(record.cells[0].stdout, "started\n");
    assert(
      (await Deno.readTextFile(join(site, "hangs.html"))).includes("timed out"),
    );
  } finally {
    await Deno.remove(examples, { recursive: true });
    await Deno.remove(site, { recursive: true });
  }
});
