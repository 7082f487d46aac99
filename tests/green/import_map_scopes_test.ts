/** The generated import map scopes only folders that exist (issue 16, item 15). */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { importMap } from "@evy/evy/green/import-map";

Deno.test("importMap() scopes evy's own folders, each of which exists", () => {
  const scopes = Object.keys(importMap().scopes);
  assert.ok(scopes.length > 0);
  for (const scope of scopes) assert.ok(existsSync(fileURLToPath(scope)), `${scope} does not exist`);
  assert.ok(scopes.some((s) => s.endsWith("/core/")), "core/ keeps the real builtins");
});
