/**
 * Crash tests in a subprocess: a fire-and-forget `kill()` never becomes an
 * unhandled rejection, whichever thread made it and whatever happens to that
 * thread afterwards (issue 16 item 1).
 */
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url);
const DENO = new URL("node_modules/.bin/deno", ROOT).pathname;

Deno.test("void gt.kill() from a thread that is then killed or timed out does not crash the process", async () => {
  const signal = AbortSignal.timeout(60_000);
  const out = await new Deno.Command(DENO, {
    args: ["run", "-A", "tests/isolated/fixtures/kill_ignored_app.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    signal,
  }).output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, stderr);
  assert.equal(new TextDecoder().decode(out.stdout).trim(), "survived");
  assert.doesNotMatch(stderr, /Uncaught/);
});
