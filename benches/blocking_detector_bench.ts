/**
 * The blocking detector's cost where it is paid: once per green wait (the
 * heartbeat in core's yield hook). 100,000 green waits that settle at once
 * (`suspend` resolving inside its register) and a 200,000-round-trip Queue
 * ping-pong, each with the detector off and on. The whole-benchmark figures
 * (spawn and HTTP, on vs off) are from `scripts/bench_blocking_detector.ts`.
 *
 * Run: `npx deno bench -A benches/blocking_detector_bench.ts`.
 */
import { Queue, spawn, suspend } from "@evy/evy";
import { hubBlockingDetection } from "@evy/evy/tools/debug";

const WAITS = 100_000;
const ROUND_TRIPS = 200_000;

async function settledWaits(): Promise<void> {
  for (let i = 0; i < WAITS; i++) await suspend<void>((resolve) => resolve());
}

async function pingPong(): Promise<void> {
  const ping = new Queue<number>(), pong = new Queue<number>();
  const echo = spawn(async () => {
    for (let i = 0; i < ROUND_TRIPS; i++) pong.put(await ping.get());
  });
  for (let i = 0; i < ROUND_TRIPS; i++) {
    ping.put(i);
    await pong.get();
  }
  await echo.wait();
}

for (const on of [false, true]) {
  const name = on ? "detector on" : "detector off";
  Deno.bench(`${WAITS} settled green waits, ${name}`, { group: "waits", baseline: !on }, async (b) => {
    await hubBlockingDetection(on, { resolutionMs: 1_000 });
    b.start();
    await settledWaits();
    b.end();
    await hubBlockingDetection(false);
  });
  Deno.bench(`Queue ping-pong ${ROUND_TRIPS} round trips, ${name}`, { group: "pingpong", baseline: !on }, async (b) => {
    await hubBlockingDetection(on, { resolutionMs: 1_000 });
    b.start();
    await pingPong();
    b.end();
    await hubBlockingDetection(false);
  });
}
