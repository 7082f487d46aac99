/**
 * Checks that deno.json's `exports` describe the package (std's `check_*` habit):
 *
 * - every public `.ts` file (outside tests/, examples/, scripts/, benches/) is
 *   reachable from an export through its imports; a file is internal, and may be
 *   unreachable, when its name or a folder on its path starts with `_`;
 * - no export points at an internal file, and every export's file exists;
 * - export keys are kebab-case, and each has the matching `imports` entry
 *   (`"./green/net"` ↔ `"@evy/evy/green/net"`) so doc examples resolve.
 *
 * Usage: `deno run -A scripts/check_exports.ts` (exit code 1 on a problem).
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import process from "node:process";
import { isInternalPath, NON_LIBRARY_DIRS, scanSpecifiers, walkTs } from "./_module_scan.ts";

interface DenoJson {
  name: string;
  exports: Record<string, string>;
  imports?: Record<string, string>;
}

/** Resolves a specifier found in `from` (repo-relative) to a repo-relative path, or undefined if external. */
function resolveLocal(spec: string, from: string, imports: Record<string, string>): string | undefined {
  const mapped = imports[spec];
  if (mapped !== undefined) spec = mapped;
  else if (!spec.startsWith(".")) return undefined;
  const base = mapped !== undefined ? "." : dirname(from);
  return normalize(join(base, spec)).split("\\").join("/");
}

/** Returns the problems found in the repository at `root` (empty when clean). */
export function checkExports(root: string): string[] {
  const deno = JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as DenoJson;
  const imports = deno.imports ?? {};
  const problems: string[] = [];
  const entries: string[] = [];

  for (const [key, target] of Object.entries(deno.exports)) {
    const file = normalize(target).split("\\").join("/");
    if (!existsSync(join(root, file))) problems.push(`export "${key}" points at missing file ${target}`);
    if (isInternalPath(file)) problems.push(`export "${key}" exposes internal file ${target}`);
    if (!/^\.(\/[a-z0-9]+(-[a-z0-9]+)*)*$/.test(key)) problems.push(`export key "${key}" is not kebab-case`);
    const alias = deno.name + key.slice(1);
    if (imports[alias] === undefined) {
      problems.push(`export "${key}" has no "imports" entry "${alias}" (doc examples cannot resolve it)`);
    } else if (normalize(imports[alias]) !== normalize(target)) {
      problems.push(`"imports" entry "${alias}" is ${imports[alias]}, but export "${key}" is ${target}`);
    }
    entries.push(file);
  }

  const reachable = new Set<string>();
  const queue = entries.filter((f) => existsSync(join(root, f)));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (reachable.has(file)) continue;
    reachable.add(file);
    for (const spec of scanSpecifiers(readFileSync(join(root, file), "utf8"))) {
      const dep = resolveLocal(spec, file, imports);
      if (dep !== undefined && dep.endsWith(".ts") && existsSync(join(root, dep))) queue.push(dep);
    }
  }

  for (const file of walkTs(root, NON_LIBRARY_DIRS)) {
    if (!isInternalPath(file) && !reachable.has(file)) {
      problems.push(`${file} is public (no leading "_") but no deno.json export reaches it`);
    }
  }
  return problems;
}

if (import.meta.main) {
  const problems = checkExports(process.cwd());
  for (const p of problems) console.error(`check_exports: ${p}`);
  if (problems.length > 0) process.exit(1);
  console.log("check_exports: ok");
}
