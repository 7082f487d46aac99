/**
 * The import map from `importMap()` run for real: `deno run --import-map`
 * on a program in a fresh directory. It checks what the map reaches — the
 * app, its local modules, a remote (http) module, an npm package, `require()`
 * — and that a program importing `node:timers/promises` is interrupted by a
 * Timeout under it.
 */
import assert from "node:assert/strict";
import { importMap } from "@evy/evy/green/import-map";

const ROOT = new URL("../..", import.meta.url);
const DENO = new URL("node_modules/.bin/deno", ROOT).pathname;

const APP = `
import { setTimeout as sleepMs } from "node:timers/promises";
import * as greenTp from "${new URL("green/node/timers_promises.ts", ROOT).href}";
import { spawn, Timeout } from "${new URL("mod.ts", ROOT).href}";
import { setTimeout as localTp } from "./local.ts";
import { setTimeout as npmTp } from "probe-timers";
import { createRequire } from "node:module";
const { setTimeout: remoteTp } = await import(Deno.args[0] + "/remote.ts");
const required = createRequire(import.meta.url)("node:timers/promises").setTimeout;
const interrupted = await spawn(async () => {
  using t = new Timeout(20);
  return await sleepMs(30_000).then(() => false, (e) => e === t);
}).wait();
console.log(JSON.stringify({
  app: sleepMs === greenTp.setTimeout,
  local: localTp === greenTp.setTimeout,
  remote: remoteTp === greenTp.setTimeout,
  npm: npmTp === greenTp.setTimeout,
  require: required === greenTp.setTimeout,
  interrupted,
}));
`;

Deno.test("import map: a program importing node:timers/promises is interrupted by a Timeout; the map reaches local and remote modules, not npm packages or require()", async () => {
  const dir = await Deno.makeTempDir({ prefix: "evy-importmap-" });
  const ac = new AbortController();
  const server = Deno.serve(
    { port: 0, hostname: "127.0.0.1", onListen() {}, signal: ac.signal },
    () =>
      new Response(`export { setTimeout } from "node:timers/promises";\n`, {
        headers: { "content-type": "application/typescript" },
      }),
  );
  try {
    const remote = `http://127.0.0.1:${server.addr.port}`;
    await Deno.writeTextFile(`${dir}/app.ts`, APP);
    await Deno.writeTextFile(`${dir}/local.ts`, `export { setTimeout } from "node:timers/promises";\n`);
    await Deno.writeTextFile(`${dir}/package.json`, JSON.stringify({ name: "app", type: "module" }));
    await Deno.mkdir(`${dir}/node_modules/probe-timers`, { recursive: true });
    await Deno.writeTextFile(
      `${dir}/node_modules/probe-timers/package.json`,
      JSON.stringify({ name: "probe-timers", version: "1.0.0", type: "module", main: "index.js" }),
    );
    await Deno.writeTextFile(
      `${dir}/node_modules/probe-timers/index.js`,
      `export { setTimeout } from "node:timers/promises";\n`,
    );
    await Deno.writeTextFile(`${dir}/import_map.json`, JSON.stringify(importMap({ root: ROOT })));
    const out = await new Deno.Command(DENO, {
      args: [
        "run",
        "--allow-read",
        "--allow-env",
        "--allow-net",
        `--allow-import=127.0.0.1:${server.addr.port}`,
        "--import-map=import_map.json",
        "app.ts",
        remote,
      ],
      cwd: dir,
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, stderr);
    const result = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
    assert.deepEqual(result, {
      app: true,
      local: true,
      remote: true,
      npm: false, // npm packages resolve node: builtins themselves: the map does not reach them
      require: false, // nor require()
      interrupted: true,
    });
  } finally {
    ac.abort();
    await server.finished;
    await Deno.remove(dir, { recursive: true });
  }
});
