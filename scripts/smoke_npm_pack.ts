/**
 * The packed-tarball smoke test (`deno task test:npm-pack`): builds `npm/`,
 * runs `npm pack`, checks the tarball's file list, installs the tarball into a
 * fresh temporary project (`npm install ./evy-<version>.tgz`: no registry
 * needed while the package has no dependencies missing from the npm cache),
 * then there
 *
 * 1. runs tests/node/pack_smoke.mjs with plain `node` (threads, sleep,
 *    Timeout, kill on the Node hub; it prints `pack smoke: ok`), then, once
 *    deno.json exports `./web`, tests/node/pack_smoke_web.mjs (serve on
 *    node:http, green fetch from green threads, a Timeout on a slow request),
 *    both with `@evy/evy` renamed to `evy`;
 * 2. type-checks tests/node/pack_consumer.ts with plain tsc against the
 *    installed `.d.ts` files (`@types/node`, no Deno types, `skipLibCheck`
 *    off), so the published declarations stand on their own.
 *
 * Usage: `deno run -A scripts/smoke_npm_pack.ts [--keep]` (`--keep` leaves the
 * temporary project for inspection). Exit code 1 on any failure.
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import process from "node:process";
import { buildNpm } from "./build_npm.ts";
import { type DenoJson, rewriteSpecifiers } from "./_npm_package.ts";

function run(cmd: string, args: string[], cwd: string): string {
  const out = new Deno.Command(cmd, { args, cwd, env: { NO_COLOR: "1" } }).outputSync();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed (${out.code}):\n${text}${new TextDecoder().decode(out.stderr)}`);
  }
  return text;
}

/** Files every tarball must hold, and patterns none may. */
const REQUIRED = ["package.json", "README.md", "LICENSE", "mod.js", "mod.d.ts", "hubs/node.js"];
const FORBIDDEN = [/^tests\//, /(?<!\.d)\.ts$/, /\.map$/];

/** Runs the smoke test; returns the temporary directory used. */
export function smokeNpmPack(root: string): string {
  const { outDir, version } = buildNpm({ root });
  const tmp = mkdtempSync(join(tmpdir(), "evy-pack-"));
  const packed = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", tmp], outDir)) as {
    filename: string;
    files: { path: string }[];
  }[];
  const { filename, files } = packed[0]!;
  const paths = files.map((f) => f.path);
  for (const need of REQUIRED) if (!paths.includes(need)) throw new Error(`tarball lacks ${need}`);
  for (const path of paths) {
    if (FORBIDDEN.some((re) => re.test(path))) throw new Error(`tarball must not contain ${path}`);
  }
  console.log(`smoke_npm_pack: ${filename}: ${paths.length} files`);

  const app = join(tmp, "app");
  Deno.mkdirSync(app);
  writeFileSync(join(app, "package.json"), JSON.stringify({ name: "evy-smoke", private: true, type: "module" }));
  run("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", join("..", filename)], app);
  const installed = JSON.parse(readFileSync(join(app, "node_modules", "evy", "package.json"), "utf8"));
  if (installed.version !== version) throw new Error(`installed evy@${installed.version}, expected ${version}`);

  const deno = JSON.parse(readFileSync(join(root, "deno.json"), "utf8")) as DenoJson;
  const programs = [["pack_smoke.mjs", "pack smoke: ok"]];
  if (deno.exports["./web"] !== undefined) programs.push(["pack_smoke_web.mjs", "pack smoke web: ok"]);
  else console.log("smoke_npm_pack: NOT RUN: the HTTP smoke (pack_smoke_web.mjs): deno.json has no ./web export yet");
  for (const [name, done] of programs) {
    const program = readFileSync(join(root, "tests", "node", name!), "utf8");
    writeFileSync(join(app, name!), rewriteSpecifiers(program, deno.name));
    const out = run("node", [name!], app);
    if (!out.includes(done!)) throw new Error(`${name} did not finish:\n${out}`);
    console.log(`smoke_npm_pack: node ${name}: ${out.trim()}`);
  }

  const consumer = readFileSync(join(root, "tests", "node", "pack_consumer.ts"), "utf8");
  writeFileSync(join(app, "consumer.ts"), rewriteSpecifiers(consumer, deno.name));
  writeFileSync(
    join(app, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ["node"],
        typeRoots: [join(root, "node_modules", "@types")],
      },
      files: ["consumer.ts"],
    }),
  );
  run(
    "node",
    [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--pretty", "false"],
    app,
  );
  console.log("smoke_npm_pack: tsc accepts the installed .d.ts files (no Deno types, skipLibCheck off)");
  return tmp;
}

if (import.meta.main) {
  let tmp: string | undefined;
  try {
    tmp = smokeNpmPack(resolve(process.cwd()));
    console.log("smoke_npm_pack: ok");
  } catch (error) {
    console.error(`smoke_npm_pack: FAILED: ${error instanceof Error ? error.message : error}`);
    process.exitCode = 1;
  } finally {
    if (tmp !== undefined && !process.argv.includes("--keep")) rmSync(tmp, { recursive: true, force: true });
  }
}
