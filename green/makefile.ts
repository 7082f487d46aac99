/**
 * {@linkcode SocketFile}: the buffered file of a green socket (Eventlet's
 * `sock.makefile('rw')`), with `readline`, `read`, `readExactly`, buffered
 * `write` + `flush`, and line iteration. It keeps no read buffer of its own:
 * bytes it reads past a line end go back to the socket, so `recv` after
 * `readline` sees them, and so do the bytes of a `readline` or `read`
 * interrupted half-way (kill, Timeout, socket timeout).
 *
 * @module
 */
import { checkCount } from "../core/internal.ts";
import { toBytes } from "./_net_internal.ts";
import { concat, readBytes, readLine, stripLine } from "./_chunk_reads.ts";
import { IncompleteReadError } from "./net_errors.ts";
import type { GreenSocket } from "./socket.ts";

const FLUSH_AT = 8192;

/** Options for {@linkcode SocketFile.readline}. */
export interface ReadlineOptions {
  /** Return at most this many bytes, even without a newline (Python's `readline(size)`). @default Infinity */
  maxLength?: number;
}

/**
 * A buffered file over a {@linkcode GreenSocket}, made by `sock.makefile()`.
 * Reads return bytes (`Uint8Array`, empty at end of stream); writes are
 * buffered until `flush()` or 8 KiB; iteration yields lines with their `\n`.
 *
 * @example Line echo, the seeds' echo server handler
 * ```ts
 * import { connect, listen } from "@evy/evy/green/net";
 * import { spawn } from "@evy/evy";
 * import assert from "node:assert/strict";
 *
 * using server = listen({ hostname: "127.0.0.1", port: 0 });
 * const handler = spawn(async () => {
 *   await using sock = await server.accept();
 *   const file = sock.makefile();
 *   for await (const line of file) {
 *     await file.write(line);
 *     await file.flush();
 *   }
 * });
 * await using client = await connect(server.addr);
 * const file = client.makefile();
 * await file.write("one\ntwo\n");
 * await file.flush();
 * const decode = (b: Uint8Array) => new TextDecoder().decode(b);
 * assert.equal(decode(await file.readline()), "one\n");
 * assert.equal(decode(await file.readline()), "two\n");
 * await client.shutdown("write");
 * await handler.wait();
 * ```
 */
export class SocketFile implements AsyncIterable<Uint8Array> {
  #sock: GreenSocket;
  #out: Uint8Array[] = [];
  #outBytes = 0;

  /** Makes a file over `sock`; usually called as `sock.makefile()`. */
  constructor(sock: GreenSocket) {
    this.#sock = sock;
  }

  /** The socket underneath. */
  get socket(): GreenSocket {
    return this.#sock;
  }

  /**
   * Reads one line, its `\n` included; at end of stream, what is left (empty
   * when nothing is). With `maxLength`, returns at most that many bytes.
   *
   * @throws {RangeError} When `maxLength` is not an integer > 0.
   */
  async readline(options?: ReadlineOptions): Promise<Uint8Array> {
    const max = options?.maxLength === undefined ? Infinity : checkCount("readline", "maxLength", options.maxLength, 1);
    return await readLine(this.#sock, max);
  }

  /**
   * Reads `n` bytes, fewer only at end of stream; without `n`, reads to the
   * end of the stream.
   *
   * @throws {RangeError} When `n` is not an integer > 0.
   */
  async read(n?: number): Promise<Uint8Array> {
    return await readBytes(this.#sock, n === undefined ? Infinity : checkCount("SocketFile.read", "n", n, 1));
  }

  /**
   * Reads exactly `n` bytes.
   *
   * @throws {IncompleteReadError} When the stream ends first (`partial` holds what came).
   * @throws {RangeError} When `n` is not an integer > 0.
   */
  async readExactly(n: number): Promise<Uint8Array> {
    const data = await this.read(checkCount("SocketFile.readExactly", "n", n, 1));
    if (data.length < n) throw new IncompleteReadError(data, n);
    return data;
  }

  /**
   * Buffers `data` (strings as UTF-8); sends the buffer once it holds 8 KiB.
   * Call `flush()` to send the rest.
   */
  async write(data: Uint8Array | string): Promise<void> {
    const bytes = toBytes(data, "SocketFile.write");
    if (bytes.length === 0) return;
    this.#out.push(bytes);
    this.#outBytes += bytes.length;
    if (this.#outBytes >= FLUSH_AT) await this.flush();
  }

  /** Sends everything buffered by `write`. */
  async flush(): Promise<void> {
    if (this.#outBytes === 0) return;
    const data = concat(this.#out, this.#outBytes);
    this.#out = [];
    this.#outBytes = 0;
    await this.#sock.sendall(data);
  }

  /** Yields lines (with their `\n`) until end of stream. */
  async *[Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    for (let line = await this.readline(); line.length > 0; line = await this.readline()) yield line;
  }

  /** Yields lines decoded as UTF-8, without their line ending (`\n` or `\r\n`), until end of stream. */
  async *lines(): AsyncIterable<string> {
    const decoder = new TextDecoder();
    for await (const line of this) yield stripLine(line, decoder);
  }
}
