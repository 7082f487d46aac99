/**
 * The process conformance suite: every guarantee of green subprocesses,
 * checked on each backend (Deno's and Node's). It takes the test registrar, so
 * it runs under `Deno.test` and under real Node (through tests/node's shim).
 * Children are real (`sh`, `cat`, `sleep`, ...); "the child is gone" is
 * checked on the child's side, with `kill(pid, 0)`, which fails only once the
 * child was reaped (a zombie still answers).
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { GreenletExit, sleep, spawn, Timeout } from "@evy/evy";
import { getHub } from "@evy/evy/hubs";
import {
  BrokenPipeError,
  Command,
  type CommandOptions,
  ConcurrentAccessError,
  IncompleteReadError,
  PipeClosedError,
  run,
  type RunOptions,
} from "@evy/evy/green/process";
import { backendOption, type ProcessBackend } from "../../green/_process_backend.ts";

/** Registers one test. */
export type TestFn = (name: string, fn: () => Promise<void>) => void;

const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** Whether process `pid` still exists (a zombie counts: it is not reaped yet). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === "EPERM";
  }
}

/** Waits (green sleeps, no deadline: the test runner's timeout is the limit) until `pid` was reaped. */
async function gone(pid: number): Promise<void> {
  while (alive(pid)) await sleep(5);
}

/** The pid of the newest child of `command` whose output the hub lists as a wait (`output(sleep[1234])`). */
function listedChild(command: string): number {
  const pids = getHub().listWaits().map((w) => new RegExp(`^output\\(${command}\\[(\\d+)\\]\\)$`).exec(w.description))
    .filter((m) => m !== null).map((m) => Number(m[1]));
  assert.ok(pids.length > 0, `no output(${command}[pid]) wait listed`);
  return pids.at(-1)!;
}

/** Registers the suite for `backend`. */
export function processConformance(test: TestFn, backend: ProcessBackend): void {
  const on = { [backendOption]: backend } as Record<symbol, unknown>;
  const command = (cmd: string, options: CommandOptions = {}): Command =>
    new Command(cmd, { ...options, ...on } as CommandOptions);
  const runOn =
    ((cmd: string, args?: string[], options: RunOptions = {}) =>
      run(cmd, args, { ...options, ...on } as RunOptions)) as typeof run;
  const t = (title: string, fn: (dir: string) => Promise<void>): void =>
    test(`process (${backend.name}): ${title}`, async () => {
      const dir = await mkdtemp(join(tmpdir(), "evy-process-"));
      try {
        await fn(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      assert.deepEqual(getHub().listWaits().map((w) => w.description), [], "no waits left");
    });

  t("run() resolves with code, signal, success and text output", async () => {
    const ok = await runOn("sh", ["-c", "echo out; echo err >&2"]);
    assert.deepEqual(ok, { success: true, code: 0, signal: null, stdout: "out\n", stderr: "err\n" });
    const failed = await runOn("sh", ["-c", "exit 7"]);
    assert.deepEqual([failed.code, failed.success, failed.signal], [7, false, null]);
  });

  t("run() feeds input and returns bytes with encoding: bytes", async () => {
    const input = new Uint8Array([0, 1, 2, 255, 10]);
    const result = await runOn("cat", [], { input, encoding: "bytes" });
    assert.ok(result.stdout instanceof Uint8Array);
    assert.deepEqual([...result.stdout], [...input]);
    assert.equal((await runOn("wc", ["-l"], { input: "a\nb\nc\n" })).stdout.trim(), "3");
  });

  t("run() passes env, clearEnv and cwd", async (dir) => {
    const env = await runOn("sh", ["-c", 'printf "%s" "$EVY_X"'], { env: { EVY_X: "42" } });
    assert.equal(env.stdout, "42");
    const cleared = await runOn("/usr/bin/env", [], { clearEnv: true, env: { ONLY: "1" } });
    assert.equal(cleared.stdout, "ONLY=1\n");
    assert.equal((await runOn("pwd", [], { cwd: dir })).stdout.trim().endsWith(dir.split("/").pop()!), true);
  });

  t("exit codes and signals are reported as Deno reports them", async () => {
    const term = await runOn("sh", ["-c", "kill -TERM $$"]);
    assert.deepEqual([term.code, term.signal, term.success], [143, "SIGTERM", false]);
    await using child = command("sleep", { args: ["30"] }).spawn();
    child.kill("SIGKILL");
    assert.deepEqual(await child.status, { success: false, code: 137, signal: "SIGKILL" });
    assert.throws(() => child.kill(), TypeError);
  });

  t("a missing executable throws a NotFound error naming it", async () => {
    assert.throws(() => command("evy-no-such-command").spawn(), (e: Error) => {
      assert.equal(e.name, "NotFound");
      assert.match(e.message, /evy-no-such-command/);
      return true;
    });
    await assert.rejects(runOn("evy-no-such-command"), { name: "NotFound" });
    await assert.rejects(runOn("/nonexistent/evy-bin"), { name: "NotFound" });
  });

  t("bad arguments throw TypeError or RangeError naming them", async () => {
    assert.throws(() => command(42 as unknown as string), /command must be/);
    assert.throws(() => command("true", { args: "x" as unknown as string[] }), TypeError);
    assert.throws(() => command("true", { stdout: "pipe" as "piped" }), /options\.stdout/);
    assert.throws(() => command("true", { killGraceMs: -1 }), RangeError);
    assert.throws(() => command("true", { env: { A: 1 as unknown as string } }), /options\.env/);
    assert.throws(() => command("true", { cwd: new URL("https://example.com/") }), TypeError);
    assert.throws(() => command("true", { signal: "stop" as unknown as AbortSignal }), /options\.signal/);
    await assert.rejects(runOn("true", [], { encoding: "utf8" as "text" }), /options\.encoding/);
    await assert.rejects(runOn("true", [], { input: 42 as unknown as string }), /options\.input/);
    await using child = command("sleep", { args: ["30"], stdout: "piped" }).spawn();
    assert.throws(() => child.kill("TERM" as "SIGTERM"), /signal must be/);
    assert.throws(() => child.stdin, /stdin is not piped/);
    assert.throws(() => child.stdout.recv(0), /maxBytes/);
    await assert.rejects(child.stdout.readExactly(-1), RangeError);
  });

  t("output() collects stdout and stderr; a field of a stream not piped throws", async () => {
    const out = await command("sh", { args: ["-c", "echo a; echo b >&2"], stdin: "null" }).output();
    assert.deepEqual([text(out.stdout), text(out.stderr), out.code], ["a\n", "b\n", 0]);
    const partial = await command("sh", { args: ["-c", "echo a"], stdin: "null", stderr: "null" }).output();
    assert.equal(text(partial.stdout), "a\n");
    assert.throws(() => partial.stderr, TypeError);
    await assert.rejects(command("cat", { stdin: "piped" }).output(), TypeError);
  });

  t(
    "ChildProcess.output() after a first readline returns the rest; a Timeout in Command.output() ends the child",
    async () => {
      await using child = command("printf", { args: ["first\\nrest"], stdout: "piped", stderr: "piped" }).spawn();
      assert.equal(text(await child.stdout.readline()), "first\n");
      const out = await child.output();
      assert.deepEqual([text(out.stdout), text(out.stderr), out.success], ["rest", "", true]);
      let pid = 0;
      const cut = spawn(async () => {
        using _t = new Timeout(30);
        const output = command("sleep", { args: ["30"], stdin: "null" }).output();
        pid = listedChild("sleep"); // spawned and listed before output() first yields
        return await output;
      });
      await assert.rejects(cut.wait(), Timeout);
      await gone(pid);
    },
  );

  t("stdout reads like makefile(): readline, read, readExactly, lines", async () => {
    await using child = command("printf", { args: ["one\\ntwo\\nthree\\r\\nrest"], stdout: "piped" }).spawn();
    assert.equal(text(await child.stdout.readline()), "one\n");
    assert.equal(text(await child.stdout.readExactly(2)), "tw");
    assert.equal(text(await child.stdout.readline({ maxLength: 1 })), "o");
    const lines: string[] = [];
    for await (const line of child.stdout.lines()) lines.push(line);
    assert.deepEqual(lines, ["", "three", "rest"]);
    assert.equal((await child.stdout.read()).length, 0);
    await assert.rejects(child.stdout.readExactly(1), IncompleteReadError);
    assert.equal((await child.wait()).code, 0);
  });

  t("stdin is a green writer: write, close; the child reads end of stream", async () => {
    await using child = command("cat", { stdin: "piped", stdout: "piped" }).spawn();
    await child.stdin.write("ping\n");
    assert.equal(text(await child.stdout.readline()), "ping\n");
    await child.stdin.write(new Uint8Array([112, 111, 110, 103, 10]));
    await child.stdin.close();
    await child.stdin.close(); // a no-op
    assert.equal(await child.stdout.text(), "pong\n");
    await assert.rejects(child.stdin.write("late"), PipeClosedError);
    assert.equal((await child.wait()).success, true);
  });

  t("the stream shapes: readable, getReader, pipeTo, writable", async () => {
    await using child = command("cat", { stdin: "piped", stdout: "piped" }).spawn();
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode("via streams"));
    await writer.close();
    assert.equal(await new Response(child.stdout.readable).text(), "via streams");
    assert.equal((await child.status).code, 0);
  });

  t("every wait on a child is listed by the hub with the child's name and pid", async () => {
    await using child = command("sleep", { args: ["30"], stdin: "piped", stdout: "piped" }).spawn();
    const reader = spawn(() => child.stdout.recv());
    const waiter = spawn(() => child.wait());
    await sleep(0);
    const listed = getHub().listWaits().map((w) => w.description);
    assert.ok(listed.includes(`recv(stdout of sleep[${child.pid}])`), String(listed));
    assert.ok(listed.includes(`wait(sleep[${child.pid}])`), String(listed));
    child.kill("SIGKILL");
    assert.equal((await waiter.wait()).signal, "SIGKILL");
    assert.equal((await reader.wait()).length, 0);
  });

  t("a second thread reading a pipe at once gets ConcurrentAccessError", async () => {
    await using child = command("sleep", { args: ["30"], stdout: "piped" }).spawn();
    const reader = spawn(() => child.stdout.recv());
    await sleep(0);
    await assert.rejects(child.stdout.recv(), ConcurrentAccessError);
    child.stdout.close();
    await assert.rejects(reader.wait(), PipeClosedError);
  });

  t("a Timeout around run() rejects at once and ends the child (no zombie)", async () => {
    let pid = 0;
    const cut = spawn(async () => {
      using _t = new Timeout(30);
      const result = runOn("sleep", ["30"]);
      pid = listedChild("sleep"); // spawned and listed before run() first yields
      return await result;
    });
    await assert.rejects(cut.wait(), Timeout);
    await gone(pid);
  });

  t("killing a thread blocked in readline ends the child and keeps the bytes read", async () => {
    const child = command("sh", { args: ["-c", "printf 'one\\ntw'; exec sleep 30"], stdout: "piped" }).spawn();
    assert.equal(text(await child.stdout.readline()), "one\n");
    const reader = spawn(() => child.stdout.readline());
    await sleep(20); // the reader has "tw" and waits for the rest of the line
    await reader.kill();
    await assert.rejects(reader.wait(), GreenletExit);
    const status = await child.status;
    assert.equal(status.signal, "SIGTERM");
    assert.equal(text(await child.stdout.read()), "tw"); // nothing lost; then end of stream
    await gone(child.pid);
  });

  t("killing a thread in wait() releases it at once; a child ignoring SIGTERM gets SIGKILL", async () => {
    await using child = command("sh", {
      args: ["-c", "trap '' TERM; echo ready; exec sleep 30"],
      stdout: "piped",
      killGraceMs: 1000, // long enough that the check below never races the SIGKILL
    }).spawn();
    assert.equal(text(await child.stdout.readline()), "ready\n");
    const waiter = spawn(() => child.wait());
    await sleep(0);
    await waiter.kill();
    await assert.rejects(waiter.wait(), GreenletExit);
    assert.equal(alive(child.pid), true, "the wait was released before the child died");
    assert.equal((await child.status).signal, "SIGKILL");
    await gone(child.pid);
  });

  t("a Timeout of a thread blocked writing to a child that does not read ends the child", async () => {
    await using child = command("sleep", { args: ["30"], stdin: "piped" }).spawn();
    const writer = spawn(async () => {
      using _t = new Timeout(30);
      await child.stdin.write(new Uint8Array(4 << 20));
    });
    await assert.rejects(writer.wait(), Timeout);
    assert.equal((await child.status).signal, "SIGTERM");
  });

  t("options.signal ends the child when it aborts", async () => {
    const controller = new AbortController();
    await using child = command("sleep", { args: ["30"], signal: controller.signal }).spawn();
    controller.abort();
    assert.equal((await child.status).signal, "SIGTERM");
  });

  t("await using ends a running child and closes its pipes", async () => {
    let pid = 0;
    {
      await using child = command("sleep", { args: ["30"], stdin: "piped", stdout: "piped", stderr: "piped" })
        .spawn();
      pid = child.pid;
    }
    assert.equal(alive(pid), false);
  });

  t("a child that closes stdin early makes writes fail with BrokenPipeError, no crash", async () => {
    await using child = command("sh", {
      args: ["-c", "exec 0<&-; echo closed; exec sleep 30"],
      stdin: "piped",
      stdout: "piped",
    }).spawn();
    assert.equal(text(await child.stdout.readline()), "closed\n");
    const error = await child.stdin.write(new Uint8Array(1 << 20)).then(() => undefined, (e: unknown) => e);
    assert.ok(error instanceof BrokenPipeError, String(error));
    assert.equal(error.code, "EPIPE");
    assert.match(error.message, /stdin of sh\[\d+\]/);
    await assert.rejects(child.stdin.write("again"), BrokenPipeError);
    // run() does not mind a child that reads none of its input
    assert.equal((await runOn("true", [], { input: new Uint8Array(1 << 20) })).success, true);
  });

  t("10 MB of output read slowly arrives whole, with no deadlock", async () => {
    const size = 10 << 20;
    await using child = command("sh", {
      args: ["-c", `yes 0123456789abcde | head -c ${size}`],
      stdout: "piped",
    }).spawn();
    const line = new TextEncoder().encode("0123456789abcde\n");
    let total = 0;
    let reads = 0;
    for (let chunk = await child.stdout.recv(8192); chunk.length > 0; chunk = await child.stdout.recv(8192)) {
      for (let i = 0; i < chunk.length; i++) {
        if (chunk[i] !== line[(total + i) % 16]) assert.fail(`byte ${total + i} differs`);
      }
      total += chunk.length;
      if (++reads % 64 === 0) await sleep(1);
    }
    assert.equal(total, size);
    assert.equal((await child.wait()).success, true);
  });
}
