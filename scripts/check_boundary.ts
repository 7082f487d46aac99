/**
 * Keeps DESIGN.md section 7 true: only `hubs/` and backend files named
 * `*_deno.ts` / `*_node.ts` may touch runtime I/O (`Deno.*` I/O calls, or the
 * `node:` I/O modules). Everything else must load and run on both runtimes.
 * Also rejects `jsr:` and `https:` imports, which cannot be fetched here.
 *
 * Run: `deno run -A scripts/check_boundary.ts` (part of `deno task check`).
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const skipDirs = new Set(["node_modules", "npm", ".git", "tests", "examples", "scripts", "benches", "hubs"]);
const denoIo =
  /\bDeno\.(listen|listenTls|connect|connectTls|startTls|serve|upgradeWebSocket|open|readFile|readTextFile|writeFile|writeTextFile|readDir|stat|lstat|mkdir|remove|rename|copyFile|truncate|makeTempFile|makeTempDir|resolveDns|Command|run)\b/;
const nodeIo =
  /from\s+["']node:(net|tls|http|https|http2|fs|fs\/promises|dgram|child_process|dns|dns\/promises|worker_threads|cluster)["']/;
const remote = /from\s+["'](jsr:|https?:)/;

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!skipDirs.has(name) && !name.startsWith(".")) yield* files(path);
    } else if (name.endsWith(".ts")) {
      yield path;
    }
  }
}

const problems: string[] = [];
for (const path of files(root)) {
  const rel = relative(root, path);
  const isBackend = /_(deno|node)\.ts$/.test(rel);
  readFileSync(path, "utf8").split("\n").forEach((line, i) => {
    if (/^\s*(\*|\/\*|\/\/)/.test(line)) return; // comments may mention APIs
    const code = line.replace(/\/\/.*$/, "").replace(/\/\*.*?\*\//g, "");
    if (!isBackend && (denoIo.test(code) || nodeIo.test(code))) {
      problems.push(`${rel}:${i + 1}: runtime I/O outside hubs/ and *_deno.ts/*_node.ts: ${line.trim()}`);
    }
    if (remote.test(code)) problems.push(`${rel}:${i + 1}: unreachable remote import: ${line.trim()}`);
  });
}

if (problems.length > 0) {
  console.error(problems.join("\n"));
  console.error(`check_boundary: ${problems.length} problem(s)`);
  Deno.exit(1);
}
console.log("check_boundary: ok");
