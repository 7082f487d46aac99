/**
 * Builds the npm package `evy` into `npm/` (git-ignored): what dnt would do,
 * with npm's `typescript` (tsc) since dnt and std are not reachable here.
 *
 * - ESM `.js` + `.d.ts` for every module reachable from deno.json's `exports`,
 *   laid out as in the repository (`npm/hubs/mod.js`), relative `.ts` imports
 *   rewritten to `.js` (`rewriteRelativeImportExtensions`), `using` lowered for
 *   Node 20. The library is type-checked for Node 20: `lib` ES2023 (so
 *   `Promise.withResolvers` fails the build), `@types/node` 20, DOM. The Deno
 *   backends (`hubs/deno.ts`, `*_deno.ts`) get the `Deno` namespace from
 *   `deno types` for their declarations, and their type errors are left to
 *   `deno check` (DOM's lib differs from Deno's); Node loads them but never
 *   calls them (`hubs/mod.ts` probes Deno then Node: the Node hub is chosen).
 * - `package.json` generated from deno.json (name `evy`, version, license,
 *   `exports` with `types`), `engines.node >=20`, the npm `dependencies` the
 *   emitted code imports, and `sideEffects` (modules with top-level statements
 *   or a `// evy:side-effects` marker), the npm README (scripts/npm_readme.md) and LICENSE.
 * - `@evy/evy…` specifiers (doc examples included) become `evy…`.
 * - Modules that library code loads by URL, written `new URL("./x.ts",
 *   import.meta.url)` (the tpool's worker entries), are built too, and those
 *   URLs are rewritten to the `.js` files.
 * - With `--tests`, the runtime-neutral tests too, into `npm/tests/` (not
 *   packed): see scripts/_node_tests.ts for the rule.
 *
 * The output is reproducible: fixed key order, sorted file lists, no paths or
 * dates. Usage: `deno run -A scripts/build_npm.ts [--tests] [--out DIR]`
 * (`deno task build:npm`).
 *
 * @module
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import process from "node:process";
import {
  isDenoBackend,
  NON_LIBRARY_DIRS,
  rewriteModuleUrls,
  scanModuleUrls,
  walkFiles,
  walkTs,
} from "./_module_scan.ts";
import { baseCompilerOptions, denoNamespaceTypes, runTsc } from "./_tsc.ts";
import { buildTests, type TestSelection } from "./_node_tests.ts";
import {
  collectDependencies,
  collectSideEffects,
  type DenoJson,
  NPM_NAME,
  npmPackageJson,
  rewriteSpecifiers,
  type RootPackageJson,
} from "./_npm_package.ts";

/** Options of {@linkcode buildNpm}. */
export interface BuildNpmOptions {
  /** The repository root. @default the current directory */
  root?: string;
  /** Where to write the package; emptied first. @default `<root>/npm` */
  outDir?: string;
  /** Also build the runtime-neutral tests into `<outDir>/tests/`. @default false */
  tests?: boolean;
}

/** What {@linkcode buildNpm} produced. */
export interface BuildNpmResult {
  outDir: string;
  version: string;
  /** Set when `tests` was asked for. */
  tests?: TestSelection;
}

/** The files tsc starts from: deno.json's exports, and the modules library code loads by URL (worker entries). */
function libraryRoots(root: string, deno: DenoJson): string[] {
  const roots = new Set(Object.values(deno.exports).map((f) => resolve(root, f)));
  for (const file of walkTs(root, NON_LIBRARY_DIRS)) {
    for (const path of scanModuleUrls(readFileSync(join(root, file), "utf8"))) {
      const target = resolve(root, dirname(file), path);
      if (existsSync(target)) roots.add(target); // a URL in a message or example names no file
    }
  }
  return [...roots].sort();
}

/** Builds the package (see the module doc). */
export function buildNpm(options: BuildNpmOptions = {}): BuildNpmResult {
  const root = resolve(options.root ?? process.cwd());
  const outDir = resolve(options.outDir ?? join(root, "npm"));
  const deno = JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as DenoJson & { compilerOptions?: object };
  const rootPkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as RootPackageJson;
  const stage = mkdtempSync(join(tmpdir(), "evy-npm-"));
  try {
    writeFileSync(join(stage, "deno_namespace.d.ts"), denoNamespaceTypes());
    const errors = runTsc(root, stage, {
      compilerOptions: { ...baseCompilerOptions(root, deno), declaration: true, outDir: join(stage, "lib") },
      files: [...libraryRoots(root, deno), join(stage, "deno_namespace.d.ts")],
    }).filter((d) => !isDenoBackend(d.file)); // Deno checks its backends against its own lib; DOM's differs
    if (errors.length > 0) {
      throw new Error(
        `the library does not type-check for Node 20 (lib ES2023, @types/node):\n${
          errors.map((d) => d.text).join("\n")
        }`,
      );
    }

    const emitted = new Map<string, string>();
    for (const rel of walkFiles(join(stage, "lib"))) {
      let text = rewriteSpecifiers(readFileSync(join(stage, "lib", rel), "utf8"), deno.name);
      if (rel.endsWith(".js")) text = rewriteModuleUrls(text);
      // tsc keeps `.ts` in declaration files' imports; point them at the shipped `.js` (types resolve to `.d.ts`).
      if (rel.endsWith(".d.ts")) {
        text = text.replace(
          /^((?:import|export)\b[^;]*?\bfrom\s*|.*?\bimport\(\s*)(["'])(\.{1,2}\/[^"'\n]+)\.ts\2/gm,
          "$1$2$3.js$2",
        );
      }
      emitted.set(rel, text);
    }
    const js = new Map([...emitted].filter(([f]) => f.endsWith(".js")));
    const sources = new Map([...js.keys()].map((f) => {
      const src = f.replace(/\.js$/, ".ts");
      return [src, readFileSync(join(root, src), "utf8")];
    }));
    const pkg = npmPackageJson(deno, {
      dependencies: collectDependencies(js, deno, rootPkg),
      sideEffects: collectSideEffects(sources),
      files: [...new Set([...emitted.keys()].map((f) => f.includes("/") ? f.split("/")[0] + "/" : f))].sort(),
    });

    rmSync(outDir, { recursive: true, force: true });
    for (const [rel, text] of emitted) {
      mkdirSync(dirname(join(outDir, rel)), { recursive: true });
      writeFileSync(join(outDir, rel), text);
    }
    writeFileSync(join(outDir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    for (const name of ["README.md", "LICENSE"]) {
      // The package's README is written for npm users (scripts/npm_readme.md), not the repository's.
      const npmReadme = join(root, "scripts", "npm_readme.md");
      if (name === "README.md" && existsSync(npmReadme)) {
        writeFileSync(join(outDir, name), readFileSync(npmReadme, "utf8"));
      } else if (existsSync(join(root, name))) {
        writeFileSync(join(outDir, name), rewriteSpecifiers(readFileSync(join(root, name), "utf8"), deno.name));
      } else if (name === "README.md") {
        writeFileSync(join(outDir, name), `# evy\n\n${String(pkg.description)}\n\n\`\`\`sh\nnpm install evy\n\`\`\`\n`);
      } else {
        throw new Error(`${name} is missing at the repository root`);
      }
    }
    const result: BuildNpmResult = { outDir, version: deno.version };
    if (options.tests) {
      result.tests = buildTests(root, outDir, stage, deno);
    }
    return result;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const args = process.argv.slice(2);
  const out = args.indexOf("--out");
  const result = buildNpm({
    tests: args.includes("--tests"),
    ...(out === -1 ? {} : { outDir: args[out + 1]! }),
  });
  console.log(`build_npm: ${NPM_NAME}@${result.version} written to ${result.outDir}`);
  if (result.tests) {
    console.log(`build_npm: ${result.tests.run.length} test files built into ${join(result.outDir, "tests")}`);
  }
}
