/**
 * tools/debug's listings, stack switches, hub exceptions and spew, through the
 * public API, on real sockets and the real hub.
 */
import assert from "node:assert/strict";
import { getHub } from "@evy/evy/hubs";
import { Queue, sleep, spawn, spawnN, Timeout } from "@evy/evy";
import { connect, listen } from "@evy/evy/green/net";
import {
  formatHubListeners,
  formatHubTimers,
  hubExceptions,
  hubListenerStacks,
  hubTimerStacks,
  spew,
} from "@evy/evy/tools/debug";

/** Three threads: one blocked in recv, one in sleep, one in Queue.get; `body` runs while they wait. */
async function withThreeWaiters(body: () => void): Promise<void> {
  using server = await listen({ hostname: "127.0.0.1", port: 0 }).listening(); // Node binds asynchronously
  await using client = await connect(server.addr);
  await using peer = await server.accept();
  const jobs = new Queue<string>();
  const reader = spawn(async function reader() {
    return await client.recv();
  });
  const sleeper = spawn(async function sleeper() {
    await sleep(60_000);
  });
  const consumer = spawn(async function consumer() {
    return await jobs.get();
  });
  await sleep(0);
  try {
    body();
  } finally {
    await peer.sendall("x");
    jobs.put("job");
    await reader.wait();
    await consumer.wait();
    await sleeper.kill();
  }
}

Deno.test("formatHubListeners() names a thread blocked in recv, one in sleep and one in Queue.get", async () => {
  await withThreeWaiters(() => {
    const text = formatHubListeners();
    assert.match(text, /^\d+ green waits:\n/);
    assert.match(text, /\n {2}reader: recv\(127\.0\.0\.1:\d+\), waiting \d+ ms/);
    assert.match(text, /\n {2}sleeper: sleep\(60000\), waiting \d+ ms/);
    assert.match(text, /\n {2}consumer: Queue\.get\(\), waiting \d+ ms/);
    assert.doesNotMatch(text, /\n\s+at /, "no stacks unless hubListenerStacks is on");
  });
});

Deno.test("formatHubListeners() shows where each wait began once hubListenerStacks(true)", async () => {
  const limit = Error.stackTraceLimit;
  hubListenerStacks(true);
  try {
    await withThreeWaiters(() => {
      const text = formatHubListeners();
      for (const name of ["reader", "sleeper", "consumer"]) {
        const block = text.split(/\n(?= {2}\S)/).find((entry) => entry.startsWith(`  ${name}:`));
        assert.ok(block !== undefined, text);
        assert.match(block, /\n\s+at .*debug_test\.ts:\d+:\d+/, `${name}'s stack names this file`);
        assert.doesNotMatch(block, /core\/_wait|green\/_net|ext:/, "evy's and the runtime's frames are left out");
      }
    });
  } finally {
    hubListenerStacks(false);
  }
  assert.equal(Error.stackTraceLimit, limit, "the stack limit is put back");
  const gt = spawn(() => sleep(60_000));
  await sleep(0);
  assert.doesNotMatch(formatHubListeners(), /\n\s+at /, "off again: no stacks recorded");
  await gt.kill();
});

Deno.test("formatHubListeners() says so when nothing waits", () => {
  assert.equal(formatHubListeners(), "no green waits");
});

Deno.test("formatHubTimers() lists a sleep's and a Timeout's timers with their threads, stacks when on", async () => {
  const sleeper = spawn(async function sleeper() {
    await sleep(60_000);
  });
  const guarded = spawn(async function guarded() {
    using _t = new Timeout(50_000);
    await sleep(70_000);
  });
  await sleep(0);
  let text = formatHubTimers();
  assert.match(text, /\n {2}sleeper: sleep\(60000\), due in \d+ ms/);
  assert.match(text, /\n {2}guarded: Timeout\(50000\) in guarded, due in \d+ ms/);
  assert.match(text, /\n {2}guarded: sleep\(70000\), due in \d+ ms/);
  assert.doesNotMatch(text, /\n\s+at /);
  const lines = text.split("\n").slice(1).map((line) => line.trim());
  assert.ok(
    lines.indexOf(lines.find((l) => l.includes("Timeout(50000)"))!) < lines.indexOf(
      lines.find((l) => l.includes("sleep(60000)"))!,
    ),
    "soonest first",
  );

  hubTimerStacks(true);
  const timer = getHub().scheduleCallGlobal(40_000, () => {}, "plain hub timer");
  hubTimerStacks(false);
  text = formatHubTimers();
  assert.match(text, /\n {2}main: plain hub timer, due in \d+ ms\n(\s+at .*\n)*?\s+at .*debug_test\.ts:\d+:\d+/);
  timer.cancel();
  await sleeper.kill();
  await guarded.kill();
  assert.equal(formatHubTimers(), "no hub timers");
});

Deno.test("a sleep begun with timer stacks on is listed with its stack; a kill or a Timeout cancels its timer", async () => {
  hubTimerStacks(true);
  const killed = spawn(async function stackedSleeper() {
    await sleep(80_000);
  });
  const timedOut = spawn(async function stackedTimedOut() {
    using _t = new Timeout(5);
    await sleep(90_000).catch(() => {});
    return "woken";
  });
  await sleep(0);
  hubTimerStacks(false);
  const text = formatHubTimers();
  assert.match(
    text,
    /\n {2}stackedSleeper: sleep\(80000\), due in \d+ ms\n\s+at stackedSleeper .*debug_test\.ts:\d+:\d+/,
  );
  await killed.kill();
  assert.equal(await timedOut.wait(), "woken");
  assert.equal(formatHubTimers(), "no hub timers", "both sleeps' timers are gone");
});

Deno.test("hubExceptions(false) drops errors nobody waits for; hubExceptions(true) brings the reporter back", async () => {
  const seen: string[] = [];
  using _ = getHub().setErrorReporter((report) => seen.push(`${report.context}: ${(report.error as Error).message}`));
  hubExceptions(false);
  hubExceptions(false); // twice is the same as once
  spawnN(function quiet() {
    throw new Error("dropped");
  });
  await sleep(0);
  hubExceptions(true);
  hubExceptions(true);
  spawnN(function loud() {
    throw new Error("reported");
  });
  await sleep(0);
  assert.deepEqual(seen, ["spawnN(loud): reported"]);
});

Deno.test("spew() traces two threads ping-ponging, to a function, and stops with spew(false)", async () => {
  const lines: string[] = [];
  const toPong = new Queue<number>();
  const toPing = new Queue<number>();
  spew((line) => lines.push(line));
  try {
    const pong = spawn(async function pong() {
      for (let i = 0; i < 3; i++) toPing.putNowait((await toPong.get()) + 1);
    });
    const ping = spawn(async function ping() {
      let n = 0;
      for (let i = 0; i < 3; i++) {
        toPong.putNowait(n);
        n = await toPing.get();
      }
      return n;
    });
    assert.equal(await ping.wait(), 3);
    await pong.wait();
  } finally {
    spew(false);
  }
  const pingPong = [
    "spew: pong resumes from Queue.get() (woken by ping)",
    "spew: ping resumes from Queue.get() (woken by pong)",
  ];
  assert.deepEqual(lines.slice(0, 6), [...pingPong, ...pingPong, ...pingPong]);
  const count = lines.length;
  await sleep(0);
  assert.equal(lines.length, count, "nothing traced after spew(false)");
});

Deno.test("spew() says when a wait is rejected and who woke it", async () => {
  const lines: string[] = [];
  spew((line) => lines.push(line));
  try {
    const victim = spawn(async function victim() {
      await sleep(60_000);
    });
    await sleep(0);
    await victim.kill();
  } finally {
    spew(false);
  }
  assert.ok(
    lines.includes("spew: victim resumes from sleep(60000) with GreenletExit"),
    lines.join("\n"),
  );
});

Deno.test("spew() with a writer that throws turns itself off and reports the error once", async () => {
  const seen: string[] = [];
  using _ = getHub().setErrorReporter((report) => seen.push(report.context));
  spew(() => {
    throw new Error("broken writer");
  });
  await sleep(0);
  await sleep(0);
  assert.deepEqual(seen, ["spew writer"]);
});

Deno.test("debug switches reject arguments of the wrong type, naming them", () => {
  assert.throws(() => hubListenerStacks("yes" as unknown as boolean), {
    name: "TypeError",
    message: /on must be a boolean/,
  });
  assert.throws(() => hubTimerStacks(1 as unknown as boolean), { name: "TypeError", message: /hubTimerStacks: on/ });
  assert.throws(() => hubExceptions(null as unknown as boolean), { name: "TypeError", message: /hubExceptions: on/ });
  assert.throws(() => spew(1 as unknown as boolean), {
    name: "TypeError",
    message: /spew: on must be a boolean or a function/,
  });
});

Deno.test("tools/debug re-exports tpool's tpoolExceptions (Eventlet's debug.tpool_exceptions)", async () => {
  const debug = await import("@evy/evy/tools/debug");
  const tpool = await import("@evy/evy/green/tpool");
  assert.equal(debug.tpoolExceptions, tpool.tpoolExceptions);
});
