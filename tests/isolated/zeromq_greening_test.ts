// evy:deno-only — runs deno subprocesses with an import map and with the preload.
/**
 * Greening the `zeromq` npm package: a program written against zeromq.js's
 * API (tests/isolated/fixtures/zeromq_app.ts) runs on Deno — where the real
 * package, a native addon, crashes — once the import map or the preload's
 * module hooks substitute evy's green/zmq for it; its receive is a green wait
 * that a Timeout interrupts.
 */
import assert from "node:assert/strict";
import { importMap } from "@evy/evy/green/import-map";

const ROOT = new URL("../..", import.meta.url);
const DENO = new URL("node_modules/.bin/deno", ROOT).pathname;
const APP = new URL("tests/isolated/fixtures/zeromq_app.ts", ROOT).pathname;

async function run(args: string[]): Promise<Record<string, unknown>> {
  const { code, stdout, stderr } = await new Deno.Command(DENO, {
    args,
    cwd: ROOT.pathname,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return JSON.parse(out.trim().split("\n").at(-1)!);
}

const EXPECTED = { reply: "hello world", interrupted: true, green: true, main: "main" };

Deno.test("import map: a zeromq.js program runs on evy's green/zmq, its receive interrupted by a Timeout", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evy-zeromq-map-" });
  try {
    const map = importMap({ groups: ["net"] });
    assert.match(map.imports["zeromq"]!, /green\/zmq\/mod\.ts$/);
    // The app also imports @evy/evy: keep deno.json's own entries beside the generated ones.
    const deno = JSON.parse(await Deno.readTextFile(new URL("deno.json", ROOT)));
    const own = Object.fromEntries(
      Object.entries(deno.imports as Record<string, string>).map(([k, v]) => [k, new URL(v, ROOT).href]),
    );
    const path = `${dir}/import_map.json`;
    await Deno.writeTextFile(path, JSON.stringify({ imports: { ...own, ...map.imports }, scopes: map.scopes }));
    assert.deepEqual(await run(["run", "-A", "--import-map", path, APP]), EXPECTED);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("preload: a zeromq.js program runs on evy's green/zmq, its receive interrupted by a Timeout", async () => {
  assert.deepEqual(await run(["run", "-A", "--preload", "./patch.ts", APP]), EXPECTED);
});
