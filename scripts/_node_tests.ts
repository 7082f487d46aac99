/**
 * Which tests run under Node against the built package, and how they are built.
 *
 * The rule: every `.ts` file under tests/ is built for Node (into
 * `npm/tests/`, same layout) unless it is **Deno-only**, which is when it
 *
 * 1. carries the marker comment `// evy:deno-only` (put it at the top, with the
 *    reason: e.g. tests of scripts/, subprocess cases);
 * 2. uses a `Deno.` API other than `Deno.test` outside comments (detected);
 * 3. imports a Deno backend (`hubs/deno.ts`, a `*_deno.ts` file), a Deno-only
 *    tests/ file, or a repository file that is not in the package (scripts/,
 *    examples/, a module that no deno.json export reaches).
 *
 * So a new runtime-neutral test file (only `Deno.test` and `node:` APIs) is
 * picked up with no change here. The `*_test.ts` files among those built are
 * run with `node --test`; the rest are helpers. Each built file that mentions
 * `Deno.` gets `import { Deno } from ".../node/_deno_test_shim.js"` prepended:
 * a module-local binding that maps `Deno.test` to `node:test`, so no global
 * `Deno` exists on Node and runtime probes stay honest. Imports of the sources
 * (`../queue.ts`) land on the built package (`npm/queue.js`), and
 * `@evy/evy…` becomes `evy…`, the package's own name (Node self-reference).
 *
 * @module
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, relative, resolve } from "node:path";
import { scanSpecifiers, walkFiles, walkTs } from "./_module_scan.ts";
import { type DenoJson, rewriteSpecifiers } from "./_npm_package.ts";

/** The marker comment that keeps a test file off Node. */
export const DENO_ONLY_MARKER = "evy:deno-only";
/** The shim module, relative to tests/. */
export const SHIM = "node/_deno_test_shim.ts";

/** The outcome of {@linkcode selectTests} / {@linkcode buildTests}. */
export interface TestSelection {
  /** Test files to run, relative to the package directory (`tests/queue_test.js`). */
  run: string[];
  /** Every tests/ file built (`.ts` paths relative to the repository). */
  built: string[];
  /** Deno-only files, with the reason. */
  excluded: { file: string; reason: string }[];
}

/** Whether a line holds code rather than a comment (formatter-aware, like the rest of the scan). */
function isCodeLine(line: string): boolean {
  return !/^\s*(?:\/\/|\*|\/\*)/.test(line);
}

/** The direct reason `file` (repo-relative) is Deno-only, or undefined. */
function directReason(root: string, outDir: string, file: string, deno: DenoJson): string | undefined {
  const text = readFileSync(join(root, file), "utf8");
  if (text.includes(`// ${DENO_ONLY_MARKER}`)) return `marked // ${DENO_ONLY_MARKER}`;
  const api = text.split("\n").filter(isCodeLine).join("\n").match(/\bDeno\.(?!test\b)[A-Za-z_$][\w$]*/);
  if (api) return `uses ${api[0]}`;
  for (const spec of scanSpecifiers(text)) {
    const mapped = deno.imports?.[spec];
    const target = mapped !== undefined
      ? normalize(mapped)
      : spec.startsWith(".")
      ? normalize(join(dirname(file), spec))
      : undefined;
    if (target === undefined || target.startsWith("tests/")) continue;
    if (/(?:^|\/)(?:deno|[^/]*_deno)\.ts$/.test(target)) return `imports the Deno backend ${target}`;
    if (!existsSync(join(outDir, target.replace(/\.ts$/, ".js")))) {
      return `imports ${spec}, which is not in the package`;
    }
  }
  return undefined;
}

/** Classifies the tests/ files of `root` against the package built in `outDir` (see the module doc). */
export function selectTests(root: string, outDir: string, deno: DenoJson): TestSelection {
  const files = existsSync(join(root, "tests")) ? walkTs(join(root, "tests")).map((f) => `tests/${f}`) : [];
  const reasons = new Map<string, string>();
  for (const file of files) {
    const reason = directReason(root, outDir, file, deno);
    if (reason !== undefined) reasons.set(file, reason);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const file of files) {
      if (reasons.has(file)) continue;
      for (const spec of scanSpecifiers(readFileSync(join(root, file), "utf8"))) {
        const target = spec.startsWith(".") ? normalize(join(dirname(file), spec)) : "";
        if (reasons.has(target)) {
          reasons.set(file, `imports Deno-only ${target}`);
          changed = true;
          break;
        }
      }
    }
  }
  const built = files.filter((f) => !reasons.has(f));
  return {
    run: built.filter((f) => f.endsWith("_test.ts")).map((f) => f.replace(/\.ts$/, ".js")),
    built,
    excluded: [...reasons].map(([file, reason]) => ({ file, reason })),
  };
}

/**
 * Builds the runtime-neutral tests into `<outDir>/tests/` (the package must
 * already be in `outDir`). Type checking is Deno's job (`deno check`), so tsc
 * only transpiles here.
 */
export function buildTests(
  root: string,
  outDir: string,
  stage: string,
  deno: DenoJson,
  runTsc: (root: string, dir: string, config: Record<string, unknown>) => void,
  compilerOptions: Record<string, unknown>,
): TestSelection {
  const selection = selectTests(root, outDir, deno);
  const shim = `tests/${SHIM}`;
  const inputs = [...new Set([...selection.built, shim])].sort();
  const tsOut = join(stage, "tests-out");
  runTsc(root, stage, {
    compilerOptions: { ...compilerOptions, noCheck: true, declaration: false, sourceMap: true, outDir: tsOut },
    files: inputs.map((f) => resolve(root, f)),
  });
  const shimJs = shim.replace(/\.ts$/, ".js");
  for (const rel of walkFiles(join(tsOut, "tests"))) {
    const file = `tests/${rel}`;
    mkdirSync(dirname(join(outDir, file)), { recursive: true });
    if (file.endsWith(".js.map")) {
      // Point the map at the sources from where the file lands, so stacks name `tests/x_test.ts`.
      const map = JSON.parse(readFileSync(join(tsOut, file), "utf8")) as { sources: string[]; sourceRoot?: string };
      map.sources = map.sources.map((s) =>
        relative(dirname(join(outDir, file)), resolve(dirname(join(tsOut, file)), map.sourceRoot ?? "", s))
          .split("\\").join("/")
      );
      delete map.sourceRoot;
      writeFileSync(join(outDir, file), JSON.stringify(map));
      continue;
    }
    let text = rewriteSpecifiers(readFileSync(join(tsOut, file), "utf8"), deno.name);
    if (file !== shimJs && /\bDeno\./.test(text)) {
      let spec = relative(dirname(file), shimJs).split("\\").join("/");
      if (!spec.startsWith(".")) spec = `./${spec}`;
      // On line 1, not a line of its own, so that the source map's line numbers stay right.
      text = `import { Deno } from "${spec}"; ${text}`;
    }
    writeFileSync(join(outDir, file), text);
  }
  return selection;
}
