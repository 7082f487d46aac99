/**
 * The backdoor with the clients its users have: `nc` (netcat-openbsd) and
 * `telnet`, run as real child processes against a backdoor in this process.
 * Both are Debian packages that `.ci/run` installs.
 */
// evy:deno-only: runs nc and telnet as subprocesses.
import assert from "node:assert/strict";
import { spawn } from "@evy/evy";
import { listen } from "@evy/evy/green/net";
import { backdoorServer } from "@evy/evy/tools/backdoor";

function startBackdoor(locals: Record<string, unknown>) {
  const listener = listen({ hostname: "127.0.0.1", port: 0 });
  const server = spawn(backdoorServer, listener, locals);
  return {
    port: listener.addr.port,
    async [Symbol.asyncDispose]() {
      listener.close();
      await server.wait();
    },
  };
}

async function which(tool: string): Promise<void> {
  const out = await new Deno.Command("sh", { args: ["-c", `command -v ${tool}`], stdout: "null" }).output();
  assert.equal(out.code, 0, `${tool} is not installed (Debian: ${tool === "nc" ? "netcat-openbsd" : tool})`);
}

Deno.test("backdoorServer() works with nc as the client", async () => {
  await which("nc");
  await using bd = startBackdoor({ answer: 42 });
  const child = new Deno.Command("nc", {
    args: ["-N", "127.0.0.1", String(bd.port)], // -N: shut down the socket's write half at end of input
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("answer\nawait Promise.resolve(answer + 1)\n"));
  await writer.close();
  const out = await child.output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const text = new TextDecoder().decode(out.stdout);
  assert.match(text, /^evy backdoor \(deno [\d.]+, pid \d+\): .*\r\n> 42\r\n> 43\r\n> $/);
});

Deno.test("backdoorServer() works with telnet as the client", async () => {
  await which("telnet");
  await using bd = startBackdoor({ answer: 42 });
  const child = new Deno.Command("telnet", {
    args: ["127.0.0.1", String(bd.port)],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let seen = "";
  const readUntil = async (text: string) => {
    while (!seen.includes(text)) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`telnet ended before ${JSON.stringify(text)}; got ${JSON.stringify(seen)}`);
      seen += value;
    }
  };
  await readUntil("> ");
  await writer.write(new TextEncoder().encode("answer * 2\n"));
  await readUntil("> 84\n> "); // telnet prints the \r\n it gets as \n
  await writer.write(new TextEncoder().encode(".exit\n"));
  for (;;) { // the server ends the session: telnet's output ends
    const { value, done } = await reader.read();
    if (done) break;
    seen += value;
  }
  await writer.close().catch(() => {}); // telnet may be gone already
  const status = await child.status;
  const stderr = await new Response(child.stderr).text();
  assert.match(stderr, /Connection closed by foreign host/);
  assert.equal(status.code, 0, "telnet exits by itself when the server closes the connection");
  assert.match(seen, /Connected to 127\.0\.0\.1\.[\s\S]*evy backdoor/);
});
