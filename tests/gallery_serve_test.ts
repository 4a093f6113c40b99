import { assertEquals } from "./_gallery_assert.ts";
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

Deno.test("serveSite serves files with content types, index.html for folders, 404 and 400", async () => {
  const site = await Deno.makeTempDir({ prefix: "stria-gallery-serve-" });
  await Deno.mkdir(join(site, "outputs"));
  await Deno.writeTextFile(
    join(site, "index.html"),
    "<!DOCTYPE html><title>i</title>",
  );
  await Deno.writeTextFile(
    join(site, "outputs", "f.svg"),
    "<svg xmlns='http://www.w3.org/2000/svg'/>",
  );
  await Deno.writeTextFile(join(site, "outputs", "v.view.json"), "{}");
  const server = serveSite(site, 0);
  const base = `http://127.0.0.1:${server.addr.port}`;
  try {
    const cases: [string, number, string | null][] = [
      ["/", 200, "text/html; charset=utf-8"],
      ["/outputs/f.svg", 200, "image/svg+xml"],
      ["/outputs/v.view.json", 200, "application/json; charset=utf-8"],
      ["/missing.html", 404, "text/plain;charset=UTF-8"],
      ["/a/..%2f..%2fetc%2fpasswd", 400, "text/plain;charset=UTF-8"],
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
  } finally {
    await server.shutdown();
    await Deno.remove(site, { recursive: true });
  }
});
