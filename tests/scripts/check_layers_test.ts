import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkLayers } from "../../scripts/check_layers.ts";

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), "evy-layers-"));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}

Deno.test("checkLayers() accepts imports that follow hubs <- core <- green <- web", () => {
  const root = tree({
    "hubs/hub.ts": "export const a = 1;\n",
    "core/_thread_core.ts": 'import { a } from "../hubs/hub.ts";\nexport const b = a;\n',
    "core/internal.ts": 'export { b } from "./_thread_core.ts";\n',
    "green/net.ts": 'import { b } from "../core/internal.ts";\nexport const c = b;\n',
    "web/server.ts": 'import { c } from "../green/net.ts";\nexport const d = c;\n',
    "mod.ts": 'export { d } from "./web/server.ts";\n',
  });
  try {
    assert.deepEqual(checkLayers(root), []);
  } finally {
    rmSync(root, { recursive: true });
  }
});

Deno.test("checkLayers() rejects an upward import, a peer import, the facade and another layer's internal file", () => {
  const root = tree({
    "hubs/hub.ts": 'import { x } from "../core/event.ts";\nexport const a = x;\n',
    "core/event.ts": "export const x = 1;\n",
    "core/_wait.ts": "export const w = 1;\n",
    "green/net.ts": 'import { w } from "../core/_wait.ts";\nexport const c = w;\n',
    "web/server.ts": 'import { p } from "../db/pool.ts";\nexport const d = p;\n',
    "db/pool.ts": 'const m = await import("../mod.ts");\nexport const p = m;\n',
    "mod.ts": "export const z = 1;\n",
  });
  try {
    const problems = checkLayers(root);
    assert.equal(problems.length, 4, problems.join("\n"));
    assert.match(problems.join("\n"), /hubs\/hub\.ts: hubs\/ imports core\/event\.ts/);
    assert.match(problems.join("\n"), /green\/net\.ts: imports core\/_wait\.ts, an internal file of core\//);
    assert.match(problems.join("\n"), /web\/server\.ts: web\/ imports db\/pool\.ts/);
    assert.match(problems.join("\n"), /db\/pool\.ts: imports the facade mod\.ts/);
  } finally {
    rmSync(root, { recursive: true });
  }
});
