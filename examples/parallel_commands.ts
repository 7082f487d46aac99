/**
 * Runs a list of shell commands in parallel — a GreenPool of at most 3 at a
 * time — each under its own Timeout, streams every command's output lines as
 * they come, and reports the commands that were cut short (the seeds'
 * `processes.py`, popen-like processes driven cooperatively).
 *
 * When a command's Timeout fires while its thread waits for the next line,
 * the wait is released at once and the child gets SIGTERM (then SIGKILL after
 * `killGraceMs`): that is all the cancellation code there is.
 *
 *     deno run -A examples/parallel_commands.ts [--timeout-ms 1000] ['cmd' ...]
 *
 * @module
 */
import { GreenPool, Timeout } from "@evy/evy";
import { Command } from "@evy/evy/green/process";

const DEFAULT_COMMANDS = [
  "echo hello; sleep 0.2; echo world",
  "for i in 1 2 3; do echo tick $i; sleep 0.1; done",
  "echo 'this one sleeps too long'; sleep 30",
  "echo 'to stderr' >&2; exit 3",
  "yes 'a line' | head -n 3",
];

interface Outcome {
  command: string;
  lines: number;
  code: number | null; // null: cut short
}

/**
 * A shell for one command: stderr joins stdout, and the SIGTERM a Timeout
 * sends is passed on to the command's whole process group (the child is
 * `detached`, so the group is its own), so a pipeline or a `sleep` inside
 * the command stops too, not only the shell.
 */
function shell(command: string): string {
  return `exec 2>&1; trap 'trap - TERM; kill -TERM 0' TERM; ${command} & wait $!`;
}

/** Runs one command under a Timeout of `timeoutMs`, printing its lines as they come. */
async function runOne(id: number, command: string, timeoutMs: number): Promise<Outcome> {
  await using child = new Command("sh", {
    args: ["-c", shell(command)],
    stdin: "null",
    stdout: "piped",
    detached: true,
    killGraceMs: 500,
  }).spawn();
  console.log(`[${id}] $ ${command} (pid ${child.pid})`);
  const outcome: Outcome = { command, lines: 0, code: null };
  using timeout = new Timeout(timeoutMs);
  try {
    for await (const line of child.stdout.lines()) {
      outcome.lines++;
      console.log(`[${id}] ${line}`);
    }
    outcome.code = (await child.wait()).code;
  } catch (error) {
    if (error !== timeout) throw error;
    console.log(`[${id}] cut short after ${timeoutMs} ms`);
  }
  return outcome;
}

function parseArgs(args: string[]): { timeoutMs: number; commands: string[] } {
  let timeoutMs = 1000;
  const commands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--timeout-ms") timeoutMs = Number(args[++i]);
    else commands.push(args[i]!);
  }
  if (!(timeoutMs > 0)) throw new RangeError("--timeout-ms must be a number > 0");
  return { timeoutMs, commands: commands.length > 0 ? commands : DEFAULT_COMMANDS };
}

const { timeoutMs, commands } = parseArgs(Deno.args);
const pool = new GreenPool(3);
const threads = [];
for (const [i, command] of commands.entries()) threads.push(await pool.spawn(runOne, i + 1, command, timeoutMs));
const outcomes = await Promise.all(threads.map((t) => t.wait()));

console.log("--- summary");
for (const [i, o] of outcomes.entries()) {
  const how = o.code === null ? "cut short" : `exit ${o.code}`;
  console.log(`[${i + 1}] ${how}, ${o.lines} line(s): ${o.command}`);
}
const cut = outcomes.filter((o) => o.code === null);
console.log(`${cut.length} of ${outcomes.length} command(s) cut short`);
