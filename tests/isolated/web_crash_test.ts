/**
 * The server's former crash cases (issue 16, items 1, 3 and 12), each in a
 * subprocess on each engine, so a crash fails one test and not the runner:
 * the process must exit 0, print `{"ok":true}`, and write nothing to stderr
 * but Deno's own notices.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url);
const DENO = new URL("node_modules/.bin/deno", ROOT).pathname;
const APP = "tests/isolated/fixtures/web_crash_app.ts";

async function run(engine: string, which: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const signal = AbortSignal.timeout(60_000); // a hung child fails the test instead of hanging it
  // Without --unstable-no-legacy-abort: the crash of item 1 shows only in Deno's legacy mode.
  const args = ["run", "-A", APP, engine, which];
  const out = await new Deno.Command(DENO, { args, cwd: ROOT, stdout: "piped", stderr: "piped", signal }).output();
  const text = new TextDecoder();
  return { code: out.code, stdout: text.decode(out.stdout), stderr: text.decode(out.stderr) };
}

const CASES = [
  ["clients-leave", "serve() survives clients leaving while their handlers wait"],
  ["drain-in-timeout", "Server.shutdown({ drainMs }) inside withTimeout() does not crash"],
  ["log-false", "serve({ log: false }) writes nothing to stderr, not even a handler's error"],
  ["bad-log", "serve({ log: true }) throws a TypeError at the call"],
] as const;

for (const engine of ["deno", "node"]) {
  for (const [which, name] of CASES) {
    Deno.test(`[${engine}] ${name} (subprocess)`, async () => {
      const { code, stdout, stderr } = await run(engine, which);
      assert.equal(code, 0, stderr);
      assert.equal(stdout.trim().split("\n").at(-1), '{"ok":true}');
      const output = stderr.split("\n").filter((line) =>
        line !== "" && !/^Deno\.serve: request\.signal aborts/.test(line)
      );
      assert.deepEqual(output, [], "nothing on stderr but Deno's legacy-abort notice");
    });
  }
}
