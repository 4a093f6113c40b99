import { assert, assertEquals } from "./_gallery_assert.ts";
import { join } from "node:path";
import { resolveSitePath, serveSite } from "../gallery/serve.ts";

Deno.test("resolveSitePath keeps paths inside the site and refuses traversal", () => {
  assertEquals(resolveSitePath("/site", "/"), "/site");
  assertEquals(
    resolveSitePath("/site", "/outputs/a%20b.svg"),
    "/site/outputs/a b.svg",
  );
  assertEquals(
    resolveSitePath("/site", "/./static//gallery.css"),
    "/site/static/gallery.css",
  );
  for (
    const bad of [
      "/../etc/passwd",
      "/%2e%2e/etc/passwd",
      "/a/..%2f..%2fetc",
      "/a%5c..%5cb",
      "/a%00.html",
      "/%E0%A4%A",
    ]
  ) {
    assertEquals(resolveSitePath("/site", bad), null, bad);
  }
});

/** A temporary site with index.html and outputs/f.svg, and a sibling folder outside it. */
async function withSite(
  test: (site: string, outside: string, base: string) => Promise<void>,
) {
  const parent = await Deno.makeTempDir({ prefix: "stria-gallery-serve-" });
  const site = join(parent, "site");
  // A sibling whose name extends the site's: a prefix test without the separator would let it in.
  const outside = join(parent, "site-outside");
  await Deno.mkdir(join(site, "outputs"), { recursive: true });
  await Deno.mkdir(outside);
  await Deno.writeTextFile(
    join(site, "index.html"),
    "<!DOCTYPE html><title>i</title>",
  );
  await Deno.writeTextFile(
    join(site, "outputs", "f.svg"),
    "<svg xmlns='http://www.w3.org/2000/svg'/>",
  );
  await Deno.writeTextFile(join(site, "outputs", "v.view.json"), "{}");
  await Deno.writeTextFile(join(outside, "secret.txt"), "secret");
  await Deno.writeTextFile(join(outside, "index.html"), "secret index");
  const server = serveSite(site, 0);
  try {
    await test(site, outside, `http://127.0.0.1:${server.addr.port}`);
  } finally {
    await server.shutdown();
    await Deno.remove(parent, { recursive: true });
  }
}

/** Fetches each path and checks its status (and body when given). */
async function expectStatuses(
  base: string,
  cases: readonly (readonly [path: string, status: number, body?: string])[],
) {
  for (const [path, status, body] of cases) {
    const response = await fetch(base + path, {
      signal: AbortSignal.timeout(5000),
    });
    const text = await response.text();
    assertEquals(response.status, status, `${path}: ${text}`);
    if (body !== undefined) assertEquals(text, body, path);
  }
}

Deno.test("serveSite serves files with content types, index.html for folders, 404 and 400, on loopback", async () => {
  await withSite(async (_site, _outside, base) => {
    assertEquals(new URL(base).hostname, "127.0.0.1");
    const cases: [string, number, string | null][] = [
      ["/", 200, "text/html; charset=utf-8"],
      ["/outputs/f.svg", 200, "image/svg+xml"],
      ["/outputs/v.view.json", 200, "application/json; charset=utf-8"],
      ["/missing.html", 404, "text/plain;charset=UTF-8"],
      ["/a/..%2f..%2fetc%2fpasswd", 400, "text/plain;charset=UTF-8"],
      ["/a%5c..%5cb", 400, "text/plain;charset=UTF-8"],
      ["/index.html%00.svg", 400, "text/plain;charset=UTF-8"],
      // fetch normalizes dot segments itself, so this one arrives as /etc/passwd.
      ["/%2e%2e/%2e%2e/etc/passwd", 404, "text/plain;charset=UTF-8"],
    ];
    for (const [path, status, type] of cases) {
      const response = await fetch(base + path);
      await response.body?.cancel();
      assertEquals([response.status, response.headers.get("content-type")], [
        status,
        type,
      ], path);
    }
    const post = await fetch(base + "/", { method: "POST" });
    await post.body?.cancel();
    assertEquals(post.status, 405);
  });
});

Deno.test("serveSite refuses links out of the root, to a file or a folder, and serves links that stay inside", async () => {
  await withSite(async (site, outside, base) => {
    await Deno.symlink(join(outside, "secret.txt"), join(site, "file-out.txt"));
    await Deno.symlink("/etc/passwd", join(site, "passwd.txt"));
    await Deno.symlink(outside, join(site, "folder-out"));
    await Deno.symlink(join(site, "file-out.txt"), join(site, "chain.txt"));
    await Deno.mkdir(join(site, "page"));
    await Deno.symlink(
      join(outside, "index.html"),
      join(site, "page", "index.html"),
    );
    await Deno.symlink("outputs/f.svg", join(site, "alias.svg"));
    await Deno.symlink("../site/outputs", join(site, "figures"));
    await Deno.symlink("loop-b", join(site, "loop-a"));
    await Deno.symlink("loop-a", join(site, "loop-b"));
    const svg = "<svg xmlns='http://www.w3.org/2000/svg'/>";
    await expectStatuses(base, [
      ["/file-out.txt", 404, "not found\n"],
      ["/passwd.txt", 404, "not found\n"],
      ["/folder-out/secret.txt", 404, "not found\n"],
      ["/folder-out/", 404, "not found\n"],
      ["/chain.txt", 404, "not found\n"],
      ["/page/", 404, "not found\n"],
      ["/alias.svg", 200, svg],
      // Leaves the root by its spelling and comes back: the real path decides.
      ["/figures/f.svg", 200, svg],
      ["/loop-a", 404, "not found\n"],
      ["/index.html/x", 404, "not found\n"],
    ]);
  });
});

Deno.test("serveSite refuses a FIFO in the site without hanging", async () => {
  await withSite(async (site, _outside, base) => {
    const fifo = join(site, "pipe.html");
    const made = await new Deno.Command("mkfifo", { args: [fifo] }).output();
    assert(made.success, new TextDecoder().decode(made.stderr));
    try {
      await expectStatuses(base, [["/pipe.html", 404, "not found\n"]]);
    } catch (error) {
      // The server is blocked reading the FIFO: a writer's end-of-file frees it.
      (await Deno.open(fifo, { write: true })).close();
      throw error;
    }
  });
});

Deno.test("deno task serve's permissions: links out are 404, a fault is a 500 and one line on stderr", async () => {
  await withSite(async (site, outside) => {
    await Deno.symlink(join(outside, "secret.txt"), join(site, "file-out.txt"));
    // Read granted on a link to the site: the real paths are not granted.
    const linked = `${site}-link`;
    await Deno.symlink(site, linked);
    for (
      const [root, cases] of [
        [site, [["/", 200], ["/file-out.txt", 404]]],
        [linked, [["/", 500]]],
      ] as const
    ) {
      const child = new Deno.Command(Deno.execPath(), {
        args: [
          "run",
          `--allow-read=${root}`,
          "--allow-net=127.0.0.1",
          join(import.meta.dirname!, "..", "gallery", "serve.ts"),
          "--root",
          root,
          "--port",
          "0",
        ],
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const lines = child.stdout.pipeThrough(new TextDecoderStream())
        .getReader();
      try {
        const { value: banner } = await lines.read();
        const address = banner?.match(/at (http:\/\/127\.0\.0\.1:\d+)\//);
        assert(address, `banner: ${banner}`);
        await expectStatuses(address[1], cases);
      } finally {
        child.kill();
        await lines.cancel();
        const stderr = await new Response(child.stderr).text();
        await child.status;
        const logged = stderr.trim().split("\n").filter((line) => line);
        if (root === site) assertEquals(logged, []);
        else {
          assertEquals(logged.length, 1, stderr);
          assert(/^serve: .*Requires read access/.test(logged[0]), stderr);
        }
      }
    }
  });
});
