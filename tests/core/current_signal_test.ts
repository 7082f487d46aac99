import assert from "node:assert/strict";
import { currentSignal, GreenletExit, sleep, spawn, Timeout } from "@evy/evy";

Deno.test("currentSignal() aborts with the kill's error when its thread is killed", async () => {
  let resolve!: (v: unknown) => void;
  const seen = { promise: new Promise<unknown>((r) => (resolve = r)) };
  const gt = spawn(async () => {
    const signal = currentSignal();
    signal.addEventListener("abort", () => resolve(signal.reason));
    await new Promise((r) => setTimeout(r, 50)); // a plain promise: only the signal hears the kill at once
  });
  await sleep(0);
  const killed = gt.kill();
  assert.ok((await seen.promise) instanceof GreenletExit);
  await killed;
});

Deno.test("currentSignal() aborts with the Timeout active when it was taken", async () => {
  await spawn(async () => {
    const t = new Timeout(5);
    const signal = currentSignal();
    await assert.rejects(sleep(1_000), (e) => e === t);
    assert.equal(signal.aborted, true);
    assert.equal(signal.reason, t);
  }).wait();
});

Deno.test("currentSignal() on the main thread with no Timeout never aborts", () => {
  const signal = currentSignal();
  assert.equal(signal.aborted, false);
  assert.equal(currentSignal(), signal);
});
