import assert from "node:assert/strict";
import { sleep, spawn, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";
import { isMonkeyPatched, monkeyPatch, original, unpatch } from "@evy/evy/green/patcher";
import { fetch as greenFetch } from "@evy/evy/green/fetch";
import * as greenFs from "@evy/evy/green/fs";
import * as greenNet from "@evy/evy/green/net";
import * as greenTimers from "@evy/evy/green/timers";
import { isEvyModule, redirect } from "../../green/_module_hooks.ts";

type Bag = Record<string, unknown>;
const SLOTS: [Bag, string][] = [
  [globalThis as unknown as Bag, "fetch"],
  [globalThis as unknown as Bag, "setTimeout"],
  [globalThis as unknown as Bag, "clearTimeout"],
  [globalThis as unknown as Bag, "setInterval"],
  [globalThis as unknown as Bag, "clearInterval"],
  ...["readFile", "readTextFile", "writeFile", "open", "stat", "mkdir", "remove", "connect", "listen", "unrefTimer"]
    .map(
      (k) => [Deno as unknown as Bag, k] as [Bag, string],
    ),
];

function snapshot(): unknown[] {
  return SLOTS.map(([holder, key]) => holder[key]);
}

Deno.test("monkeyPatch() replaces every group with the green functions; unpatch() restores the originals exactly", () => {
  const before = snapshot();
  monkeyPatch();
  try {
    assert.equal(globalThis.fetch, greenFetch);
    assert.equal(globalThis.setTimeout, greenTimers.setTimeout);
    assert.equal(Deno.readFile, greenFs.readFile);
    assert.equal(Deno.connect, greenNet.connect);
    assert.equal(Deno.listen, greenNet.listen);
    assert.equal(original("fetch"), before[0]);
    assert.equal(original("Deno.readFile"), before[5]);
    for (const g of ["net", "fetch", "fs", "timers", "node:net", "timers/promises", "Deno.connect", "setTimeout"]) {
      assert.equal(isMonkeyPatched(g), true, g);
    }
  } finally {
    unpatch();
  }
  assert.deepEqual(snapshot(), before);
  snapshot().forEach((fn, i) => assert.equal(fn, before[i]));
  assert.equal(isMonkeyPatched("fetch"), false);
  assert.equal(isMonkeyPatched("node:timers"), false);
});

Deno.test("monkeyPatch() twice keeps the first originals (the green functions never become 'originals')", () => {
  const runtimeFetch = globalThis.fetch;
  const runtimeSetTimeout = globalThis.setTimeout;
  monkeyPatch();
  monkeyPatch();
  monkeyPatch({ fetch: true });
  try {
    assert.equal(original("fetch"), runtimeFetch);
    assert.equal(original("setTimeout"), runtimeSetTimeout);
  } finally {
    unpatch();
  }
  assert.equal(globalThis.fetch, runtimeFetch);
  assert.equal(globalThis.setTimeout, runtimeSetTimeout);
});

Deno.test("monkeyPatch options: true picks only those groups, false excludes them", () => {
  monkeyPatch({ timers: true });
  try {
    assert.deepEqual(["net", "fetch", "fs", "timers"].map(isMonkeyPatched), [false, false, false, true]);
  } finally {
    unpatch();
  }
  monkeyPatch({ net: false });
  try {
    assert.deepEqual(["net", "fetch", "fs", "timers"].map(isMonkeyPatched), [false, true, true, true]);
  } finally {
    unpatch();
  }
  assert.throws(() => original("Deno.nothing"), RangeError);
  assert.throws(() => unpatch("nope" as "net"), RangeError);
});

Deno.test("unpatched, the global setTimeout is the runtime's; patched, it is on the hub's heap and dies with a killed thread", async () => {
  const hub = getHub();
  const id = setTimeout(() => {}, 60_000);
  assert.equal(hub.listTimers().some((t) => t.description === "setTimeout(60000)"), false);
  clearTimeout(id);
  monkeyPatch({ timers: true });
  try {
    let fired = false;
    const gt = spawn(async () => {
      setTimeout(() => (fired = true), 20);
      await sleep(60_000);
    });
    await sleep(1);
    assert.equal(hub.listTimers().some((t) => t.description === "setTimeout(20)"), true);
    await gt.kill();
    await sleep(30);
    assert.equal(fired, false);
  } finally {
    unpatch();
  }
});

Deno.test("patched: an unmodified Deno.readFile of a FIFO and a global fetch are interrupted by a Timeout", async () => {
  const dir = await Deno.makeTempDir();
  const fifo = `${dir}/fifo`;
  const ac = new AbortController();
  const stalls: (() => void)[] = [];
  const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {}, signal: ac.signal }, async () => {
    await new Promise<void>((r) => stalls.push(r));
    return new Response("late");
  });
  monkeyPatch();
  try {
    assert.equal((await new Deno.Command("mkfifo", { args: [fifo] }).output()).code, 0);
    const results = await spawn(async () => {
      const out: boolean[] = [];
      for (const work of [() => Deno.readFile(fifo), () => fetch(`http://127.0.0.1:${server.addr.port}/`)]) {
        using t = new Timeout(30);
        await work().then(() => out.push(false), (e) => out.push(e === t));
      }
      return out;
    }).wait();
    assert.deepEqual(results, [true, true]);
  } finally {
    unpatch();
    const w = await Deno.open(fifo, { write: true });
    w.close();
    for (const s of stalls) s();
    ac.abort();
    await server.finished;
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("module hooks: evy's own library modules keep the real builtins; apps, tests and npm packages are redirected", () => {
  const root = new URL("../..", import.meta.url).href;
  assert.equal(isEvyModule(`${root}green/node/timers.ts`), true);
  assert.equal(isEvyModule(`${root}hubs/deno.ts`), true);
  assert.equal(isEvyModule(`${root}mod.ts`), true);
  assert.equal(isEvyModule(`${root}tests/isolated/app.ts`), false);
  assert.equal(isEvyModule(`${root}node_modules/p-retry/index.js`), false);
  assert.equal(isEvyModule("file:///elsewhere/app.ts"), false);
  monkeyPatch({ timers: true });
  try {
    assert.match(redirect("node:timers/promises", "file:///app.ts") ?? "", /green\/node\/timers_promises\.ts$/);
    assert.match(redirect("timers", undefined) ?? "", /green\/node\/timers\.ts$/);
    assert.equal(redirect("node:fs/promises", "file:///app.ts"), undefined); // fs group off
    assert.equal(redirect("node:timers", `${root}green/node/timers.ts`), undefined);
  } finally {
    unpatch();
  }
  assert.equal(redirect("node:timers", "file:///app.ts"), undefined);
});
