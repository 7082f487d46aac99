/**
 * The blocking detector as a process sees it: its default report is one line
 * on stderr, and its watchdog thread never keeps the process alive.
 */
// evy:deno-only: runs the fixture in a subprocess.
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url);
const DENO = new URL("node_modules/.bin/deno", ROOT).pathname;
const APP = new URL("fixtures/blocking_app.ts", import.meta.url).pathname;

Deno.test("hubBlockingDetection() by default prints one line on stderr, and the process exits with it on", async () => {
  const signal = AbortSignal.timeout(60_000); // a process kept alive fails the test instead of hanging it
  const out = await new Deno.Command(DENO, {
    args: ["run", "-A", APP],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    signal,
  })
    .output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.equal(new TextDecoder().decode(out.stdout), "done\n");
  const lines = stderr.split("\n").filter((line) => line.startsWith("evy: "));
  assert.equal(lines.length, 1, stderr);
  assert.match(
    lines[0]!,
    /^evy: green thread cruncher blocked the event loop for \d+ ms \(spawned at .*blocking_app\.ts:\d+:\d+; yielded at cruncher .*blocking_app\.ts:\d+:\d+\)?\)$/,
  );
});
