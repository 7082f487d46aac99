/** The `process` patch group: `Deno.Command` replaced by green `Command`, `node:child_process` redirected. */
import assert from "node:assert/strict";
import process from "node:process";
import { sleep, spawn, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";
import { isMonkeyPatched, monkeyPatch, original, unpatch } from "@evy/evy/green/patcher";
import { importMap } from "@evy/evy/green/import-map";
import { Command } from "@evy/evy/green/process";

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

Deno.test("monkeyPatch({ process: true }) replaces Deno.Command; unpatch() restores it", () => {
  const runtime = Deno.Command;
  monkeyPatch({ process: true });
  try {
    const patched = new Deno.Command("true");
    assert.ok(patched instanceof Command);
    assert.equal(original("Deno.Command"), runtime);
    assert.ok(isMonkeyPatched("process") && isMonkeyPatched("Deno.Command"));
    assert.ok(isMonkeyPatched("node:child_process") && !isMonkeyPatched("net"));
  } finally {
    unpatch();
  }
  assert.equal(Deno.Command, runtime);
  assert.equal(isMonkeyPatched("process"), false);
});

Deno.test("monkeyPatch() patches the process group by default", () => {
  const runtime = Deno.Command;
  monkeyPatch();
  try {
    assert.ok(new Deno.Command("true") instanceof Command);
  } finally {
    unpatch();
  }
  assert.equal(Deno.Command, runtime);
});

Deno.test("a patched Deno.Command's output() is cut short by a Timeout, and the green backend still spawns", async () => {
  monkeyPatch({ process: true });
  try {
    const out = await new Deno.Command("echo", { args: ["patched"] }).output();
    assert.equal(new TextDecoder().decode(out.stdout), "patched\n");
    // outputSync() stays the runtime's (blocking), so code that calls it keeps working under the patch.
    const sync = new Deno.Command("echo", { args: ["sync"] }).outputSync();
    assert.equal(new TextDecoder().decode(sync.stdout), "sync\n");
    let pid = 0;
    const cut = spawn(async () => {
      using _t = new Timeout(30);
      const output = new Deno.Command("sleep", { args: ["30"], stdin: "null" }).output();
      // Spawned and listed as `output(sleep[pid])` before output() first yields.
      pid = Number(/\[(\d+)\]/.exec(getHub().listWaits().at(-1)!.description)![1]);
      return await output;
    });
    await assert.rejects(cut.wait(), Timeout);
    // The wait was released at once; the SIGTERM'd child is reaped a moment later (then no op is left).
    while (alive(pid)) await sleep(5);
  } finally {
    unpatch();
  }
});

Deno.test("importMap() maps node:child_process to the drop-in; the process group can be chosen alone", () => {
  const map = importMap({ root: "https://example.com/evy/", groups: ["process"] });
  assert.deepEqual(map.imports, {
    "node:child_process": "https://example.com/evy/green/node/child_process_node.ts",
  });
  assert.equal(map.scopes["https://example.com/evy/green/"]!["node:child_process"], "node:child_process");
  assert.match(importMap().imports["node:child_process"]!, /green\/node\/child_process_node\.ts$/);
});
