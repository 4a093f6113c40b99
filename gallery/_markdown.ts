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
