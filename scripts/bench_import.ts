/**
 * Cold-import cost of `mod.ts` against core alone (issue 19 item 1): each
 * entry is imported in a fresh process, `rounds` times, interleaved, and the
 * median CPU time (user + system, which a shared machine disturbs less than
 * wall time) of the dynamic `import()` and one `spawn` (module loading and
 * evaluation, with Deno's transpile cache warm) is printed with the ratio. Not a test: run it
 * by hand, `deno run -A scripts/bench_import.ts [rounds]`.
 *
 * @module
 */
import process from "node:process";

const ROOT = new URL("../", import.meta.url);
const ENTRIES: Record<string, string[]> = {
  "core/ alone": [
    "core/green_thread.ts",
    "core/suspend.ts",
    "core/current_signal.ts",
    "core/sleep.ts",
    "core/timeout.ts",
    "core/event.ts",
    "core/light_queue.ts",
    "core/queue.ts",
    "core/priority_queue.ts",
    "core/lifo_queue.ts",
    "core/semaphore.ts",
    "core/capped_semaphore.ts",
    "core/local.ts",
    "core/green_pool.ts",
    "core/green_pile.ts",
    "core/pool.ts",
  ],
  "mod.ts": ["mod.ts"],
};
if (Deno.env.get("EVY_IMPORT_PARTS")) {
  ENTRIES["core+net"] = [...ENTRIES["core/ alone"]!, "green/net.ts"];
  ENTRIES["core+patcher"] = [...ENTRIES["core/ alone"]!, "green/patcher.ts"];
  ENTRIES["core+hooks"] = [...ENTRIES["core/ alone"]!, "green/_module_hooks.ts"];
  ENTRIES["core+fs"] = [...ENTRIES["core/ alone"]!, "green/fs.ts"];
  ENTRIES["core+fetch"] = [...ENTRIES["core/ alone"]!, "green/fetch.ts"];
}

function probe(files: string[]): string {
  const urls = files.map((f) => new URL(f, ROOT).href);
  return `import process from "node:process";
const c0 = process.cpuUsage();
await Promise.all(${JSON.stringify(urls)}.map((u) => import(u)));
const { spawn } = await import(${JSON.stringify(new URL("core/green_thread.ts", ROOT).href)});
await spawn(() => 1).wait();
const c = process.cpuUsage(c0);
console.log((c.user + c.system) / 1000);`;
}

async function once(files: string[]): Promise<number> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["eval", "--no-check", probe(files)], stdout: "piped" })
    .output();
  if (!out.success) throw new Error(`probe failed for ${files.join(" ")}`);
  return Number(new TextDecoder().decode(out.stdout).trim());
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const rounds = Number(process.argv[2] ?? Deno.args[0] ?? 15);
const times: Record<string, number[]> = {};
for (const name of Object.keys(ENTRIES)) await once(ENTRIES[name]!); // warm the transpile cache
for (let r = 0; r < rounds; r++) {
  for (const [name, files] of Object.entries(ENTRIES)) (times[name] ??= []).push(await once(files));
}
const base = median(times["core/ alone"]!);
for (const [name, xs] of Object.entries(times)) {
  console.log(
    `${name.padEnd(12)} median ${median(xs).toFixed(1)} ms CPU  (${(median(xs) / base).toFixed(2)}x core/ alone)`,
  );
}
