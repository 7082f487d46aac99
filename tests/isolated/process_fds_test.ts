/**
 * 1,000 green `run`s in a row leak no file descriptor, on each backend. Counted
 * in a process of their own: `deno test --parallel` runs test modules in one
 * process, whose descriptor count other modules change at any moment.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url);
const DENO = new URL("node_modules/.bin/deno", ROOT).pathname;

for (const backend of ["deno", "node"]) {
  Deno.test(`process (${backend}): 1,000 runs in a row leak no file descriptors`, async () => {
    const out = await new Deno.Command(DENO, {
      args: ["run", "-A", "tests/isolated/fixtures/process_fds_app.ts", backend],
      cwd: ROOT,
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(120_000), // a hung child fails the test instead of hanging it
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    const { before, after } = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
    assert.ok(before > 0);
    assert.equal(after, before);
  });
}
