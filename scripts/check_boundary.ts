/**
 * Keeps DESIGN.md section 7 true: only `hubs/` and backend files named
 * `*_deno.ts` / `*_node.ts` may touch the runtime, so everything else loads
 * and runs on both. It reads the code's tokens (`_ts_tokens.ts`), not lines,
 * so comments and strings never count and no spelling slips through:
 *
 * - `Deno` used as a value: `Deno.listen(...)`, `Deno.Command`, bare `Deno`,
 *   `globalThis.Deno`, `(globalThis as any).Deno`, `globalThis["Deno"]`
 *   (`Deno.Conn` and other capitalised names are types, and pass, except the
 *   classes `Command`, `ChildProcess`, `FsFile`, `HttpClient`);
 * - Node's process I/O: `process.getBuiltinModule`, `process.stdout`,
 *   `process.stderr`, `process.stdin`, `process.binding`, `process.dlopen`;
 * - Node's I/O modules, however loaded: `import ... from "node:fs"` (not
 *   `import type`), `import "node:fs"`, `export ... from`, `import("node:fs")`,
 *   `require("node:fs")` or `require("fs")`, and `createRequire` at all;
 * - `jsr:` and `https:` imports, which cannot be fetched here.
 *
 * A runtime probe such as `"Deno" in globalThis` passes (it touches nothing),
 * though `hubs/runtime.ts`'s `isDeno()` is the one to use.
 *
 * Run: `deno run -A scripts/check_boundary.ts [root]` (part of `deno task
 * check`; exit code 1 on a problem). `checkSource(rel, text)` and
 * `checkBoundary(root)` return the problems, for tests.
 *
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import process from "node:process";
import { type Token, tokenize } from "./_ts_tokens.ts";

const SKIP_DIRS = new Set(["node_modules", "npm", ".git", "tests", "examples", "scripts", "benches", "hubs"]);
const NODE_IO = new Set([
  "net",
  "tls",
  "http",
  "https",
  "http2",
  "fs",
  "fs/promises",
  "dgram",
  "child_process",
  "dns",
  "dns/promises",
  "worker_threads",
  "cluster",
  "module",
]);
const DENO_VALUE_CLASSES = new Set(["Command", "ChildProcess", "FsFile", "HttpClient"]);
const PROCESS_IO = new Set(["getBuiltinModule", "stdout", "stderr", "stdin", "binding", "dlopen"]);

function isNodeIo(spec: string, bare: boolean): boolean {
  if (spec.startsWith("node:")) return NODE_IO.has(spec.slice(5));
  return bare && NODE_IO.has(spec);
}

function isRemote(spec: string): boolean {
  return /^(jsr:|https?:)/.test(spec);
}

/** Whether `file` (repository-relative) may touch the runtime. */
export function isPlatformFile(rel: string): boolean {
  return rel.startsWith("hubs/") || /_(deno|node)\.ts$/.test(rel);
}

/** The boundary problems of one source file, as `rel:line: message` strings. */
export function checkSource(rel: string, text: string): string[] {
  const t = tokenize(text);
  const problems: string[] = [];
  const platform = isPlatformFile(rel);
  const report = (tok: Token, what: string): void => void problems.push(`${rel}:${tok.line}: ${what}`);
  const io = (tok: Token, what: string): void => {
    if (!platform) report(tok, `runtime I/O outside hubs/ and *_deno.ts/*_node.ts: ${what}`);
  };
  const is = (k: number, value: string): boolean => t[k]?.value === value && t[k]?.kind !== "str";
  let statementIsTypeOnly = false;
  for (let k = 0; k < t.length; k++) {
    const tok = t[k]!;
    if (tok.kind === "id" && (tok.value === "import" || tok.value === "export") && !is(k - 1, ".")) {
      statementIsTypeOnly = is(k + 1, "type");
    }
    if (tok.kind === "punct" && tok.value === ";") statementIsTypeOnly = false;
    if (tok.kind === "str") {
      const prev = t[k - 1];
      const fromClause = prev?.kind === "id" && prev.value === "from";
      const sideEffect = prev?.kind === "id" && prev.value === "import";
      const call = is(k - 1, "(") && (is(k - 2, "import") || is(k - 2, "require"));
      if (fromClause || sideEffect || call) {
        if (isRemote(tok.value)) report(tok, `unreachable remote import: "${tok.value}"`);
        const typeOnly = fromClause && statementIsTypeOnly;
        if (!typeOnly && isNodeIo(tok.value, is(k - 2, "require"))) io(tok, `"${tok.value}"`);
      }
      if (tok.value === "Deno" && is(k - 1, "[")) io(tok, `["Deno"]`);
      continue;
    }
    if (tok.kind !== "id") continue;
    const afterDot = is(k - 1, ".") || is(k - 1, "?.");
    if (tok.value === "Deno") {
      if (afterDot) {
        io(tok, ".Deno");
      } else if (is(k + 1, ".") && t[k + 2]?.kind === "id") {
        const member = t[k + 2]!.value;
        const isType = /^[A-Z]/.test(member) && !DENO_VALUE_CLASSES.has(member);
        if (!isType) io(tok, `Deno.${member}`);
      } else if (is(k + 1, ":") || (is(k + 1, "?") && is(k + 2, ":"))) {
        // a property key (`{ Deno: ... }`), not the global
      } else if (!is(k - 1, "namespace") && !is(k - 1, "typeof")) {
        io(tok, "Deno");
      } else if (is(k - 1, "typeof")) io(tok, "typeof Deno");
    } else if (tok.value === "process" && !afterDot && (is(k + 1, ".") || is(k + 1, "?."))) {
      const member = t[k + 2]?.value ?? "";
      if (PROCESS_IO.has(member)) io(tok, `process.${member}`);
    } else if (tok.value === "createRequire" && !afterDot) {
      io(tok, "createRequire");
    }
  }
  return problems;
}

function* files(dir: string, root: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (!SKIP_DIRS.has(name) && !name.startsWith(".")) yield* files(path, root);
    } else if (name.endsWith(".ts")) {
      yield relative(root, path);
    }
  }
}

/** The boundary problems of every library file under `root`. */
export function checkBoundary(root: string): string[] {
  const problems: string[] = [];
  for (const rel of files(root, root)) problems.push(...checkSource(rel, readFileSync(join(root, rel), "utf8")));
  return problems;
}

if (import.meta.main) {
  const root = process.argv[2] ?? new URL("..", import.meta.url).pathname;
  const problems = checkBoundary(root);
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    console.error(`check_boundary: ${problems.length} problem(s)`);
    process.exit(1);
  }
  console.log("check_boundary: ok");
}
