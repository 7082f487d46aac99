// evy:deno-only — tests scripts/check_exports.ts, which is not in the npm package.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkExports } from "../../scripts/check_exports.ts";

function fixture(files: Record<string, string>): { dir: string } & Disposable {
  const dir = mkdtempSync(join(tmpdir(), "evy-exports-test-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return { dir, [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

const denoJson = (exports: Record<string, string>, imports: Record<string, string>) =>
  JSON.stringify({ name: "@x/y", exports, imports });

Deno.test("checkExports() accepts files reached through imports, internal files and non-library folders", () => {
  using repo = fixture({
    "deno.json": denoJson({ ".": "./mod.ts", "./green/net": "./green/net.ts" }, {
      "@x/y": "./mod.ts",
      "@x/y/green/net": "./green/net.ts",
    }),
    "mod.ts": 'export { a } from "./a.ts";\nexport type { T } from "./types.ts";\n',
    "a.ts": 'import "./_private.ts";\nexport const a = 1;\n',
    "types.ts": "export type T = 1;\n",
    "green/net.ts": 'import { a } from "@x/y";\nexport const b = a;\n',
    "_private.ts": "",
    "green/_net_deno.ts": "export const unreachableButInternal = 1;\n",
    "_internal/helper.ts": "",
    "tests/a_test.ts": "",
    "scripts/tool.ts": "",
    "examples/demo.ts": "",
    "benches/b.ts": "",
  });
  assert.deepEqual(checkExports(repo.dir), []);
});

Deno.test("checkExports() reports an unreachable public file", () => {
  using repo = fixture({
    "deno.json": denoJson({ ".": "./mod.ts" }, { "@x/y": "./mod.ts" }),
    "mod.ts": "export const a = 1;\n",
    "queue.ts": '/**\n * import { x } from "./mod.ts";\n */\nexport const q = 1;\n',
  });
  assert.deepEqual(checkExports(repo.dir), ['queue.ts is public (no leading "_") but no deno.json export reaches it']);
});

Deno.test("checkExports() reports exported internal files, bad keys, missing files and import-map mismatches", () => {
  using repo = fixture({
    "deno.json": denoJson(
      { ".": "./mod.ts", "./Internal": "./_i.ts", "./gone": "./gone.ts", "./other": "./other.ts" },
      { "@x/y": "./mod.ts", "@x/y/Internal": "./_i.ts", "@x/y/other": "./mod.ts" },
    ),
    "mod.ts": "",
    "_i.ts": "",
    "other.ts": "",
  });
  assert.deepEqual(checkExports(repo.dir), [
    'export "./Internal" exposes internal file ./_i.ts',
    'export key "./Internal" is not kebab-case',
    'export "./gone" points at missing file ./gone.ts',
    'export "./gone" has no "imports" entry "@x/y/gone" (doc examples cannot resolve it)',
    '"imports" entry "@x/y/other" is ./mod.ts, but export "./other" is ./other.ts',
  ]);
});
