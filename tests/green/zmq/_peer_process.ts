/**
 * Runs a libzmq peer (pyzmq under Debian's /usr/bin/python3, or zeromq.js
 * under Node) as a child process for the interop tests, and the message set
 * both sides use (the peers hold the same).
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { Buffer } from "node:buffer";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BIG = Buffer.alloc(3 * 1024 * 1024);
for (let i = 0; i < BIG.length; i++) BIG[i] = i % 251;

/** The shared messages: a plain one, an empty frame first, an empty frame inside, 300 bytes, 3 MiB. */
export const MESSAGES: Buffer[][] = [
  [Buffer.from("hello")],
  [Buffer.alloc(0), Buffer.from("after an empty frame")],
  [Buffer.from("a"), Buffer.alloc(0), Buffer.from("c")],
  [Buffer.alloc(300, "x")],
  [Buffer.from("big"), BIG],
];

/** Whether two messages have the same frames. */
export function sameMessage(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return a.length === b.length && a.every((f, i) => Buffer.compare(f, b[i]!) === 0);
}

/** Which libzmq binding plays the peer. */
export type PeerKind = "pyzmq" | "zeromq.js";

/** A running peer. */
export interface Peer {
  /** The endpoint it printed (the one it bound, or the one it connects to). */
  endpoint: Promise<string>;
  /** Resolves when it exits: its code, and what it printed. */
  exit: Promise<{ code: number | null; stdout: string; stderr: string }>;
  /** Whether it has exited. */
  readonly exited: boolean;
  /** Writes a line to its stdin (PUB: stop publishing). */
  tell(line: string): void;
  /** Kills it (a test that failed). */
  kill(): void;
}

/** Starts a peer of `type` (`"REQ"`, ...) that binds or connects `endpoint`. */
export function startPeer(kind: PeerKind, type: string, how: "bind" | "connect", endpoint: string): Peer {
  // The peers' scripts live beside this file's source (the Node build, npm/tests/…, holds only the compiled tests).
  let dir = fileURLToPath(new URL(".", import.meta.url));
  if (!existsSync(`${dir}_pyzmq_peer.py`)) {
    dir = fileURLToPath(new URL("../../../../tests/green/zmq/", import.meta.url));
  }
  const child: ChildProcess = kind === "pyzmq"
    ? spawn("/usr/bin/python3", [`${dir}_pyzmq_peer.py`, type, how, endpoint], { stdio: "pipe" })
    : spawn("node", [`${dir}_zeromq_peer.mjs`, type, how, endpoint], { stdio: "pipe", cwd: dir });
  let stdout = "";
  let stderr = "";
  let exited = false;
  let gotEndpoint: (ep: string) => void = () => {};
  const endpointPromise = new Promise<string>((resolve) => (gotEndpoint = resolve));
  child.stdout!.setEncoding("utf8").on("data", (s: string) => {
    stdout += s;
    const nl = stdout.indexOf("\n");
    if (nl >= 0) gotEndpoint(stdout.slice(0, nl));
  });
  child.stderr!.setEncoding("utf8").on("data", (s: string) => (stderr += s));
  const exit = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    child.on("close", (code) => {
      exited = true;
      child.stdin!.destroy();
      gotEndpoint("");
      resolve({ code, stdout, stderr });
    });
  });
  return {
    endpoint: endpointPromise,
    exit,
    get exited() {
      return exited;
    },
    tell(line: string) {
      child.stdin!.write(`${line}\n`);
      child.stdin!.end();
    },
    kill() {
      child.kill("SIGKILL");
    },
  };
}
