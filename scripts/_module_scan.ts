/**
 * Small, formatter-aware source scanning shared by the build and check scripts.
 *
 * It relies on `deno fmt` (and tsc's emit) putting every top-level statement at
 * column 0 while doc comments start with ` *`: a line that begins with
 * `import`/`export` is a real statement, never an example in a comment. That
 * keeps the scripts free of a parser dependency.
 *
 * @module
 */
import { join, relative, sep } from "node:path";
import { readdirSync } from "node:fs";

/** Directories that hold no library code (never published, never checked for exports). */
export const NON_LIBRARY_DIRS: readonly string[] = [
  "tests",
  "examples",
  "scripts",
  "benches",
  "node_modules",
  "npm",
];

const STATIC_IMPORT = /^(?:import|export)\b[^;]*?\bfrom\s*(["'])([^"'\n]+)\1/gm;
const BARE_IMPORT = /^import\s*(["'])([^"'\n]+)\1/gm;
const DYNAMIC_IMPORT = /^(?![ \t]*(?:\*|\/\/)).*?\bimport\(\s*(["'])([^"'\n]+)\1\s*\)/gm;
/** `require("ws")`, `createRequire(import.meta.url)("ws")`. */
const REQUIRE = /^(?![ \t]*(?:\*|\/\/)).*?\b(?:require|createRequire\([^)]*\))\(\s*(["'])([^"'\n]+)\1\s*\)/gm;

/** `new URL("./_worker.ts", import.meta.url)`: a module loaded by URL (a worker entry), not by import. */
const MODULE_URL = /\bnew URL\(\s*(["'])(\.{1,2}\/[^"'\n]+)\.ts\1\s*,\s*import\.meta\.url\s*\)/g;

/** The relative `.ts` paths that `text` names as `new URL("./x.ts", import.meta.url)` (worker entries). */
export function scanModuleUrls(text: string): string[] {
  return [...new Set([...text.matchAll(MODULE_URL)].map((m) => `${m[2]!}.ts`))].sort();
}

/** `text` with its `new URL("./x.ts", import.meta.url)` module URLs pointed at the built `.js` files. */
export function rewriteModuleUrls(text: string): string {
  return text.replace(MODULE_URL, (_all, q: string, path: string) => `new URL(${q}${path}.js${q}, import.meta.url)`);
}

/** Every module specifier that `text` imports, re-exports or requires (static, literal dynamic, `require`). */
export function scanSpecifiers(text: string): string[] {
  const found = new Set<string>();
  for (const re of [STATIC_IMPORT, BARE_IMPORT, DYNAMIC_IMPORT, REQUIRE]) {
    for (const m of text.matchAll(re)) found.add(m[2]!);
  }
  return [...found].sort();
}

/** Starts of column-0 lines that cannot run code when the module loads. */
const INERT_LINE =
  /^(?:$|\/\/|\/\*|\*|import\b|export\s+(?:\{|\*|type\b|interface\b|declare\b|(?:default\s+)?(?:async\s+)?function\b|(?:default\s+)?(?:abstract\s+)?class\b|default\s+[\w$]+;$|const\b|let\b|var\b|enum\b)|(?:async\s+)?function\b|(?:abstract\s+)?class\b|const\b|let\b|var\b|type\b|interface\b|declare\b|enum\b|[}\])]|"use strict")/;

/** The marker a module puts in its source to declare that importing it does something. */
export const SIDE_EFFECTS_MARKER = "evy:side-effects";

/**
 * Whether loading the module runs code beyond declarations: a column-0
 * statement that is not an import, export, declaration or closing bracket
 * (`monkeyPatch();`, `globalThis.x = ...`), or the `// evy:side-effects` marker.
 * Initialisers of top-level `const`s are taken as pure: modules here follow the
 * platform-boundary rule (no I/O at load).
 */
export function hasTopLevelEffects(text: string): boolean {
  if (text.includes(`// ${SIDE_EFFECTS_MARKER}`)) return true;
  let inBlockComment = false;
  for (const line of text.split("\n")) {
    if (inBlockComment) {
      if (line.includes("*/")) inBlockComment = false;
      continue;
    }
    if (line.startsWith("/*") && !line.includes("*/")) {
      inBlockComment = true;
      continue;
    }
    if (line === "" || /^\s/.test(line)) continue;
    if (!INERT_LINE.test(line)) return true;
  }
  return false;
}

/** Every file under `root`, skipping dot-directories and `skip` (top-level names). Sorted, `/`-separated, relative. */
export function walkFiles(root: string, skip: readonly string[] = []): string[] {
  const out: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name.startsWith(".") || (dir === root && skip.includes(entry.name))) continue;
        visit(path);
      } else {
        out.push(relative(root, path).split(sep).join("/"));
      }
    }
  };
  visit(root);
  return out.sort();
}

/** The `.ts` files (no `.d.ts`) among {@linkcode walkFiles}. */
export function walkTs(root: string, skip: readonly string[] = []): string[] {
  return walkFiles(root, skip).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
}

/** Whether a repo-relative path is internal: its file name or one of its folders starts with `_`. */
export function isInternalPath(rel: string): boolean {
  return rel.replace(/^\.\//, "").split("/").some((part) => part.startsWith("_"));
}

/** Whether a repository file is a Deno backend (`hubs/deno.ts`, `*_deno.ts`): type-checked by Deno, run only there. */
export function isDenoBackend(file: string): boolean {
  return /(?:^|\/)(?:deno|[^/]*_deno)\.ts$/.test(file);
}
