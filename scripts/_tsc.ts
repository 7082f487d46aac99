/**
 * tsc (npm's `typescript`, run with node) for the npm build: the shared
 * compiler options and error parsing.
 *
 * @module
 */
import { existsSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import type { DenoJson } from "./_npm_package.ts";

/** One tsc error: `file` relative to the repository root. */
export interface TscDiagnostic {
  file: string;
  code: string;
  /** The whole message, `file(line,col): error TSnnnn: ...` with its continuation lines. */
  text: string;
}

/**
 * Runs tsc with the given tsconfig object (written to `dir`) and returns its
 * errors; files are emitted even when there are some (callers decide).
 *
 * @throws {Error} when tsc is missing or fails without reporting an error.
 */
export function runTsc(root: string, dir: string, config: Record<string, unknown>): TscDiagnostic[] {
  const path = join(dir, "tsconfig.json");
  writeFileSync(path, JSON.stringify(config, null, 2));
  const tsc = join(root, "node_modules", "typescript", "bin", "tsc");
  if (!existsSync(tsc)) throw new Error("typescript is not installed: run `npm install` in the repository");
  const out = new Deno.Command("node", { args: [tsc, "-p", path, "--pretty", "false"], cwd: root }).outputSync();
  const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
  const diagnostics: TscDiagnostic[] = [];
  for (const line of text.split("\n")) {
    const m = line.match(/^(.+?)\(\d+,\d+\): error (TS\d+): /);
    if (m) diagnostics.push({ file: m[1]!.split("\\").join("/"), code: m[2]!, text: line });
    else if (line.trim() !== "" && diagnostics.length > 0) diagnostics.at(-1)!.text += "\n" + line;
  }
  if (!out.success && diagnostics.length === 0) throw new Error(`tsc failed:\n${text}`);
  return diagnostics;
}

/** The `Deno` namespace declarations of the running Deno, for checking the Deno backends. */
export function denoNamespaceTypes(): string {
  const out = new Deno.Command(Deno.execPath(), { args: ["types"] }).outputSync();
  if (!out.success) throw new Error("`deno types` failed");
  const lines = new TextDecoder().decode(out.stdout).split("\n");
  const kept: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (line.startsWith("declare namespace Deno ")) inside = true;
    if (inside) kept.push(line);
    if (inside && line === "}") inside = false;
  }
  return kept.join("\n") + "\n";
}

/** Compiler options shared by the library and test builds. */
export function baseCompilerOptions(
  root: string,
  deno: DenoJson & { compilerOptions?: object },
): Record<string, unknown> {
  const paths: Record<string, string[]> = {};
  for (const [alias, target] of Object.entries(deno.imports ?? {})) {
    if (target.startsWith(".")) paths[alias] = [resolve(root, target)];
  }
  return {
    ...deno.compilerOptions,
    target: "ES2022",
    lib: ["ES2023", "ESNext.Disposable", "DOM", "DOM.Iterable"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    types: ["node"],
    typeRoots: [join(root, "node_modules", "@types")],
    paths,
    rewriteRelativeImportExtensions: true,
    allowImportingTsExtensions: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    newLine: "lf",
    rootDir: root,
  };
}
