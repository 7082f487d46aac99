// evy:deno-only — runs scripts/build_npm.ts (tsc in a subprocess); the scripts are not in the npm package.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildNpm } from "../../scripts/build_npm.ts";
import { walkFiles } from "../../scripts/_module_scan.ts";

const root = new URL("../..", import.meta.url).pathname;

function hashTree(dir: string): Map<string, string> {
  return new Map(walkFiles(dir).map((f) => [f, createHash("sha256").update(readFileSync(join(dir, f))).digest("hex")]));
}

Deno.test("buildNpm() is reproducible: building twice gives identical files", () => {
  const out = mkdtempSync(join(tmpdir(), "evy-build-test-"));
  try {
    buildNpm({ root, outDir: out, tests: true });
    const first = hashTree(out);
    buildNpm({ root, outDir: out, tests: true });
    const second = hashTree(out);
    assert.ok(first.has("mod.js") && first.has("tests/node/smoke_test.js"));
    assert.deepEqual([...second.keys()], [...first.keys()]);
    for (const [file, hash] of first) assert.equal(second.get(file), hash, `${file} differs between builds`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

Deno.test("buildNpm() writes a package.json whose exports mirror deno.json's", () => {
  const out = mkdtempSync(join(tmpdir(), "evy-build-test-"));
  try {
    buildNpm({ root, outDir: out });
    const deno = JSON.parse(readFileSync(join(root, "deno.json"), "utf8"));
    const pkg = JSON.parse(readFileSync(join(out, "package.json"), "utf8"));
    assert.equal(pkg.name, "evy");
    assert.equal(pkg.version, deno.version);
    assert.equal(pkg.type, "module");
    assert.equal(pkg.engines.node, ">=20");
    assert.deepEqual(Object.keys(pkg.exports), [...Object.keys(deno.exports), "./package.json"]);
    for (const [key, target] of Object.entries<string>(deno.exports)) {
      const stem = target.replace(/\.ts$/, "");
      assert.deepEqual(pkg.exports[key], { types: `${stem}.d.ts`, default: `${stem}.js` });
      assert.ok(existsSync(join(out, `${stem}.js`)) && existsSync(join(out, `${stem}.d.ts`)), `${key} is built`);
    }
    if (pkg.sideEffects !== false) {
      for (const file of pkg.sideEffects) assert.ok(existsSync(join(out, file)), `sideEffects lists ${file}`);
    }
    assert.ok(existsSync(join(out, "LICENSE")) && existsSync(join(out, "README.md")));
    // The package's README is for npm users: evy's own names, no Deno.serve, no repository dev commands.
    const readme = readFileSync(join(out, "README.md"), "utf8");
    assert.match(readme, /npm install evy/);
    assert.match(readme, /from "evy\/web"/);
    assert.doesNotMatch(readme, /Deno\.serve|npx deno task|@evy\/evy/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

Deno.test("buildNpm() leaves no .ts import, @evy/evy specifier or Deno namespace type in the package", () => {
  const out = mkdtempSync(join(tmpdir(), "evy-build-test-"));
  try {
    buildNpm({ root, outDir: out });
    for (const file of walkFiles(out).filter((f) => f.endsWith(".js") || f.endsWith(".d.ts"))) {
      const text = readFileSync(join(out, file), "utf8");
      assert.doesNotMatch(
        text,
        /^(?:import|export)\b[^;]*?\bfrom\s*["']\.{1,2}\/[^"']+\.ts["']/m,
        `${file}: .ts import`,
      );
      assert.doesNotMatch(text, /["']@evy\/evy/, `${file}: @evy/evy specifier`);
      if (file.endsWith(".d.ts")) {
        const code = text.split("\n").filter((l) => !/^\s*(?:\*|\/\/|\/\*)/.test(l)).join("\n")
          .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""');
        assert.doesNotMatch(code, /\bDeno\./, `${file}: a Deno namespace type would break Node consumers`);
      }
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
