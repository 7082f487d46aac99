// evy:deno-only — tests of scripts/, which the npm package does not ship.
import assert from "node:assert/strict";
import { checkSource } from "../../scripts/check_boundary.ts";
import { tokenize } from "../../scripts/_ts_tokens.ts";

function flagged(source: string, rel = "green/thing.ts"): string[] {
  return checkSource(rel, source).map((p) => p.replace(/^[^:]+:\d+: /, ""));
}

Deno.test("checkSource() catches every spelling of runtime I/O outside hubs/ and the backends", () => {
  const cases: Record<string, string> = {
    "Deno.listen": "export const l = Deno.listen({ port: 0 });",
    "Deno.Command": 'const c = new Deno.Command("ls");',
    ".Deno": "const d = globalThis.Deno;",
    '["Deno"]': 'const d = globalThis["Deno"];',
    "cast .Deno": "const d = (globalThis as any).Deno;",
    "bare Deno": "const d = Deno;",
    "process.getBuiltinModule": 'const fs = process.getBuiltinModule("node:fs");',
    "process.stderr": 'process.stderr.write("x");',
    "optional process.stdout": 'process?.stdout.write("x");',
    "dynamic import": 'const fs = await import("node:fs");',
    "static import": 'import { readFileSync } from "node:fs";',
    "side-effect import": 'import "node:net";',
    "re-export": 'export { connect } from "node:tls";',
    "require with prefix": 'const fs = require("node:fs/promises");',
    "require bare": 'const cp = require("child_process");',
    "createRequire": "const r = createRequire(import.meta.url);",
  };
  for (const [name, source] of Object.entries(cases)) {
    assert.notDeepEqual(flagged(source), [], `${name} was not caught: ${source}`);
  }
});

Deno.test("checkSource() lets through types, probes, comments, strings and the platform files", () => {
  const fine = [
    "let conn: Deno.Conn | undefined;",
    "type L = Deno.Listener<Deno.NetAddr>;",
    'const onDeno = "Deno" in globalThis;',
    "// Deno.listen() is what this wraps",
    "/* process.stderr.write and import('node:fs') */",
    'const s = "Deno.listen(process.stderr)";',
    "const t = `Deno.listen ${1 + 1} process.stdout`;",
    'import type { Stats } from "node:fs";',
    'export type { Socket } from "node:net";',
    "const shape: { Deno?: unknown } = {};",
    'import process from "node:process";\nconst e = process.env.HOME;',
    "const re = /Deno\\.listen/;",
  ];
  for (const source of fine) assert.deepEqual(flagged(source), [], source);
  const io = 'const l = Deno.listen({ port: 0 });\nimport { readFileSync } from "node:fs";';
  assert.deepEqual(flagged(io, "hubs/deno.ts"), []);
  assert.deepEqual(flagged(io, "green/_net_deno.ts"), []);
  assert.deepEqual(flagged(io, "web/_server_node.ts"), []);
});

Deno.test("checkSource() rejects remote imports everywhere and names the line", () => {
  const problems = checkSource(
    "hubs/x.ts",
    // Spelled in pieces so that this test file itself holds no remote import for other greps to find.
    `const a = 1;\nimport { x } from "${"jsr"}:@std/assert";\nawait import("${"https"}://e.x/m.ts");`,
  );
  assert.equal(problems.length, 2);
  assert.match(problems[0]!, /^hubs\/x\.ts:2: unreachable remote import/);
  assert.match(problems[1]!, /^hubs\/x\.ts:3: /);
});

Deno.test("tokenize() drops comments, keeps template expressions and tells regexes from division", () => {
  const values = tokenize("a / b; // c\nconst r = /x\\/y/g; `t${ d }u` /* e */").map((t) => t.value);
  assert.deepEqual(values, ["a", "/", "b", ";", "const", "r", "=", "/x\\/y/g", ";", "t", "d", "u"]);
  assert.equal(tokenize("x\n\ny").at(-1)!.line, 3);
});
