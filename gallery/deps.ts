/**
 * The gallery's third-party dependencies, pinned as versioned `npm:` specifiers
 * in one place (the project convention; deno.json's import map is kept for
 * tests).
 *
 * @module
 */

export { Marked } from "npm:marked@15.0.12";
export { default as hljs } from "npm:highlight.js@11.11.1/lib/core";
export { default as hljsTypeScript } from "npm:highlight.js@11.11.1/lib/languages/typescript";
