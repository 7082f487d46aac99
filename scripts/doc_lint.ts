/**
 * `deno doc --lint` over every entry point in deno.json's `exports` (so a new
 * export is linted without touching the `check` task).
 *
 * It drops one known false alarm: `web/`'s Node websocket backend imports
 * types from `ws`, whose `@types/ws` says `/// <reference types="node" />`,
 * and `deno doc` (2.9) then resolves `@types/node/index.d.ts`'s own
 * `/// <reference path="zlib.d.ts" />` lines as if they named packages,
 * printing one "Failed resolving types. Could not find package 'x.d.ts'"
 * warning per line (59). `deno check` resolves them correctly, so the types
 * are fine; only those warnings, and only with that referrer, are dropped.
 *
 * Usage: `deno run -A scripts/doc_lint.ts` (exit code: `deno doc`'s).
 *
 * @module
 */
import { readFileSync } from "node:fs";
import process from "node:process";

const ROOT = new URL("../", import.meta.url);
/** A warning line, and the `at` line after it, that come from `@types/node`'s reference paths. */
const TYPES_NODE_WARNING =
  /Failed resolving types\. Could not find package '[^']+' from referrer '[^']*\/@types\/node\//;

/** The entry files of deno.json's `exports`, repository-relative, in their order. */
export function entryPoints(denoJson: { exports: Record<string, string> }): string[] {
  return [...new Set(Object.values(denoJson.exports).map((path) => path.replace(/^\.\//, "")))];
}

/** `output` without the `@types/node` reference-path warnings; returns the kept text and how many were dropped. */
export function dropTypesNodeWarnings(output: string): { text: string; dropped: number } {
  const lines = output.split("\n");
  const kept: string[] = [];
  let dropped = 0;
  for (let i = 0; i < lines.length; i++) {
    // deno-lint-ignore no-control-regex
    const plain = lines[i]!.replace(/\x1b\[[0-9;]*m/g, "");
    if (TYPES_NODE_WARNING.test(plain)) {
      dropped++;
      // deno-lint-ignore no-control-regex
      if (/^\s+at /.test((lines[i + 1] ?? "").replace(/\x1b\[[0-9;]*m/g, ""))) i++;
      continue;
    }
    kept.push(lines[i]!);
  }
  return { text: kept.join("\n"), dropped };
}

if (import.meta.main) {
  const denoJson = JSON.parse(readFileSync(new URL("deno.json", ROOT), "utf8"));
  const files = entryPoints(denoJson);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["doc", "--lint", ...files],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  process.stdout.write(new TextDecoder().decode(out.stdout));
  const { text, dropped } = dropTypesNodeWarnings(new TextDecoder().decode(out.stderr));
  process.stderr.write(text);
  if (dropped > 0) {
    console.error(`doc_lint: ${files.length} entry points (${dropped} @types/node reference warnings dropped)`);
  } else console.error(`doc_lint: ${files.length} entry points`);
  process.exit(out.code);
}
