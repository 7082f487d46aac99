/**
 * {@linkcode Connection}: one ZMTP 3.x session over a green socket — the
 * greeting, the NULL handshake (READY with `Socket-Type` and `Identity` each
 * way; ERROR), then messages both ways. The thread that calls `run()` reads;
 * a writer thread drains the pipe's out queue, many messages per write.
 * Whatever goes wrong (a bad greeting, a PLAIN or CURVE peer, an oversized or
 * malformed frame, a reset) ends this connection only: `run()` never throws,
 * it reports to the host and closes. Internal.
 *
 * @module
 */
import { Buffer } from "node:buffer";
import { spawn } from "../../core/green_thread.ts";
import type { GreenThread } from "../../core/green_thread.ts";
import type { HubTimer } from "../../hubs/hub.ts";
import { getHub } from "../../hubs/mod.ts";
import type { GreenSocket } from "../socket.ts";
import {
  encodeCommand,
  encodeErrorCommand,
  encodeReady,
  metadataText,
  parseCommand,
  parseErrorReason,
  parseMetadata,
} from "./_command.ts";
import { COMMAND, encodeMessages, FrameDecoder, MORE } from "./_frame.ts";
import { checkSignature, encodeGreeting, GREETING_SIZE, parseGreeting } from "./_greeting.ts";
import type { OutItem, Pipe } from "./_pipe.ts";
import { ZmqError } from "./zmq_error.ts";

/** What a connection needs of its ZeroMQ socket. */
export interface ConnectionHost {
  /** Our ZMTP socket type, e.g. `"PUSH"`. */
  readonly zmtpType: string;
  /** Our Identity metadata (the `routingId` option). */
  readonly identity: Uint8Array;
  /** The largest message accepted, in bytes; -1 for no limit. */
  readonly maxMessageSize: number;
  /** After the socket's `close()`: how long a session may still flush (ms, -1 without limit). */
  readonly lingerLeft: number | undefined;
  /** How long the handshake may take (ms). */
  readonly handshakeInterval: number;
  /** Whether a peer of `type` may talk to us. */
  accepts(type: string): boolean;
  /** The handshake is done: the pipe to carry (`pipe` for a connecting socket), or undefined to refuse. */
  attach(conn: Connection, peerType: string, identity: Uint8Array, pipe: Pipe | undefined): Pipe | undefined;
  /** The connection ended. */
  detach(conn: Connection, pipe: Pipe): void;
  /** A message from the peer. */
  message(pipe: Pipe, frames: Uint8Array[]): void;
  /** A SUBSCRIBE or CANCEL command (ZMTP 3.1). */
  subscription(pipe: Pipe, subscribe: boolean, topic: Uint8Array): void;
  /** Something failed on this connection (the socket's `events`). */
  failed(conn: Connection, error: unknown, during: "handshake" | "session"): void;
}

const PONG_CONTEXT_MAX = 16;

/** One ZMTP session. */
export class Connection {
  /** The endpoint, as the socket names it. */
  readonly endpoint: string;
  #sock: GreenSocket;
  #host: ConnectionHost;
  #pipe: Pipe | undefined;
  #writer: GreenThread<void> | undefined;
  #closing = false;
  #writing = false; // the writer has taken messages it is still writing
  #ended = false;
  #lingerTimer: HubTimer | undefined;

  constructor(sock: GreenSocket, host: ConnectionHost, endpoint: string) {
    this.#sock = sock;
    this.#host = host;
    this.endpoint = endpoint;
  }

  /** Runs the session in the calling thread until it ends. `pipe`: the connecting side's pipe. */
  async run(pipe?: Pipe): Promise<void> {
    const sock = this.#sock;
    try {
      sock.setNoDelay?.(true);
    } catch {
      // Unix sockets have no Nagle.
    }
    try {
      sock.setTimeout(this.#host.handshakeInterval);
      await sock.sendall(encodeGreeting());
      const rest = await this.#readGreeting();
      await sock.sendall(this.#frame(encodeReady(this.#readyProps())));
      let frames: Uint8Array[] = [];
      let size = 0;
      const max = this.#host.maxMessageSize;
      const decoder = new FrameDecoder(max < 0 ? Number.MAX_SAFE_INTEGER : max, (flags, body) => {
        if ((flags & COMMAND) !== 0) return this.#command(body, pipe);
        const p = this.#pipe;
        if (p === undefined) throw new ZmqError("EPROTO", "ZMTP: the peer sent a message before READY");
        size += body.length;
        if (max >= 0 && size > max) {
          throw new ZmqError("EMSGSIZE", `ZMTP: the peer sent a message over maxMessageSize (${max} bytes)`);
        }
        frames.push(body);
        if ((flags & MORE) !== 0) return;
        const message = frames;
        frames = [];
        size = 0;
        if (!this.#closing) this.#host.message(p, message);
      });
      if (rest.length > 0) decoder.feed(Buffer.from(rest.buffer, rest.byteOffset, rest.length)); // frames are Buffers
      while (this.#pipe === undefined) await this.#feed(decoder);
      sock.setTimeout(null);
      for (;;) {
        const p = this.#pipe;
        while (p.inFull && !this.#closing) await p.inRoom.wait(`zmq backpressure(${this.endpoint})`);
        if (!(await this.#feed(decoder))) break;
      }
    } catch (error) {
      if (!this.#closing) this.#host.failed(this, error, this.#pipe === undefined ? "handshake" : "session");
    } finally {
      this.#end();
    }
    const writer = this.#writer;
    if (writer !== undefined) await writer.wait().catch(() => {});
  }

  /** Reads one chunk into `decoder`; false at end of stream. */
  async #feed(decoder: FrameDecoder): Promise<boolean> {
    const chunk = await this.#sock.recv(65536);
    if (chunk.length === 0) {
      if (this.#pipe === undefined) throw new ZmqError("EPROTO", "ZMTP: the peer closed during the handshake");
      return false;
    }
    decoder.feed(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    return true;
  }

  async #readGreeting(): Promise<Uint8Array> {
    let got = new Uint8Array(0);
    while (got.length < GREETING_SIZE) {
      const chunk = await this.#sock.recv(GREETING_SIZE * 2);
      if (chunk.length === 0) throw new ZmqError("EPROTO", "ZMTP: the peer closed before its greeting");
      const joined = new Uint8Array(got.length + chunk.length);
      joined.set(got);
      joined.set(chunk, got.length);
      got = joined;
      if (got.length >= 11) checkSignature(got);
    }
    const greeting = parseGreeting(got);
    if (greeting.mechanism !== "NULL") {
      const reason = `evy's ZeroMQ supports the NULL mechanism only; the peer asked for ${greeting.mechanism}`;
      await this.#sock.sendall(this.#frame(encodeErrorCommand(reason))).catch(() => {});
      throw new ZmqError("EPROTO", `ZMTP handshake failed: ${reason}`);
    }
    return got.subarray(GREETING_SIZE);
  }

  #readyProps(): Record<string, Uint8Array | string> {
    const props: Record<string, Uint8Array | string> = { "Socket-Type": this.#host.zmtpType };
    const t = this.#host.zmtpType;
    if (t === "REQ" || t === "DEALER" || t === "ROUTER") props["Identity"] = this.#host.identity;
    return props;
  }

  #command(body: Uint8Array, pipe: Pipe | undefined): void {
    const { name, data } = parseCommand(body);
    if (this.#pipe === undefined) {
      if (name === "ERROR") {
        throw new ZmqError("EPROTO", `ZMTP: the peer refused the handshake: ${parseErrorReason(data)}`);
      }
      if (name !== "READY") throw new ZmqError("EPROTO", `ZMTP: expected READY, got ${name}`);
      const props = parseMetadata(data);
      const type = metadataText(props.get("socket-type"));
      if (!this.#host.accepts(type)) {
        const reason = `a ${this.#host.zmtpType} socket does not talk to ${type || "an untyped peer"}`;
        this.#sock.sendall(this.#frame(encodeErrorCommand(reason))).catch(() => {});
        throw new ZmqError("EPROTO", `ZMTP handshake failed: ${reason}`);
      }
      const attached = this.#host.attach(this, type, props.get("identity") ?? new Uint8Array(0), pipe);
      if (attached === undefined) throw new ZmqError("EPROTO", `ZMTP: ${this.#host.zmtpType} refused another peer`);
      this.#pipe = attached;
      this.#writer = spawn(this.#write);
      this.#writer.name = `zmq writer(${this.endpoint})`;
      const linger = this.#host.lingerLeft;
      if (linger !== undefined) this.close(linger); // came up after close(): flush, then end
      return;
    }
    if (name === "SUBSCRIBE" || name === "CANCEL") this.#host.subscription(this.#pipe, name === "SUBSCRIBE", data);
    else if (name === "PING") {
      // PING: 2-byte TTL, then up to 16 bytes of context that PONG echoes.
      this.#pipe.writeRaw(this.#frame(encodeCommand("PONG", data.subarray(2, 2 + PONG_CONTEXT_MAX))));
    } else if (name === "ERROR") throw new ZmqError("EPROTO", `ZMTP: the peer sent ERROR: ${parseErrorReason(data)}`);
    // PONG and unknown commands are ignored, as RFC 23 asks.
  }

  #frame(commandBody: Uint8Array): Uint8Array {
    const chunks = encodeMessages([[commandBody]], true);
    return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
  }

  #write = async (): Promise<void> => {
    const pipe = this.#pipe!;
    const sock = this.#sock;
    try {
      for (;;) {
        if (this.#ended) return;
        if (!pipe.hasOut) {
          if (this.#closing) break;
          await pipe.outReady.wait(`zmq send queue(${this.endpoint})`);
          continue;
        }
        const items: OutItem[] = pipe.takeOut();
        this.#writing = true;
        for (const chunk of encodeMessages(items)) await sock.sendall(chunk);
        this.#writing = false;
      }
    } catch {
      // The socket broke or closed: the reader sees it too and ends the session.
    }
    sock.close();
  };

  /** Stops the session: flushes what is queued for up to `lingerMs` (-1: no limit), then closes. */
  close(lingerMs: number): void {
    if (this.#closing || this.#ended) return;
    this.#closing = true;
    const pipe = this.#pipe;
    if (pipe === undefined || lingerMs === 0 || (!pipe.hasOut && !this.#writing)) return this.#sock.close();
    pipe.inRoom.wakeAll();
    pipe.outReady.wakeAll();
    if (lingerMs > 0) {
      this.#lingerTimer = getHub().scheduleCallGlobal(
        lingerMs,
        () => this.#sock.close(),
        `zmq linger(${this.endpoint})`,
      );
    }
  }

  #end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#lingerTimer?.cancel();
    this.#sock.close();
    const pipe = this.#pipe;
    if (pipe !== undefined) {
      pipe.outReady.wakeAll();
      this.#host.detach(this, pipe);
    }
  }
}
