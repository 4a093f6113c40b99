/**
 * Markdown and TypeScript highlighting for the gallery pages, done at build
 * time with pinned npm packages (marked, highlight.js), so pages need no
 * client-side rendering.
 *
 * @module
 */

import { hljs, hljsTypeScript, Marked } from "./deps.ts";

hljs.registerLanguage("typescript", hljsTypeScript);

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) =>
      ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[
        c
      ]!,
  );
}

const NAMED_ENTITIES: Record<string, string> = {
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  amp: "&",
};

/**
 * XML or HTML text with its character references decoded: the five named
 * ones (what lib/plot's `escapeXml` writes) and numeric ones (`&#x2F;`, as
 * deno doc writes `/` in attributes). Others are left as they are.
 *
 * @example
 * ```ts
 * import { decodeEntities } from "./_markdown.ts";
 * console.log(decodeEntities("a &lt; b &amp;amp; file:&#x2F;&#x2F;&#47;x")); // a < b &amp; file:///x
 * ```
 */
export function decodeEntities(text: string): string {
  return text.replace(
    /&(?:#x([\da-f]+)|#(\d+)|([a-z]+));/gi,
    (whole, hex: string, decimal: string, name: string) => {
      if (name !== undefined) {
        return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
      }
      const code = hex !== undefined ? parseInt(hex, 16) : Number(decimal);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    },
  );
}

/**
 * TypeScript source as highlighted HTML (spans with `hljs-*` classes).
 *
 * @example
 * ```ts
 * import { highlightTypeScript } from "./_markdown.ts";
 *
 * console.log(highlightTypeScript("const a = 1;").includes("hljs-keyword")); // true
 * ```
 */
export function highlightTypeScript(code: string): string {
  return hljs.highlight(code, { language: "typescript", ignoreIllegals: true })
    .value;
}

const markdown = new Marked({
  gfm: true,
  renderer: {
    code({ text, lang }) {
      const language = (lang ?? "").trim().toLowerCase();
      const body = ["ts", "typescript", "js", "javascript"].includes(language)
        ? highlightTypeScript(text)
        : escapeHtml(text);
      return `<pre class="code"><code class="hljs">${body}</code></pre>\n`;
    },
  },
});

/**
 * Markdown as HTML. Raw HTML in the markdown is kept: examples are trusted
 * repository files.
 *
 * @example
 * ```ts
 * import { renderMarkdown } from "./_markdown.ts";
 *
 * console.log(renderMarkdown("A *pancake*.")); // <p>A <em>pancake</em>.</p>
 * ```
 */
export function renderMarkdown(text: string): string {
  return markdown.parse(text, { async: false }) as string;
}

/**
 * `html` with a permalink (a "¶" anchor, as sphinx-gallery's) at the end of
 * each `h2` and `h3`, whose id is made from its text, unique among `ids` (the
 * page's ids so far, updated).
 *
 * @example
 * ```ts
 * import { permalinkHeadings } from "./_markdown.ts";
 *
 * const html = permalinkHeadings("<h2>Load the image</h2><h2>Load the image</h2>", new Set());
 * if (!html.includes('id="load-the-image-2"')) throw new Error(html);
 * console.log(html.split("</h2>")[0]); // <h2 id="load-the-image">Load the image<a class="headerlink" href="#load-the-image" title="Link to this heading">¶</a>
 * ```
 */
export function permalinkHeadings(html: string, ids: Set<string>): string {
  return html.replace(
    /<(h[23])>([\s\S]*?)<\/\1>/g,
    (_, tag: string, content: string) => {
      const base = content.replace(/<[^>]*>/g, "").replace(/&[^;]+;/g, "")
        .toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") ||
        "section";
      let id = base;
      for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
      ids.add(id);
      return `<${tag} id="${id}">${content}<a class="headerlink" href="#${id}" title="Link to this heading">¶</a></${tag}>`;
    },
  );
}
