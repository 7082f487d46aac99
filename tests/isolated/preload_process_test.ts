/**
 * The preload on an unmodified app that runs children: `Deno.Command` is green
 * `Command`, and `node:child_process` (imported or required) is the drop-in.
 */
import assert from "node:assert/strict";

const ROOT = new URL("../..", import.meta.url);
const DENO = new URL("node_modules/.bin/deno", ROOT).pathname;

Deno.test("preload: an unmodified app's Deno.Command and node:child_process children are ended by a Timeout", async () => {
  const signal = AbortSignal.timeout(60_000); // a hung child fails the test instead of hanging it
  const out = await new Deno.Command(DENO, {
    args: ["run", "-A", "--preload", "./patch.ts", "tests/isolated/fixtures/preload_process_app.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
    signal,
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const result = JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
  assert.deepEqual(result, {
    denoCommand: true,
    denoCommandOutput: "hi\n",
    exec: true,
    importListed: true,
    requireListed: true,
  });
});
