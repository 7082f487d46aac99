/**
 * tools/debug's blocking detector, in process: it names the green thread that
 * busy-waits (with its spawn site), stays quiet while the loop is healthy and
 * after it is turned off, and rejects bad options. Its watchdog thread is
 * gone once turned off (the sanitizers would see it otherwise). The default
 * report on stderr and the process exiting with the detector on are in
 * `blocking_detection_exit_test.ts` (a subprocess).
 */
import assert from "node:assert/strict";
import { getHub } from "@evy/evy/hubs";
import { sleep, spawn } from "@evy/evy";
import { type BlockReport, hubBlockingDetection } from "@evy/evy/tools/debug";

function busyWait(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // holds the loop
  }
}

Deno.test("hubBlockingDetection() reports a busy-waiting thread by its function's name, with its spawn site", async () => {
  const reports: BlockReport[] = [];
  await hubBlockingDetection(true, { resolutionMs: 50, onBlock: (r) => reports.push(r), spawnStacks: true });
  try {
    const gt = spawn(async function spinner() {
      await sleep(0);
      busyWait(250);
      await sleep(0);
    });
    await gt.wait();
    await sleep(0);
  } finally {
    await hubBlockingDetection(false);
  }
  const mine = reports.filter((r) => r.threadName === "spinner");
  assert.equal(mine.length, 1, JSON.stringify(reports));
  const report = mine[0]!;
  assert.ok(report.durationMs >= 50, `durationMs ${report.durationMs}`);
  assert.match(report.spawnSite ?? "", /blocking_detection_test\.ts:\d+:\d+/);
  assert.match(report.yieldSite ?? "", /spinner .*blocking_detection_test\.ts:\d+:\d+/);
  assert.equal(getHub().spawnStacks, false, "spawn stacks are off again");
});

Deno.test("hubBlockingDetection() names a thread that blocks and then returns without another wait", async () => {
  const reports: BlockReport[] = [];
  await hubBlockingDetection(true, { resolutionMs: 50, onBlock: (r) => reports.push(r) });
  try {
    await spawn(async function finisher() {
      await sleep(0);
      busyWait(250);
      return 1;
    }).wait();
    await sleep(0);
  } finally {
    await hubBlockingDetection(false);
  }
  assert.deepEqual(reports.map((r) => r.threadName), ["finisher"]);
  assert.equal(reports[0]!.spawnSite, undefined, "no spawn site without spawnStacks");
});

Deno.test("hubBlockingDetection() reports nothing while the loop stays healthy", async () => {
  const reports: BlockReport[] = [];
  await hubBlockingDetection(true, { resolutionMs: 1_000, onBlock: (r) => reports.push(r) });
  try {
    const workers = [1, 2, 3].map((n) =>
      spawn(async function worker() {
        for (let i = 0; i < 100; i++) await sleep(i % 10 === 0 ? n : 0);
      })
    );
    for (const gt of workers) await gt.wait();
    await sleep(5);
  } finally {
    await hubBlockingDetection(false);
  }
  assert.deepEqual(reports, []);
});

Deno.test("hubBlockingDetection() reports nothing while the process idles longer than resolutionMs", async () => {
  const reports: BlockReport[] = [];
  await hubBlockingDetection(true, { resolutionMs: 1_000, onBlock: (r) => reports.push(r) });
  try {
    await sleep(2_500); // only the detector's own heartbeat timer runs meanwhile
  } finally {
    await hubBlockingDetection(false);
  }
  assert.deepEqual(reports, []);
});

Deno.test("hubBlockingDetection(false) stops reporting: a later busy-wait goes unreported", async () => {
  const reports: BlockReport[] = [];
  await hubBlockingDetection(true, { resolutionMs: 50, onBlock: (r) => reports.push(r) });
  await hubBlockingDetection(false);
  await hubBlockingDetection(false); // off twice is fine
  await spawn(async function spinner() {
    busyWait(200);
    await sleep(0);
  }).wait();
  await sleep(0);
  assert.deepEqual(reports, []);
});

Deno.test("hubBlockingDetection(true) twice restarts with the new options", async () => {
  const first: BlockReport[] = [];
  const second: BlockReport[] = [];
  await hubBlockingDetection(true, { resolutionMs: 50, onBlock: (r) => first.push(r) });
  await hubBlockingDetection(true, { resolutionMs: 50, onBlock: (r) => second.push(r) });
  try {
    await spawn(async function spinner() {
      busyWait(200);
      await sleep(0);
    }).wait();
    await sleep(0);
  } finally {
    await hubBlockingDetection(false);
  }
  assert.deepEqual(first, []);
  assert.deepEqual(second.map((r) => r.threadName), ["spinner"]);
});

Deno.test("hubBlockingDetection(): an onBlock that throws is reported by the hub, and detection goes on", async () => {
  const errors: string[] = [];
  using _ = getHub().setErrorReporter((report) => errors.push(`${report.context}: ${(report.error as Error).message}`));
  let calls = 0;
  await hubBlockingDetection(true, {
    resolutionMs: 50,
    onBlock: () => {
      calls++;
      throw new Error("broken onBlock");
    },
  });
  try {
    for (let i = 0; i < 2; i++) {
      await spawn(async function spinner() {
        busyWait(200);
        await sleep(0);
      }).wait();
      await sleep(0);
    }
  } finally {
    await hubBlockingDetection(false);
  }
  assert.equal(calls, 2);
  assert.deepEqual(errors, [
    "onBlock of hubBlockingDetection: broken onBlock",
    "onBlock of hubBlockingDetection: broken onBlock",
  ]);
});

Deno.test("hubBlockingDetection() rejects bad arguments at the call, naming them", () => {
  assert.throws(() => hubBlockingDetection("on" as unknown as boolean), {
    name: "TypeError",
    message: /on must be a boolean/,
  });
  for (const resolutionMs of [0, -5, Number.NaN, Infinity, "10" as unknown as number]) {
    assert.throws(() => hubBlockingDetection(true, { resolutionMs }), { name: "RangeError", message: /resolutionMs/ });
  }
  assert.throws(
    () => hubBlockingDetection(true, { onBlock: "log" as unknown as () => void }),
    { name: "TypeError", message: /onBlock must be a function/ },
  );
});
