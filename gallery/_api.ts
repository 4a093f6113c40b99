/**
 * The site's API reference: `deno doc --html` of the repository's `mod.ts`
 * under `api/`, the links from identifiers in code cells to it, and the
 * "Examples using NAME" backreferences injected into its symbol pages.
 *
 * @module
 */

import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { decodeEntities, escapeHtml } from "./_markdown.ts";
import { writeFileAtomic } from "../lib/_atomic_write.ts";

/** Site-relative folder of the API reference. */
export const API_FOLDER = "api";

/**
 * Site-relative href of an exported symbol's API page (deno doc's layout).
 *
 * @example
 * ```ts
 * import { apiPage } from "./_api.ts";
 *
 * console.log(apiPage("structureTensor")); // api/~/structureTensor.html
 * ```
 */
export function apiPage(name: string): string {
  return `${API_FOLDER}/~/${encodeURIComponent(name)}.html`;
}

/**
 * Writes `deno doc --html` of `modulePath` into `SITE/api/` and returns the
 * names of the symbols that got a page of their own (`api/~/NAME.html`;
 * members such as `Options.width` are not linked to).
 *
 * @throws {Error} with deno doc's error output when it fails.
 */
export async function writeApiReference(
  modulePath: string,
  siteDir: string,
): Promise<Set<string>> {
  const output = join(siteDir, API_FOLDER);
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--html", "--name=stria", `--output=${output}`, modulePath],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!result.success) {
    throw new Error(
      `deno doc --html ${modulePath} failed:\n${
        new TextDecoder().decode(result.stderr)
      }`,
    );
  }
  const names = new Set<string>();
  for await (const entry of Deno.readDir(join(output, "~"))) {
    const symbol = /^([A-Za-z_$][\w$]*)\.html$/.exec(entry.name);
    if (entry.isFile && symbol) names.add(symbol[1]);
  }
  return names;
}

const NAMED_IMPORT =
  /\bimport\s+(?:type\s+)?\{([^}]*)\}\s*from\s*(["'])([^"'\n]+)\2/g;

/**
 * The names a module's code imports from `moduleUrl` that have an API page,
 * as local name → exported name (`{ max as largest }` gives `largest → max`).
 * Specifiers are resolved against `codeUrl`, the code's own URL.
 *
 * @example
 * ```ts
 * import { apiImports } from "./_api.ts";
 *
 * const code = 'import { max as largest, readTiff, type Figure } from "../mod.ts";\nimport { x } from "./other.ts";';
 * const names = apiImports(code, "file:///r/examples/a.ts", "file:///r/mod.ts", new Set(["max", "readTiff", "Figure", "x"]));
 * if (names.size !== 3 || names.get("largest") !== "max") throw new Error([...names].join());
 * console.log([...names.keys()]); // ["largest", "readTiff", "Figure"]
 * ```
 */
export function apiImports(
  code: string,
  codeUrl: string,
  moduleUrl: string,
  apiNames: ReadonlySet<string>,
): Map<string, string> {
  const names = new Map<string, string>();
  for (const match of code.matchAll(NAMED_IMPORT)) {
    if (new URL(match[3], codeUrl).href !== moduleUrl) continue;
    for (const item of match[1].split(",")) {
      const parts = item.trim().replace(/^type\s+/, "").split(/\s+as\s+/);
      const exported = parts[0];
      if (apiNames.has(exported)) names.set(parts[1] ?? exported, exported);
    }
  }
  return names;
}

/** highlight.js scopes that are not references to a binding (text, keys): never linked. */
const NOT_REFERENCE = /\bhljs-(?:string|comment|regexp|doctag|attr|property)\b/;

/**
 * Highlighted code with each identifier in `names` (local name → exported
 * name) wrapped in a link to its API page ({@linkcode apiPage}, relative to
 * the site's root, where the example pages are). Text inside strings and
 * comments, object keys and property names after a `.` are left alone.
 *
 * @example
 * ```ts
 * import { linkApiNames } from "./_api.ts";
 *
 * const html = 'max(a) + Math.<span class="hljs-title function_">max</span>(1); <span class="hljs-comment">// max</span>';
 * const linked = linkApiNames(html, new Map([["max", "max"]]));
 * if (linked.split("api-link").length !== 2) throw new Error(linked);
 * console.log(linked.slice(0, 52)); // <a class="api-link" href="api/~/max.html">max</a>(a)
 * ```
 */
export function linkApiNames(
  highlighted: string,
  names: ReadonlyMap<string, string>,
): string {
  if (names.size === 0) return highlighted;
  const scopes: boolean[] = [];
  let afterDot = false;
  return highlighted.split(/(<[^>]*>)/).map((part) => {
    if (part.startsWith("</")) {
      scopes.pop();
      return part;
    }
    if (part.startsWith("<")) {
      scopes.push(NOT_REFERENCE.test(part));
      return part;
    }
    if (part === "") return part;
    const inCode = !scopes.some(Boolean);
    const linked = part.replace(
      /[A-Za-z_$][\w$]*/g,
      (word, at: number) => {
        const dotted = at === 0 ? afterDot : part[at - 1] === ".";
        const exported = names.get(word);
        return inCode && !dotted && exported !== undefined
          ? `<a class="api-link" href="${apiPage(exported)}">${word}</a>`
          : word;
      },
    );
    afterDot = part.endsWith(".");
    return linked;
  }).join("");
}

/** A page that uses an API symbol. */
export interface Backreference {
  /** Site-relative href of the page. */
  readonly href: string;
  readonly title: string;
}

/**
 * The API symbols a rendered page links to (by {@linkcode linkApiNames}), in
 * first-use order.
 *
 * @example
 * ```ts
 * import { linkedApiNames } from "./_api.ts";
 *
 * const html = '<a class="api-link" href="api/~/max.html">max</a> <a class="api-link" href="api/~/min.html">min</a> <a class="api-link" href="api/~/max.html">max</a>';
 * const names = linkedApiNames(html);
 * if (names.join() !== "max,min") throw new Error(names.join());
 * console.log(names); // ["max", "min"]
 * ```
 */
export function linkedApiNames(html: string): string[] {
  const names = new Set<string>();
  for (
    const match of html.matchAll(
      /<a class="api-link" href="api\/~\/([^"]+)\.html">/g,
    )
  ) names.add(decodeURIComponent(match[1]));
  return [...names];
}

/**
 * `html` (a deno doc page) with each link to a file under the folder `root`
 * (deno doc links every symbol's source as a `file:` URL of the machine that
 * built it) pointing instead at the same path under `sourceUrl`, the
 * repository root as published (see `SiteSources.sourceUrl`).
 *
 * @example
 * ```ts
 * import { relinkSources } from "./_api.ts";
 *
 * const page = '<a href="file:&#x2F;&#x2F;&#x2F;repo&#x2F;lib&#x2F;a.ts">a.ts</a>';
 * console.log(relinkSources(page, "/repo", "https://example.org/stria/")); // <a href="https://example.org/stria/lib/a.ts">a.ts</a>
 * ```
 */
export function relinkSources(
  html: string,
  root: string,
  sourceUrl: string,
): string {
  const rootUrl = pathToFileURL(join(root, "/")).href;
  return html.replace(/\shref="([^"]*)"/g, (whole, value: string) => {
    const url = decodeEntities(value);
    if (!url.startsWith(rootUrl)) return whole;
    return ` href="${
      escapeHtml(new URL(url.slice(rootUrl.length), sourceUrl).href)
    }"`;
  });
}

/**
 * Finishes deno doc's pages: each gets the gallery pages' empty icon (so a
 * browser does not ask the site for a missing `/favicon.ico`), its links to
 * source files under `source.root` pointed at `source.sourceUrl`
 * ({@linkcode relinkSources}), and the page of every symbol in `uses` an
 * "Examples using NAME" section linking those pages (before the end of its
 * main content). Pages are rewritten atomically.
 *
 * @throws {Error} when a page lacks the `</head>`, or a symbol page the
 * `</article></main>`, that the additions go before.
 */
export async function completeApiPages(
  siteDir: string,
  uses: ReadonlyMap<string, readonly Backreference[]>,
  source: { readonly root: string; readonly sourceUrl: string },
): Promise<void> {
  const api = join(siteDir, API_FOLDER);
  for (const folder of [api, join(api, "~")]) {
    for await (const entry of Deno.readDir(folder)) {
      if (!entry.isFile || !entry.name.endsWith(".html")) continue;
      const path = join(folder, entry.name);
      let html = relinkSources(
        await Deno.readTextFile(path),
        source.root,
        source.sourceUrl,
      );
      const insert = (anchor: string, addition: string) => {
        if (!html.includes(anchor)) {
          throw new Error(`${path}: no "${anchor}" to insert before`);
        }
        html = html.replace(anchor, addition + anchor);
      };
      insert("</head>", '<link rel="icon" href="data:,">');
      const name = folder === api ? undefined : entry.name.slice(0, -5);
      const pages = name === undefined ? undefined : uses.get(name);
      if (pages) {
        // Symbol pages sit two folders below the site's root (api/~/).
        const items = pages.map((page) =>
          `<li><a href="../../${page.href}">${escapeHtml(page.title)}</a></li>`
        ).join("");
        insert(
          "</article></main>",
          `<section class="section stria-backreferences" id="examples-using"><h2>Examples using <code>${
            escapeHtml(name!)
          }</code></h2><ul>${items}</ul></section>`,
        );
      }
      await writeFileAtomic("buildGallery", path, html);
    }
  }
}
