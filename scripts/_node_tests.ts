/**
 * Which tests run under Node against the built package, and how they are built.
 *
 * The rule: every `.ts` file under tests/ is built for Node (into
 * `npm/tests/`, same layout) unless it is **Deno-only**, which is when it
 *
 * 1. carries the marker comment `// evy:deno-only` (put it at the top, with the
 *    reason: e.g. tests of scripts/, subprocess cases);
 * 2. uses a `Deno.` API other than `Deno.test` (detected on the transpiled
 *    JavaScript outside comments and string literals, so type-only uses and
 *    test names such as `"Deno.Conn compatibility"` do not count);
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
import { isDenoBackend, scanSpecifiers, walkFiles, walkTs } from "./_module_scan.ts";
import { baseCompilerOptions, runTsc } from "./_tsc.ts";
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
  /** Uses, in built files, of APIs that Node 20 lacks (tsc's lib errors under ES2023), set by {@linkcode buildTests}. */
  tooNew?: string[];
}

/**
 * The code of a module with comment lines and the text of string literals
 * removed, so that `"Deno.Conn compatibility"` or a doc line is not an API use.
 */
function codeOnly(text: string): string {
  return text.split("\n").filter((line) => !/^\s*(?:\/\/|\*|\/\*)/.test(line)).join("\n")
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`[^`$]*`/g, '""');
}

/** Repo-relative targets of the local imports of `file` (mapped `@evy/evy…` included), `.js` mapped back to `.ts`. */
function localImports(root: string, file: string, code: string, deno: DenoJson): { spec: string; target: string }[] {
  const out: { spec: string; target: string }[] = [];
  for (const spec of scanSpecifiers(code)) {
    const mapped = deno.imports?.[spec];
    let target = mapped !== undefined
      ? normalize(mapped)
      : spec.startsWith(".")
      ? normalize(join(dirname(file), spec))
      : undefined;
    if (target === undefined) continue;
    if (target.endsWith(".js") && existsSync(join(root, target.replace(/\.js$/, ".ts")))) {
      target = target.replace(/\.js$/, ".ts");
    }
    out.push({ spec, target: target.split("\\").join("/") });
  }
  return out;
}

/** The direct reason `file` (repo-relative) is Deno-only, or undefined. `code` is what runs (types erased). */
function directReason(root: string, outDir: string, file: string, code: string, deno: DenoJson): string | undefined {
  if (readFileSync(join(root, file), "utf8").includes(`// ${DENO_ONLY_MARKER}`)) return `marked // ${DENO_ONLY_MARKER}`;
  const api = codeOnly(code).match(/\bDeno\.(?!test\b)[A-Za-z_$][\w$]*/);
  if (api) return `uses ${api[0]}`;
  for (const { spec, target } of localImports(root, file, code, deno)) {
    if (target.startsWith("tests/")) continue;
    if (isDenoBackend(target)) return `imports the Deno backend ${target}`;
    if (!existsSync(join(outDir, target.replace(/\.ts$/, ".js")))) {
      return `imports ${spec}, which is not in the package`;
    }
  }
  return undefined;
}

/**
 * Classifies the tests/ files of `root` against the package built in `outDir`
 * (see the module doc). `codeOf` gives a file's runnable code (the transpiled
 * JavaScript, so that type-only uses of `Deno` do not count); the source by default.
 */
export function selectTests(
  root: string,
  outDir: string,
  deno: DenoJson,
  codeOf: (file: string) => string = (file) => readFileSync(join(root, file), "utf8"),
): TestSelection {
  const files = existsSync(join(root, "tests")) ? walkTs(join(root, "tests")).map((f) => `tests/${f}`) : [];
  const reasons = new Map<string, string>();
  for (const file of files) {
    const reason = directReason(root, outDir, file, codeOf(file), deno);
    if (reason !== undefined) reasons.set(file, reason);
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const file of files) {
      if (reasons.has(file)) continue;
      const dep = localImports(root, file, codeOf(file), deno).find(({ target }) => reasons.has(target));
      if (dep !== undefined) {
        reasons.set(file, `imports Deno-only ${dep.target}`);
        changed = true;
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
 * already be in `outDir`, and `stage` must hold `deno_namespace.d.ts`). Type
 * errors are `deno check`'s job; only uses of APIs newer than Node 20 are
 * reported, in `tooNew`.
 */
export function buildTests(
  root: string,
  outDir: string,
  stage: string,
  deno: DenoJson,
): TestSelection {
  const shim = `tests/${SHIM}`;
  const all = existsSync(join(root, "tests")) ? walkTs(join(root, "tests")).map((f) => `tests/${f}`) : [];
  const tsOut = join(stage, "tests-out");
  // Checked only for APIs newer than Node 20 (tsc's "change your target library" errors): the
  // rest is `deno check`'s job, under Deno's own lib.
  const diagnostics = runTsc(root, stage, {
    compilerOptions: { ...baseCompilerOptions(root, deno), declaration: false, sourceMap: true, outDir: tsOut },
    files: [...[...new Set([...all, shim])].sort().map((f) => resolve(root, f)), join(stage, "deno_namespace.d.ts")],
  });
  const jsOf = (file: string): string => join(tsOut, file.replace(/\.ts$/, ".js"));
  const selection = selectTests(root, outDir, deno, (file) => readFileSync(jsOf(file), "utf8"));
  const keep = new Set([...selection.built, shim].map((f) => f.replace(/\.ts$/, "")));
  selection.tooNew = diagnostics
    .filter((d) => (d.code === "TS2550" || d.code === "TS2583") && keep.has(d.file.replace(/\.ts$/, "")))
    .map((d) => d.text.split("\n")[0]!);
  const shimJs = shim.replace(/\.ts$/, ".js");
  for (const rel of walkFiles(join(tsOut, "tests"))) {
    const file = `tests/${rel}`;
    if (!keep.has(file.replace(/\.js(?:\.map)?$/, ""))) continue;
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
