/**
 * Keeps DESIGN.md's dependency direction true:
 *
 * ```
 * hubs/ <- core/ <- green/ <- web/, db/ <- tools/
 * ```
 *
 * with `mod.ts` and `patch.ts` (the facade) free to import any layer, and no
 * layer importing the facade. A file may import its own layer and the layers
 * below it; `tools/` (the debug tools, the backdoor, the multi-process server)
 * sits above `web/` and `db/` because spawning serves with `serve()`. `web/` and
 * `db/` are peers and import neither each other.
 *
 * Internals: a file or folder whose name starts with `_` is internal to its
 * layer, so another layer importing it fails the check — a lower layer offers
 * what upper ones need through a declared file (`core/internal.ts`).
 *
 * Usage: `deno run -A scripts/check_layers.ts [root]` (exit code 1 on a
 * problem). `checkLayers(root)` returns the problems, for tests.
 *
 * @module
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import process from "node:process";
import { NON_LIBRARY_DIRS, scanSpecifiers, walkTs } from "./_module_scan.ts";

/** Rank of each layer: a file may import layers of equal or lower rank (peers excepted). */
const RANK: Readonly<Record<string, number>> = { hubs: 0, core: 1, green: 2, web: 3, db: 3, tools: 4 };
const FACADE = new Set(["mod.ts", "patch.ts"]);

/** The layer a repository-relative path belongs to: a folder name, "facade", or undefined (not library code). */
export function layerOf(rel: string): string | undefined {
  if (FACADE.has(rel)) return "facade";
  const top = rel.split("/")[0]!;
  return top in RANK ? top : undefined;
}

function isInternalWithin(rel: string): boolean {
  return rel.split("/").slice(1).some((part) => part.startsWith("_"));
}

/** Returns the layering problems of the library files under `root` (empty when clean). */
export function checkLayers(root: string): string[] {
  const problems: string[] = [];
  const files = walkTs(root, NON_LIBRARY_DIRS).filter((f) => layerOf(f) !== undefined);
  for (const file of files) {
    const from = layerOf(file)!;
    const text = readFileSync(join(root, file), "utf8");
    for (const spec of scanSpecifiers(text)) {
      if (!spec.startsWith(".")) continue;
      const target = normalize(join(dirname(file), spec)).split("\\").join("/");
      const to = layerOf(target);
      if (to === undefined) {
        if (existsSync(join(root, target))) problems.push(`${file}: imports ${spec}, which is not library code`);
        continue;
      }
      if (to === from) continue;
      if (to === "facade") {
        problems.push(`${file}: imports the facade ${target}; import the layer's own file instead`);
        continue;
      }
      if (from !== "facade") {
        const a = RANK[from]!;
        const b = RANK[to]!;
        if (b > a || (b === a && from !== to)) {
          problems.push(
            `${file}: ${from}/ imports ${target}, against the direction hubs <- core <- green <- web, db <- tools`,
          );
          continue;
        }
      }
      if (isInternalWithin(target)) {
        problems.push(
          `${file}: imports ${target}, an internal file of ${to}/ (use what ${to}/ declares for other layers)`,
        );
      }
    }
  }
  return problems;
}

if (import.meta.main) {
  const root = process.argv[2] ?? new URL("..", import.meta.url).pathname;
  const problems = checkLayers(root);
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    console.error(`check_layers: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log("check_layers: ok");
}
