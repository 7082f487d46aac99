// evy:deno-only — tests scripts/, which are not in the npm package.
import assert from "node:assert/strict";
import { rewriteModuleUrls, scanModuleUrls } from "../../scripts/_module_scan.ts";

Deno.test('scanModuleUrls() finds the modules loaded by new URL("./x.ts", import.meta.url)', () => {
  const text = [
    `const ENTRY = new URL("./_tpool_child_node.ts", import.meta.url);`,
    `const other = new URL( '../up/worker.ts' , import.meta.url );`,
    `const data = new URL("./data.json", import.meta.url); // not a module`,
    `const abs = new URL("https://example.com/x.ts");`,
  ].join("\n");
  assert.deepEqual(scanModuleUrls(text), ["../up/worker.ts", "./_tpool_child_node.ts"]);
});

Deno.test("rewriteModuleUrls() points those URLs at the built .js files", () => {
  assert.equal(
    rewriteModuleUrls(`const ENTRY = new URL("./_tpool_child_node.ts", import.meta.url);`),
    `const ENTRY = new URL("./_tpool_child_node.js", import.meta.url);`,
  );
  assert.equal(rewriteModuleUrls(`new URL("./a.json", import.meta.url)`), `new URL("./a.json", import.meta.url)`);
});
