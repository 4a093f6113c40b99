/**
 * Serves the built gallery on loopback: `deno task serve [--port 8000] [--root gallery/site]`.
 * Static files only, with content types; paths that leave the site root are refused.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { extname, join, resolve, sep } from "node:path";

/**
 * Content types by file extension.
 *
 * @example
 * ```ts
 * import { CONTENT_TYPES } from "./serve.ts";
 *
 * console.log(CONTENT_TYPES[".svg"]); // image/svg+xml
 * ```
 */
export const CONTENT_TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ts": "text/plain; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".tif": "image/tiff",
  ".tiff": "image/tiff",
};

/**
 * Resolves a URL path to a file under `root`, or null when it would leave the
 * root (`..`, encoded separators, NUL) or is not valid percent-encoding.
 *
 * @example
 * ```ts
 * import { resolveSitePath } from "./serve.ts";
 *
 * console.log(resolveSitePath("/site", "/outputs/a.svg")); // /site/outputs/a.svg
 * console.log(resolveSitePath("/site", "/../etc/passwd")); // null
 * ```
 */
export function resolveSitePath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes("\0") || decoded.includes("\\")) return null;
  const segments = decoded.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.some((s) => s === "..")) return null;
  const base = resolve(root);
  const path = join(base, ...segments);
  return path === base || path.startsWith(base + sep) ? path : null;
}

/**
 * A request handler serving the files under `root`.
 *
 * @example
 * ```ts
 * import { siteHandler } from "./serve.ts";
 *
 * const handler = siteHandler("/nonexistent/site");
 * console.log((await handler(new Request("http://127.0.0.1/missing.html"))).status); // 404
 * ```
 */
export function siteHandler(
  root: string,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return new Response("method not allowed\n", {
        status: 405,
        headers: { allow: "GET, HEAD" },
      });
    }
    let path = resolveSitePath(root, new URL(request.url).pathname);
    if (path === null) return new Response("bad path\n", { status: 400 });
    try {
      if ((await Deno.stat(path)).isDirectory) path = join(path, "index.html");
      const body = await Deno.readFile(path);
      const headers = {
        "content-type": CONTENT_TYPES[extname(path).toLowerCase()] ??
          "application/octet-stream",
        "x-content-type-options": "nosniff",
        "cache-control": "no-cache",
      };
      return new Response(request.method === "HEAD" ? null : body, { headers });
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) {
        return new Response("not found\n", { status: 404 });
      }
      throw error;
    }
  };
}

/**
 * Starts serving `root` on 127.0.0.1 at `port` (0 picks a free port).
 *
 * @example
 * ```ts
 * import { serveSite } from "./serve.ts";
 *
 * const site = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${site}/index.html`, "<!DOCTYPE html>");
 * const server = serveSite(site, 0);
 * const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
 * console.log(response.headers.get("content-type")); // text/html; charset=utf-8
 * await response.body?.cancel();
 * await server.shutdown();
 * await Deno.remove(site, { recursive: true });
 * ```
 */
export function serveSite(
  root: string,
  port: number,
  onListen?: (address: Deno.NetAddr) => void,
): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve({
    hostname: "127.0.0.1",
    port,
    onListen: onListen ?? (() => {}),
  }, siteHandler(root));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      port: { type: "string", default: "8000" },
      root: { type: "string", default: "gallery/site" },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(
      `serve: --port must be an integer from 0 to 65535, got ${
        JSON.stringify(values.port)
      }`,
    );
    Deno.exit(2);
  }
  serveSite(
    values.root,
    port,
    (address) =>
      console.log(
        `serving ${values.root} at http://127.0.0.1:${address.port}/`,
      ),
  );
}
