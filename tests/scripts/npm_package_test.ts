// evy:deno-only — tests the npm build's helpers (scripts/), which are not in the npm package.
import assert from "node:assert/strict";
import { hasTopLevelEffects, scanSpecifiers } from "../../scripts/_module_scan.ts";
import {
  collectDependencies,
  collectSideEffects,
  type DenoJson,
  npmPackageJson,
  rewriteSpecifiers,
} from "../../scripts/_npm_package.ts";

const deno: DenoJson = {
  name: "@evy/evy",
  version: "1.2.3",
  exports: { ".": "./mod.ts", "./green/net": "./green/net.ts" },
  imports: { "@evy/evy": "./mod.ts", "pg": "npm:pg@^8.11.0" },
};

Deno.test("scanSpecifiers() finds static, bare and dynamic imports and requires, but not examples in doc comments", () => {
  const text = [
    "/**",
    " * @example",
    ' * import { x } from "@evy/evy/not-real";',
    ' * const m = await import("./nor-this.ts");',
    " */",
    'import { a } from "./a.ts";',
    "import {",
    "  b,",
    '} from "node:net";',
    'import "./side.ts";',
    'export * from "./re.ts";',
    "export { c };",
    "async function f() {",
    '  return await import("ws");',
    "}",
    'const { Client } = createRequire(import.meta.url)("pg");',
    'const x = require("left-pad");',
  ].join("\n");
  assert.deepEqual(scanSpecifiers(text), ["./a.ts", "./re.ts", "./side.ts", "left-pad", "node:net", "pg", "ws"]);
});

Deno.test("hasTopLevelEffects() tells declarations from statements that run at load", () => {
  const pure = [
    "/** doc */",
    'import { x } from "./x.ts";',
    "export const a = 1;",
    "const b = () => {",
    "  doSomething();",
    "};",
    "export function f(): void {}",
    "export class C {}",
    "type T = 1;",
    "export default class D {}",
    "export default timers;",
  ].join("\n");
  assert.equal(hasTopLevelEffects(pure), false);
  assert.equal(hasTopLevelEffects(pure + "\nmonkeyPatch();\n"), true);
  assert.equal(hasTopLevelEffects(pure + "\nglobalThis.x = 1;\n"), true);
  assert.equal(hasTopLevelEffects(pure + "\nexport default register();\n"), true);
  assert.equal(hasTopLevelEffects("// evy:side-effects (registers a global)\nexport const a = 1;\n"), true);
  assert.equal(hasTopLevelEffects("/*\nmonkeyPatch();\n*/\nexport const a = 1;\n"), false);
});

Deno.test("collectDependencies() ranges npm imports from deno.json or package.json and rejects the unknown", () => {
  const js = new Map([
    ["db/postgres.js", 'import pg from "pg";\nimport { x } from "./_x.js";\nimport net from "node:net";'],
    ["web/_ws_node.js", 'import { WebSocketServer } from "ws";\nimport { spawn } from "evy";'],
    ["web/x.js", 'import { y } from "@scope/pkg/sub";'],
  ]);
  const root = { dependencies: { ws: "^8.23.0" }, devDependencies: { "@scope/pkg": "^2.0.0" } };
  assert.deepEqual(collectDependencies(js, deno, root), { "@scope/pkg": "^2.0.0", pg: "^8.11.0", ws: "^8.23.0" });
  assert.throws(
    () => collectDependencies(new Map([["a.js", 'import "left-pad";']]), deno, root),
    /a\.js imports "left-pad", but no version of "left-pad" is known/,
  );
  assert.throws(
    () => collectDependencies(new Map([["a.js", 'import fs from "fs";']]), deno, root),
    /must use the "node:" prefix/,
  );
});

Deno.test("collectSideEffects() lists only the modules that run code at load", () => {
  const sources = new Map([["patch.ts", 'import { monkeyPatch } from "./p.ts";\nmonkeyPatch();\n'], [
    "mod.ts",
    'export { a } from "./a.ts";\n',
  ]]);
  assert.deepEqual(collectSideEffects(sources), ["./patch.js"]);
});

Deno.test("npmPackageJson() mirrors deno.json's exports with types and keeps a fixed key order", () => {
  const pkg = npmPackageJson(deno, { dependencies: { ws: "^8.23.0" }, sideEffects: [], files: ["mod.js"] });
  assert.deepEqual(Object.keys(pkg), [
    "name",
    "version",
    "description",
    "license",
    "keywords",
    "type",
    "main",
    "types",
    "exports",
    "files",
    "sideEffects",
    "engines",
    "dependencies",
  ]);
  assert.equal(pkg.name, "evy");
  assert.equal(pkg.version, "1.2.3");
  assert.equal(pkg.sideEffects, false);
  assert.deepEqual(pkg.exports, {
    ".": { types: "./mod.d.ts", default: "./mod.js" },
    "./green/net": { types: "./green/net.d.ts", default: "./green/net.js" },
    "./package.json": "./package.json",
  });
});

Deno.test("rewriteSpecifiers() renames the package in code and doc examples, and drops npm: prefixes", () => {
  const text =
    ' * import { spawn } from "@evy/evy";\nimport { x } from \'@evy/evy/green/net\';\nimport pg from "npm:pg@^8";\n' +
    'const s = "@evy/evyish";';
  assert.equal(
    rewriteSpecifiers(text, "@evy/evy"),
    ' * import { spawn } from "evy";\nimport { x } from \'evy/green/net\';\nimport pg from "pg";\nconst s = "@evy/evyish";',
  );
});

Deno.test("npmPackageJson() lists the db drivers (pg, mysql2) as optional peer dependencies", () => {
  const pkg = npmPackageJson(deno, {
    dependencies: { mysql2: "^3.24.6", pg: "^8.11.0", ws: "^8.23.0" },
    sideEffects: [],
    files: ["mod.js"],
  });
  assert.deepEqual(pkg.dependencies, { ws: "^8.23.0" });
  assert.deepEqual(pkg.peerDependencies, { mysql2: "^3.24.6", pg: "^8.11.0" });
  assert.deepEqual(pkg.peerDependenciesMeta, { mysql2: { optional: true }, pg: { optional: true } });
});
