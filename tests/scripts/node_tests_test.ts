// evy:deno-only — tests the rule of scripts/_node_tests.ts, which is not in the npm package.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { selectTests } from "../../scripts/_node_tests.ts";

Deno.test("selectTests() keeps runtime-neutral tests and names the reason for each Deno-only one", () => {
  const dir = mkdtempSync(join(tmpdir(), "evy-node-tests-"));
  try {
    const files: Record<string, string> = {
      "repo/tests/queue_test.ts":
        'import { Queue } from "@evy/evy";\nimport { h } from "./_helper.ts";\nDeno.test("q", () => {});\n',
      "repo/tests/_helper.ts": "export const h = 1;\n",
      "repo/tests/green/net_test.ts":
        'import { x } from "../../green/net.ts";\n// Deno.serve is mentioned in a comment only\n',
      "repo/tests/marked_test.ts": '// evy:deno-only — spawns deno\nDeno.test("m", () => {});\n',
      "repo/tests/serve_test.ts": 'Deno.test("s", () => {\n  Deno.serve(() => new Response());\n});\n',
      "repo/tests/hubs/deno_hub_test.ts": 'import { createDenoHost } from "@evy/evy/hubs/deno";\n',
      "repo/tests/_deno_helper.ts": "export const pid = Deno.pid;\n",
      "repo/tests/uses_helper_test.ts": 'import { pid } from "./_deno_helper.ts";\n',
      "repo/tests/example_test.ts": 'import "../examples/tour.ts";\n',
      "repo/tests/unexported_test.ts": 'import "../wip.ts";\n',
      "out/mod.js": "",
      "out/green/net.js": "",
      "out/hubs/deno.js": "",
    };
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    const deno = {
      name: "@evy/evy",
      version: "0.0.0",
      exports: {},
      imports: { "@evy/evy": "./mod.ts", "@evy/evy/hubs/deno": "./hubs/deno.ts" },
    };
    const selection = selectTests(join(dir, "repo"), join(dir, "out"), deno);
    assert.deepEqual(selection.run, ["tests/green/net_test.js", "tests/queue_test.js"]);
    assert.deepEqual(selection.built, ["tests/_helper.ts", "tests/green/net_test.ts", "tests/queue_test.ts"]);
    assert.deepEqual(Object.fromEntries(selection.excluded.map((e) => [e.file, e.reason])), {
      "tests/_deno_helper.ts": "uses Deno.pid",
      "tests/example_test.ts": "imports ../examples/tour.ts, which is not in the package",
      "tests/hubs/deno_hub_test.ts": "imports the Deno backend hubs/deno.ts",
      "tests/marked_test.ts": "marked // evy:deno-only",
      "tests/serve_test.ts": "uses Deno.serve",
      "tests/unexported_test.ts": "imports ../wip.ts, which is not in the package",
      "tests/uses_helper_test.ts": "imports Deno-only tests/_deno_helper.ts",
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
