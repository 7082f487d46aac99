/**
 * {@linkcode PipeReader}: a child's stdout or stderr as a green reader, with
 * the methods of a socket's `makefile()` and the read-to-the-end helpers of
 * Deno's `SubprocessReadableStream`.
 *
 * It keeps the green socket's reading rules: at most one raw read per pipe,
 * and a read interrupted by kill or a Timeout leaves that raw read running,
 * its bytes kept for the next read, so nothing read from the child is lost.
 *
 * @module
 */
import type { RawPipeIn } from "./_process_backend.ts";
import { checkCount } from "../core/internal.ts";
import { unread } from "./_net_internal.ts";
import { SocketReader } from "./_socket_reader.ts";
import { type ChunkSource, concat, readBytes, readLine, stripLine } from "./_chunk_reads.ts";
import { collectAll, guarded, wrapPipe } from "./_pipe_internal.ts";
import type { ReadlineOptions } from "./makefile.ts";
import { ConcurrentAccessError, IncompleteReadError } from "./net_errors.ts";
import { PipeClosedError } from "./process_errors.ts";

const CHUNK = 65536;
const FIRST_COLLECT = 1024;

/**
 * One output pipe of a {@linkcode ChildProcess} (`child.stdout`,
 * `child.stderr`). Reads return bytes (`Uint8Array`, empty at end of stream);
 * every read is a green wait, and interrupting it (kill, Timeout) ends the
 * child — the bytes already read stay readable. A second thread reading
 * while one is blocked gets `ConcurrentAccessError` at once.
 *
 * @example Lines as they come
 * ```ts
 * import { Command } from "@evy/evy/green/process";
 * import assert from "node:assert/strict";
 *
 * await using child = new Command("printf", { args: ["a\\nb\\n"], stdout: "piped" }).spawn();
 * const lines: string[] = [];
 * for await (const line of child.stdout.lines()) lines.push(line);
 * assert.deepEqual(lines, ["a", "b"]);
 * assert.equal((await child.status).code, 0);
 * ```
 */
export class PipeReader implements AsyncIterable<Uint8Array> {
  #raw: RawPipeIn;
  #reader: SocketReader;
  #name: string;
  #onInterrupt: () => void;
  #closed = false;
  #used = false;
  #readable: ReadableStream<Uint8Array> | undefined;

  private constructor(raw: RawPipeIn, name: string, onInterrupt: () => void) {
    this.#raw = raw;
    this.#name = name;
    this.#reader = new SocketReader(raw, name);
    this.#onInterrupt = onInterrupt;
  }

  /** @internal Wraps a backend pipe; `onInterrupt` ends the child. */
  static [wrapPipe](raw: RawPipeIn, name: string, onInterrupt: () => void): PipeReader {
    return new PipeReader(raw, name, onInterrupt);
  }

  /** `true` once `close()` (or `cancel()`) was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Receives up to `maxBytes` bytes: what is buffered, else the next chunk.
   * Resolves with an empty array at end of stream.
   *
   * @throws {PipeClosedError} When the pipe is or gets closed.
   * @throws {ConcurrentAccessError} When another thread is blocked reading.
   * @throws {RangeError} When `maxBytes` is not an integer > 0.
   */
  recv(maxBytes: number = CHUNK): Promise<Uint8Array> {
    checkCount("PipeReader.recv", "maxBytes", maxBytes, 1);
    return guarded(() => this.#recv(maxBytes), this.#onInterrupt);
  }

  #recv(maxBytes: number): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#reader.busy) {
      return Promise.reject(new ConcurrentAccessError(`Cannot read ${this.#name}: another thread is reading it`));
    }
    this.#used = true;
    return this.#reader.recv(maxBytes, null);
  }

  // What the line and length reads read from: one guard around a whole readline, not one per chunk.
  #source: ChunkSource = {
    recv: (maxBytes) => this.#recv(maxBytes),
    [unread]: (bytes) => this.#reader.unread(bytes),
  };

  /**
   * @internal Everything to the end of the stream. A pipe never read is read
   * by raw reads alone, no green wait per chunk: `run` and `Command.output`
   * await it inside one green wait of their own, and close the pipe after
   * (an interrupted collection's bytes are dropped with the pipe).
   */
  [collectAll](): Promise<Uint8Array> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#used) return this.bytes();
    this.#used = true;
    return new Promise((resolve, reject) => {
      const parts: Uint8Array[] = [];
      let total = 0;
      let size = FIRST_COLLECT; // most children print little: start small, double up to 64 KiB
      const sink = {
        readDone: (chunk: Uint8Array | null, error?: unknown): void => {
          if (this.#closed) return reject(this.#closedError());
          if (error !== undefined) return reject(error);
          if (chunk === null) return resolve(concat(parts, total));
          parts.push(chunk);
          total += chunk.length;
          if (chunk.length >= size) size = Math.min(size * 2, CHUNK);
          this.#raw.read(size, sink);
        },
      };
      this.#raw.read(size, sink);
    });
  }

  /**
   * Reads one line, its `\n` included; at end of stream, what is left (empty
   * when nothing is). With `maxLength`, returns at most that many bytes.
   *
   * @throws {RangeError} When `maxLength` is not an integer > 0.
   */
  readline(options?: ReadlineOptions): Promise<Uint8Array> {
    const max = options?.maxLength === undefined
      ? Infinity
      : checkCount("PipeReader.readline", "maxLength", options.maxLength, 1);
    return guarded(() => readLine(this.#source, max), this.#onInterrupt);
  }

  /**
   * Reads `n` bytes, fewer only at end of stream; without `n`, reads to the
   * end of the stream.
   *
   * @throws {RangeError} When `n` is not an integer > 0.
   */
  read(n?: number): Promise<Uint8Array> {
    const want = n === undefined ? Infinity : checkCount("PipeReader.read", "n", n, 1);
    return guarded(() => readBytes(this.#source, want), this.#onInterrupt);
  }

  /**
   * Reads exactly `n` bytes.
   *
   * @throws {IncompleteReadError} When the stream ends first (`partial` holds what came).
   * @throws {RangeError} When `n` is not an integer > 0.
   */
  async readExactly(n: number): Promise<Uint8Array> {
    const data = await this.read(checkCount("PipeReader.readExactly", "n", n, 1));
    if (data.length < n) throw new IncompleteReadError(data, n);
    return data;
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

  /** Reads to the end of the stream (Deno's `bytes()`). */
  bytes(): Promise<Uint8Array> {
    return this.read();
  }

  /** Reads to the end of the stream, decoded as UTF-8 (Deno's `text()`). */
  async text(): Promise<string> {
    return new TextDecoder().decode(await this.bytes());
  }

  /** Reads to the end of the stream into a fresh `ArrayBuffer` (Deno's `arrayBuffer()`). */
  async arrayBuffer(): Promise<ArrayBuffer> {
    const data = await this.bytes();
    return data.slice().buffer as ArrayBuffer;
  }

  /** Reads to the end of the stream and parses it as JSON (Deno's `json()`). */
  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  /**
   * The pipe as a `ReadableStream` of chunks, for APIs that take one
   * (`new Response(...)`, `pipeThrough`). Made on first use; its reads are
   * the green reads above.
   */
  get readable(): ReadableStream<Uint8Array> {
    return this.#readable ??= new ReadableStream<Uint8Array>({
      pull: async (controller) => {
        const chunk = await this.recv();
        if (chunk.length === 0) controller.close();
        else controller.enqueue(chunk);
      },
      cancel: () => this.close(),
    });
  }

  /** Deno's stream shape: a reader of {@linkcode PipeReader.readable}. */
  getReader(): ReadableStreamDefaultReader<Uint8Array> {
    return this.readable.getReader();
  }

  /** Deno's stream shape: pipes {@linkcode PipeReader.readable} to `destination`. */
  pipeTo(destination: WritableStream<Uint8Array>, options?: StreamPipeOptions): Promise<void> {
    return this.readable.pipeTo(destination, options);
  }

  /** Deno's stream shape: pipes {@linkcode PipeReader.readable} through `transform`. */
  pipeThrough<T>(
    transform: { writable: WritableStream<Uint8Array>; readable: ReadableStream<T> },
    options?: StreamPipeOptions,
  ): ReadableStream<T> {
    return this.readable.pipeThrough(transform, options);
  }

  /** Deno's stream shape: same as {@linkcode PipeReader.close}. */
  cancel(_reason?: unknown): Promise<void> {
    this.close();
    return Promise.resolve();
  }

  /**
   * Closes the pipe at once, dropping what is unread. A thread blocked on it
   * wakes with {@linkcode PipeClosedError}; closing twice is a no-op. A child
   * still writing to it gets `SIGPIPE`.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#reader.close(() => this.#closedError());
    this.#raw.close();
  }

  #closedError(): PipeClosedError {
    return new PipeClosedError(`Cannot read ${this.#name}: the pipe is closed`);
  }
}
