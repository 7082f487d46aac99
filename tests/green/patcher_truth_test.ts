/**
 * isMonkeyPatched() tells the truth about the runtime it runs on (issue 16
 * item 14): runtime-neutral, so under Node 20 — no `module.registerHooks`, no
 * `Deno` — it checks that net, fs and the node:http redirection read false.
 */
import assert from "node:assert/strict";
import { isMonkeyPatched, moduleHooksAvailable, monkeyPatch, unpatch } from "@evy/evy/green/patcher";
import { importMap } from "@evy/evy/green/import-map";

const onDeno = "Deno" in globalThis &&
  typeof (globalThis as { Deno?: { version?: unknown } }).Deno?.version === "object";

Deno.test("isMonkeyPatched() after monkeyPatch() is true only for what this runtime really greens", () => {
  monkeyPatch();
  try {
    const hooks = moduleHooksAvailable();
    const names = ["net", "fs", "fetch", "timers", "node:net", "node:http", "node:https", "https"];
    const expected = [onDeno || hooks, onDeno || hooks, true, true, hooks, hooks, hooks, hooks];
    assert.deepEqual(names.map(isMonkeyPatched), expected, `hooks: ${hooks}, Deno: ${onDeno}`);
    if (!onDeno && !hooks) {
      // Node 20: the globals only.
      assert.deepEqual(names.map(isMonkeyPatched), [false, false, true, true, false, false, false, false]);
    }
  } finally {
    unpatch();
  }
  assert.equal(isMonkeyPatched("node:http"), false);
  assert.equal(isMonkeyPatched("timers"), false);
});

Deno.test("importMap() substitutes the green node:http and node:https for the net group, evy's folders keep the real ones", () => {
  const map = importMap({ root: "https://example.com/evy/", groups: ["net"] });
  assert.equal(map.imports["node:http"], "https://example.com/evy/green/node/http_node.ts");
  assert.equal(map.imports["node:https"], "https://example.com/evy/green/node/https_node.ts");
  assert.equal(map.scopes["https://example.com/evy/green/"]!["node:http"], "node:http");
  assert.equal(importMap({ groups: ["timers"] }).imports["node:http"], undefined);
});
