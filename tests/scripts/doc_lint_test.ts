// evy:deno-only — tests of scripts/, which the npm package does not ship.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { dropTypesNodeWarnings, entryPoints } from "../../scripts/doc_lint.ts";

Deno.test("entryPoints() lists every file of deno.json's exports once", () => {
  const denoJson = JSON.parse(readFileSync(new URL("../../deno.json", import.meta.url), "utf8"));
  const files = entryPoints(denoJson);
  assert.ok(files.includes("mod.ts") && files.includes("hubs/runtime.ts"));
  assert.equal(files.length, new Set(Object.values(denoJson.exports)).size);
  assert.deepEqual(entryPoints({ exports: { ".": "./mod.ts", "./x": "./mod.ts", "./y": "./y.ts" } }), [
    "mod.ts",
    "y.ts",
  ]);
});

Deno.test("dropTypesNodeWarnings() drops only the @types/node reference-path warnings", () => {
  const output = [
    "\x1b[33mWarning\x1b[0m Failed resolving types. Could not find package 'zlib.d.ts' from referrer 'file:///r/node_modules/@types/node/index.d.ts'.",
    "    at file:///r/node_modules/@types/node/index.d.ts:93:21",
    "Warning Failed resolving types. Could not find package 'x' from referrer 'file:///r/node_modules/@types/ws/index.d.ts'.",
    "error[missing-jsdoc]: exported symbol is missing JSDoc documentation",
  ].join("\n");
  const { text, dropped } = dropTypesNodeWarnings(output);
  assert.equal(dropped, 1);
  assert.match(text, /@types\/ws/);
  assert.match(text, /missing-jsdoc/);
  assert.doesNotMatch(text, /zlib/);
});
