/**
 * The runtime's floor under a green thread: RSS and heap per pending task,
 * 100,000 tasks, each in its own process, the way the shared harness's
 * `memory` benchmark measures (VmRSS growth after two full GCs).
 *
 * - `bare`: an async function pending on one shared promise (the harness's raw Deno);
 * - `als`: the same function started inside `AsyncLocalStorage.run` (what every
 *   green thread needs so that `getCurrent()` survives `await`);
 * - `als_wait`: `als`, plus one pending promise of its own with its resolvers
 *   kept (what any green wait needs: something must be able to settle it);
 * - `slot_wait`: the same wait, the function started with a ten-field state
 *   object set as Deno's async context itself (what evy does on Deno since it
 *   keeps the thread in the context slot instead of an `AsyncLocalStorage.run`);
 * - `sleep`: the harness's raw `deno_sleep.ts` (a pending `setTimeout` per task).
 *
 *     deno run -A --v8-flags=--expose-gc scripts/bench_thread_floor.ts [mode ...]
 *
 * @module
 */
import { AsyncLocalStorage } from "node:async_hooks";

interface ContextSlot {
  getAsyncContext(): unknown;
  setAsyncContext(value: unknown): void;
}
const internal = Deno as unknown as { internal: symbol } & Record<symbol, { core: ContextSlot }>;
const slot = internal[internal.internal]!.core;

const N = 100_000;
const gc = (globalThis as { gc?: () => void }).gc;

async function measure(mode: string): Promise<void> {
  if (gc === undefined) throw new Error("run with --v8-flags=--expose-gc");
  const als = new AsyncLocalStorage<object>();
  const never = new Promise<void>(() => {});
  const keep: unknown[] = [];
  const bare = async (): Promise<void> => await never;
  const own = async (): Promise<void> => {
    await new Promise<void>((resolve, reject) => keep.push(resolve, reject));
  };
  const timer = async (): Promise<void> => await new Promise<void>((resolve) => setTimeout(resolve, 3_600_000));
  gc();
  gc();
  const m0 = Deno.memoryUsage();
  for (let i = 0; i < N; i++) {
    if (mode === "bare") keep.push(bare());
    else if (mode === "als") keep.push(als.run({ i }, bare));
    else if (mode === "als_wait") keep.push(als.run({ i }, own));
    else if (mode === "slot_wait") {
      const state = { i, a: 0, b: undefined, c: undefined, d: undefined, e: undefined, f: 0, g: undefined, h: 0 };
      const previous = slot.getAsyncContext();
      slot.setAsyncContext(state);
      try {
        keep.push(own(), state);
      } finally {
        slot.setAsyncContext(previous);
      }
    } else if (mode === "sleep") keep.push(timer());
    else throw new Error(`unknown mode ${mode}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
  gc();
  gc();
  const m1 = Deno.memoryUsage();
  const rss = Math.round((m1.rss - m0.rss) / N);
  const heap = Math.round((m1.heapUsed - m0.heapUsed) / N);
  console.log(`RESULT ${JSON.stringify({ mode, rss_bytes_per_task: rss, heap_bytes_per_task: heap, n: N })}`);
  Deno.exit(0);
}

if (Deno.env.get("FLOOR_CHILD")) {
  await measure(Deno.args[0]!);
} else {
  const modes = Deno.args.length > 0 ? Deno.args : ["bare", "als", "als_wait", "slot_wait", "sleep"];
  for (const mode of modes) {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "--v8-flags=--expose-gc", import.meta.filename!, mode],
      env: { FLOOR_CHILD: "1" },
      stderr: "inherit",
    }).output();
    console.log(new TextDecoder().decode(out.stdout).trim());
  }
}
