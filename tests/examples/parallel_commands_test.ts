import assert from "node:assert/strict";
import { runExample } from "./_run_example.ts";

Deno.test("examples/parallel_commands.ts streams each command's lines, reports exit codes and the one cut short, leaves no child behind", async () => {
  const { code, lines, stderr } = await runExample("parallel_commands.ts");
  assert.equal(code, 0, stderr);
  const of = (id: number): string[] =>
    lines.filter((l) => l.startsWith(`[${id}] `) && !l.startsWith(`[${id}] $ `)).map((l) => l.slice(4));
  const streamed = lines.slice(0, lines.indexOf("--- summary"));
  assert.deepEqual(of(2).slice(0, 3), ["tick 1", "tick 2", "tick 3"]);
  assert.ok(streamed.indexOf("[2] tick 1") < streamed.indexOf("[2] tick 3"));
  assert.ok(of(3).includes("cut short after 1000 ms"), lines.join("\n"));
  assert.ok(of(4).includes("to stderr"), "stderr is streamed too");
  const summary = lines.slice(lines.indexOf("--- summary") + 1);
  assert.deepEqual(summary.map((l) => l.replace(/:.*/, "")), [
    "[1] exit 0, 2 line(s)",
    "[2] exit 0, 3 line(s)",
    "[3] cut short, 1 line(s)",
    "[4] exit 3, 1 line(s)",
    "[5] exit 0, 3 line(s)",
    "1 of 5 command(s) cut short",
  ]);
  // The cut-short command's `sleep 30` was stopped with its shell: no live process of its group is
  // left (an orphan that got the SIGTERM may still await its reaping by init, as a zombie, for a moment).
  // Not a speed threshold: a `sleep 30` nobody stopped would still run for half a minute.
  const pgid = /\(pid (\d+)\)$/.exec(lines.find((l) => l.startsWith("[3] $ "))!)![1]!;
  const started = Date.now();
  for (let left = await liveInGroup(pgid); left.length > 0; left = await liveInGroup(pgid)) {
    assert.ok(Date.now() - started < 20_000, `processes ${left} of the cut-short command were not stopped`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
});

/** The pids of the processes in process group `pgid` that are not zombies. */
async function liveInGroup(pgid: string): Promise<string[]> {
  const pids: string[] = [];
  for await (const entry of Deno.readDir("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    const stat = await Deno.readTextFile(`/proc/${entry.name}/stat`).catch(() => "");
    // The fields after the ")" that ends the command name: state, ppid, pgrp, ...
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (pgrp === pgid && state !== "Z") pids.push(entry.name);
  }
  return pids;
}
