/**
 * The `node:child_process` drop-in: spawn, execFile and exec tied to the
 * calling green thread, their promisified forms green waits, children listed
 * by the hub. Real children; "ended" is checked on the child's side.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import process from "node:process";
import { promisify } from "node:util";
import { GreenletExit, sleep, spawn as spawnThread, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";
import childProcess, { exec, execFile, spawn } from "@evy/evy/green/node/child-process";

function exited(child: ChildProcess): Promise<[number | null, string | null]> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve([child.exitCode, child.signalCode]);
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve([code, signal])));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

Deno.test("child_process.spawn: a Timeout of the spawning thread ends the child with SIGTERM", async () => {
  let child: ChildProcess | undefined;
  const gt = spawnThread(async () => {
    using _t = new Timeout(30);
    child = spawn("sleep", ["30"], { stdio: "ignore" });
    await sleep(60_000);
  });
  await assert.rejects(gt.wait(), Timeout);
  assert.deepEqual(await exited(child!), [null, "SIGTERM"]);
});

Deno.test("child_process.spawn: the child is listed by the hub while it runs", async () => {
  const child = spawn("sleep", ["30"], { stdio: "ignore" });
  assert.ok(getHub().listWaits().some((w) => w.description === "child_process.spawn(sleep 30)"));
  const exit = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGKILL");
  await exit;
  assert.ok(!getHub().listWaits().some((w) => w.description.startsWith("child_process.")));
});

Deno.test("child_process.execFile: killing the thread ends the child; the callback sees the signal", async () => {
  let reported: Promise<{ signal?: string | null } | null> | undefined;
  const gt = spawnThread(async () => {
    reported = new Promise((resolve) => execFile("sleep", ["30"], (error) => resolve(error)));
    await sleep(60_000);
  });
  await sleep(10);
  await gt.kill();
  await assert.rejects(gt.wait(), GreenletExit);
  assert.equal((await reported!)?.signal, "SIGTERM");
});

Deno.test("child_process.exec promisified: a Timeout rejects at once and the child is reaped", async () => {
  const run = promisify(exec);
  let pid = 0;
  const gt = spawnThread(async () => {
    using _t = new Timeout(30);
    const pending = run("exec sleep 30");
    pid = (pending as unknown as { child: ChildProcess }).child.pid!;
    return await pending;
  });
  await assert.rejects(gt.wait(), Timeout);
  while (alive(pid)) await sleep(5);
  assert.deepEqual(await run("echo ok"), { stdout: "ok\n", stderr: "" });
});

Deno.test("child_process.execFile promisified: a child ignoring SIGTERM gets SIGKILL after the grace", async () => {
  const run = promisify(execFile);
  let child: ChildProcess | undefined;
  const gt = spawnThread(async () => {
    using _t = new Timeout(30);
    const pending = run("sh", ["-c", "trap '' TERM; exec sleep 30"]);
    child = (pending as unknown as { child: ChildProcess }).child;
    return await pending;
  });
  await assert.rejects(gt.wait(), Timeout);
  assert.deepEqual(await exited(child!), [null, "SIGKILL"]);
});

Deno.test("child_process drop-in: the default export carries the green functions and the rest of the module", () => {
  assert.equal(childProcess.spawn, spawn);
  assert.equal(childProcess.exec, exec);
  assert.equal(typeof childProcess.execFileSync, "function");
  assert.equal(childProcess.execSync("echo sync").toString(), "sync\n");
});
