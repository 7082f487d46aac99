/**
 * The npm `package.json` for the build, derived from deno.json (one source of
 * truth for name, version, license and exports) and from the emitted files
 * (dependencies, `sideEffects`, `files`).
 *
 * @module
 */
import { builtinModules } from "node:module";
import { hasTopLevelEffects, scanSpecifiers } from "./_module_scan.ts";

/** The parts of deno.json the build reads. */
export interface DenoJson {
  name: string;
  version: string;
  license?: string;
  exports: Record<string, string>;
  imports?: Record<string, string>;
}

/** The parts of the repository's package.json the build reads (versions of npm packages). */
export interface RootPackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

/** The npm package name. */
export const NPM_NAME = "evy";
/** The oldest Node the package supports (its test suite runs there). */
export const NODE_ENGINE = ">=20";
const DESCRIPTION =
  "Green threads for TypeScript: Eventlet's model on Deno and Node. Cheap threads that can be killed or timed out wherever they wait, green net/fetch/fs/timers, pools, queues and Timeout.";

/**
 * npm packages that only an optional entry point loads (the db adapters'
 * drivers): listed as optional `peerDependencies`, so installing evy never
 * installs them and a user of `evy/db/postgres` installs `pg` beside it.
 */
export const OPTIONAL_PEERS: ReadonlySet<string> = new Set(["pg", "mysql2"]);

/** `./green/net.ts` → `./green/net` (without extension). */
function stem(path: string): string {
  return path.replace(/\.ts$/, "");
}

/** Rewrites a deno.json `imports` alias target (`npm:ws@^8`) or bare name to its npm package name and range. */
export function npmPackageOf(spec: string): { name: string; range?: string } | undefined {
  let s = spec.startsWith("npm:") ? spec.slice(4) : spec;
  if (s.startsWith("/")) s = s.slice(1);
  const parts = s.split("/");
  const scoped = s.startsWith("@");
  const head = scoped ? `${parts[0]}/${parts[1] ?? ""}` : parts[0]!;
  const at = head.indexOf("@", scoped ? 1 : 0);
  if (at === -1) return { name: head };
  return { name: head.slice(0, at), range: head.slice(at + 1) };
}

/** Whether a specifier names code outside the package and outside Node (an npm dependency). */
function isExternalPackage(spec: string): boolean {
  if (spec.startsWith(".") || spec.startsWith("/") || spec.startsWith("node:")) return false;
  if (spec === NPM_NAME || spec.startsWith(`${NPM_NAME}/`)) return false;
  const name = npmPackageOf(spec)!.name;
  if (builtinModules.includes(name)) throw new Error(`Import "${spec}" must use the "node:" prefix`);
  return true;
}

/**
 * The `dependencies` of the built package: every npm package the emitted
 * JavaScript imports, at the range deno.json's `imports` or the repository's
 * package.json gives it.
 *
 * @throws {Error} when an imported package has no known version range.
 */
export function collectDependencies(
  jsFiles: ReadonlyMap<string, string>,
  deno: DenoJson,
  root: RootPackageJson,
): Record<string, string> {
  const deps: Record<string, string> = {};
  for (const [file, text] of jsFiles) {
    for (const spec of scanSpecifiers(text)) {
      if (!isExternalPackage(spec)) continue;
      const { name, range: inline } = npmPackageOf(spec)!;
      const aliased = Object.values(deno.imports ?? {})
        .filter((t) => t.startsWith("npm:"))
        .map((t) => npmPackageOf(t)!)
        .find((p) => p.name === name)?.range;
      const range = inline ?? aliased ?? root.dependencies?.[name] ?? root.devDependencies?.[name];
      if (range === undefined) throw new Error(`${file} imports "${spec}", but no version of "${name}" is known`);
      deps[name] = range;
    }
  }
  return Object.fromEntries(Object.entries(deps).sort(([a], [b]) => a.localeCompare(b)));
}

/** The emitted files that do something when loaded (see {@linkcode hasTopLevelEffects}), for `sideEffects`. */
export function collectSideEffects(sources: ReadonlyMap<string, string>): string[] {
  return [...sources].filter(([, text]) => hasTopLevelEffects(text)).map(([file]) => `./${stem(file)}.js`).sort();
}

/** Builds the package.json object (keys in a fixed order, so the file is reproducible). */
export function npmPackageJson(
  deno: DenoJson,
  options: { dependencies: Record<string, string>; sideEffects: string[]; files: string[] },
): Record<string, unknown> {
  const exports: Record<string, unknown> = {};
  for (const [key, target] of Object.entries(deno.exports)) {
    exports[key] = { types: `${stem(target)}.d.ts`, default: `${stem(target)}.js` };
  }
  exports["./package.json"] = "./package.json";
  const main = deno.exports["."];
  const cli = deno.exports["./cli"];
  const dependencies = Object.fromEntries(Object.entries(options.dependencies).filter(([n]) => !OPTIONAL_PEERS.has(n)));
  const peers = Object.entries(options.dependencies).filter(([n]) => OPTIONAL_PEERS.has(n));
  return {
    name: NPM_NAME,
    version: deno.version,
    description: DESCRIPTION,
    license: deno.license ?? "MIT",
    keywords: ["green threads", "eventlet", "coroutines", "concurrency", "cancellation", "timeout", "deno", "node"],
    type: "module",
    ...(main === undefined ? {} : { main: `${stem(main)}.js`, types: `${stem(main)}.d.ts` }),
    exports,
    ...(cli === undefined ? {} : { bin: { evy: `${stem(cli)}.js` } }),
    files: options.files,
    sideEffects: options.sideEffects.length === 0 ? false : options.sideEffects,
    engines: { node: NODE_ENGINE },
    dependencies,
    ...(peers.length === 0 ? {} : {
      peerDependencies: Object.fromEntries(peers),
      peerDependenciesMeta: Object.fromEntries(peers.map(([n]) => [n, { optional: true }])),
    }),
  };
}

/** `"@evy/evy/x"` → `"evy/x"` and `"npm:ws@8"` → `"ws"` in emitted code and docs. */
export function rewriteSpecifiers(text: string, denoName: string): string {
  const escaped = denoName.replace(/[/@]/g, (c) => `\\${c}`);
  return text
    .replace(new RegExp(`(["'])${escaped}(?=[/"'])`, "g"), `$1${NPM_NAME}`)
    .replace(/(["'])npm:((?:@[^/"']+\/)?[^@/"']+)(?:@[^/"']*)?/g, "$1$2");
}
