import assert from "node:assert/strict";
import { startExample } from "./_example_process.ts";

/** Sends `lines` on one connection and reads one reply line per request. */
async function ask(port: number, lines: string[]): Promise<string[]> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(new TextEncoder().encode(lines.map((l) => l + "\n").join("")));
    let text = "";
    const buf = new Uint8Array(64 * 1024);
    while (text.split("\n").length <= lines.length) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    return text.split("\n").slice(0, lines.length);
  } finally {
    conn.close();
  }
}

function factorial(n: number): string {
  let r = 1n;
  for (let i = 2n; i <= BigInt(n); i++) r *= i;
  return r.toString();
}

/**
 * Big enough (~0.7 s of BigInt work on this machine, 100x the 5 ms ticker and the small requests) that the ordering
 * the test checks does not hang on scheduling luck when other tests load both cores; 20000! (~90 ms) did.
 */
const BIG = 60_000;

Deno.test("examples/factorial_server.ts answers several clients at once while a green ticker keeps ticking", async () => {
  await using server = await startExample("factorial_server.ts", ["0", "5"], /listening on port (\d+)/);
  const [big, small, bad] = await Promise.all([
    ask(server.port, [String(BIG)]),
    ask(server.port, ["0", "5", "20", "25"]),
    ask(server.port, ["-3", "x"]),
  ]);
  assert.equal(big[0], factorial(BIG));
  assert.deepEqual(small, ["1", "120", "2432902008176640000", factorial(25)]);
  assert.match(bad[0]!, /^error: expected an integer/);
  assert.match(bad[1]!, /^error: expected an integer/);
  // The ticker printed, and the other clients were answered, while BIG! was being computed in a worker.
  const start = server.lines.indexOf(`computing ${BIG}!`);
  const end = server.lines.findIndex((l) => l.startsWith(`computed ${BIG}!`));
  assert.ok(start >= 0 && end > start, server.lines.join("\n"));
  assert.ok(server.lines.slice(start, end).some((l) => l.startsWith("tick")), server.lines.join("\n"));
  assert.ok(server.lines.slice(start, end).includes("computed 25! (26 digits)"), server.lines.join("\n"));
});
