/**
 * A REPL inside the running process (Eventlet's `backdoor`): connect with
 * `telnet` or `nc`, type JavaScript — top-level `await` works — and look at,
 * or change, the live program between two of its requests.
 *
 * ```sh
 * $ nc localhost 3000
 * evy backdoor (deno 2.9.6, pid 4242): JavaScript or TypeScript, top-level await; .exit to leave
 * > app.requests
 * 17
 * > app.greeting = "howdy"
 * 'howdy'
 * ```
 *
 * Differences from Eventlet: the language is JavaScript, not Python;
 * TypeScript annotations are stripped where the runtime can
 * (`node:module`'s `stripTypeScriptTypes`: Deno 2, Node 22.13+; not Node 20,
 * where the input must be plain JavaScript; strip-only, so `enum`,
 * `namespace` and parameter properties, which need code generated, are
 * syntax errors everywhere); listeners on anything but a
 * loopback address or a Unix socket are refused unless `allowRemote` is
 * given; and a shared `secret` can be asked for first.
 *
 * @example A session over TCP
 * ```ts
 * import { spawn } from "@evy/evy";
 * import { connect, listen } from "@evy/evy/green/net";
 * import { backdoorServer } from "@evy/evy/tools/backdoor";
 * import assert from "node:assert/strict";
 *
 * const listener = listen({ hostname: "127.0.0.1", port: 0 });
 * const server = spawn(backdoorServer, listener, { answer: 42 });
 * const client = await connect(listener.addr);
 * const file = client.makefile();
 * const decode = (b: Uint8Array) => new TextDecoder().decode(b);
 * assert.match(decode(await file.readline()), /^evy backdoor/);
 * await client.sendall("answer + 1\n");
 * assert.equal(decode(await file.readline()), "> 43\r\n");
 * listener.close(); // ends every session, then the server
 * await server.wait();
 * assert.match(decode(await file.read()), /^(> )?$/); // then the end of the stream
 * client.close();
 * ```
 *
 * @module
 */
import process from "node:process";
import { getHub } from "../hubs/mod.ts";
import { getCurrent, spawn } from "../core/green_thread.ts";
import { Timeout } from "../core/timeout.ts";
import type { GreenThread } from "../core/green_thread.ts";
import { sleep } from "../core/sleep.ts";
import { type Addr, GreenListener, type GreenSocket, SocketClosedError } from "../green/net.ts";
import { stripsTypes } from "./_repl_eval.ts";
import { runSession } from "./_repl_session.ts";

/** Options of {@linkcode backdoorServer}. */
export interface BackdoorOptions {
  /** A shared secret each client must type first; a wrong one closes the connection. @default undefined (none) */
  secret?: string;
  /** Serve on a listener that is not on a loopback address (nor a Unix socket). @default false */
  allowRemote?: boolean;
}

function isLoopback(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host === "::1" || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(host);
}

function checkAddress(listener: GreenListener, allowRemote: boolean): void {
  const addr = listener.addr;
  if (allowRemote || "path" in addr || isLoopback(addr.hostname)) return;
  throw new RangeError(
    `backdoorServer: listener is on ${addr.hostname}, not a loopback address; pass { allowRemote: true } to serve it`,
  );
}

function describe(addr: Addr): string {
  if ("path" in addr) return addr.path || "unix";
  return addr.hostname.includes(":") ? `[${addr.hostname}]:${addr.port}` : `${addr.hostname}:${addr.port}`;
}

function banner(): string {
  const runtime = process.versions.deno !== undefined
    ? `deno ${process.versions.deno}`
    : `node ${process.versions.node}`;
  const language = stripsTypes ? "JavaScript or TypeScript" : "JavaScript";
  return `evy backdoor (${runtime}, pid ${process.pid}): ${language}, top-level await; .exit to leave\n`;
}

async function serve(
  listener: GreenListener,
  locals: Record<string, unknown>,
  options: BackdoorOptions,
): Promise<void> {
  await listener.listening();
  checkAddress(listener, options.allowRemote === true);
  const sessions = new Set<GreenThread<void>>();
  const sessionOptions = { secret: options.secret, banner: banner() };
  const self = getCurrent();
  try {
    for (;;) {
      let sock: GreenSocket;
      try {
        sock = await listener.accept();
      } catch (error) {
        if (error instanceof SocketClosedError) return;
        if (self.signal.aborted || error instanceof Timeout) throw error; // the server itself is being ended
        getHub().reportError({ error, context: "backdoorServer accept", spawnStack: undefined });
        await sleep(100); // e.g. out of file descriptors: do not spin
        continue;
      }
      const session = spawn(runSession, sock, locals, sessionOptions);
      session.name = `backdoor(${describe(sock.remoteAddr)})`;
      sessions.add(session);
      session.link(() => sessions.delete(session));
    }
  } finally {
    listener.close();
    for (const session of [...sessions]) await session.kill();
  }
}

/**
 * Serves backdoor sessions on `listener` (TCP or Unix, from evy's `listen`)
 * until it is closed: run it in its own green thread (`spawn(backdoorServer,
 * listener, locals)`). Each client gets the banner, then a `> ` prompt (`... `
 * while an input is unfinished); each line is evaluated in this process with
 * top-level `await`, against the client's own shallow copy of `locals`, and
 * its value printed as `node:util`'s `inspect` does (`_` holds the last one;
 * the session's `console` prints to the client, before the value).
 * Errors are printed and the session goes on. `.exit` or end of input ends a
 * session; a client that drops mid-line or sends garbage ends only its own.
 * Closing the listener (or killing the server's thread) ends every session.
 *
 * @param listener The listener to serve on; a non-loopback TCP one needs `allowRemote`.
 * @param locals The variables each session starts with. @default {}
 * @param options `secret`, `allowRemote`.
 * @returns Resolves when the listener is closed and every session has ended.
 * @throws {TypeError} When `listener` is not a green listener, `locals` not an object, or `secret` not a string.
 * @throws {RangeError} (as the rejection) When the listener is not on a loopback address and `allowRemote` is not set.
 *
 * @example A Unix-socket backdoor with a secret
 * ```ts
 * import { spawn } from "@evy/evy";
 * import { connect, listen } from "@evy/evy/green/net";
 * import { backdoorServer } from "@evy/evy/tools/backdoor";
 * import assert from "node:assert/strict";
 * import { mkdtempSync, rmSync } from "node:fs";
 * import { tmpdir } from "node:os";
 * import { join } from "node:path";
 *
 * const dir = mkdtempSync(join(tmpdir(), "backdoor-"));
 * const listener = listen({ transport: "unix", path: join(dir, "backdoor.sock") });
 * const server = spawn(backdoorServer, listener, {}, { secret: "s3cret" });
 * const client = await connect(listener.addr);
 * const file = client.makefile();
 * const decode = (b: Uint8Array) => new TextDecoder().decode(b);
 * await client.sendall("s3cret\nawait Promise.resolve(6 * 7)\n");
 * assert.match(decode(await file.readline()), /^secret: evy backdoor/);
 * assert.equal(decode(await file.readline()), "> 42\r\n");
 * client.close();
 * listener.close();
 * await server.wait();
 * rmSync(dir, { recursive: true });
 * ```
 */
export function backdoorServer(
  listener: GreenListener,
  locals: Record<string, unknown> = {},
  options: BackdoorOptions = {},
): Promise<void> {
  if (!(listener instanceof GreenListener)) {
    throw new TypeError("backdoorServer: listener must be a GreenListener (from evy's listen())");
  }
  if (locals === null || typeof locals !== "object") {
    throw new TypeError(`backdoorServer: locals must be an object, got ${locals === null ? "null" : typeof locals}`);
  }
  if (options.secret !== undefined && typeof options.secret !== "string") {
    throw new TypeError(`backdoorServer: secret must be a string, got ${typeof options.secret}`);
  }
  return serve(listener, locals, options);
}
