/**
 * {@linkcode PipeWriter}: a child's stdin as a green writer.
 *
 * It keeps the green socket's writing rules: at most one raw write
 * outstanding, and a write interrupted by kill or a Timeout may still finish,
 * so the next write waits for it and the child reads the bytes in the order of
 * the calls. A child that closed its end makes writes fail with
 * {@linkcode BrokenPipeError}, never a crash.
 *
 * @module
 */
import type { RawPipeOut } from "./_process_backend.ts";
import { toBytes } from "./_net_internal.ts";
import { SocketWriter } from "./_socket_writer.ts";
import { closePipes, guarded, wrapPipe } from "./_pipe_internal.ts";
import { ConcurrentAccessError } from "./net_errors.ts";
import { BrokenPipeError, PipeClosedError } from "./process_errors.ts";

function isBrokenPipe(error: unknown): boolean {
  const e = error as { code?: unknown; name?: unknown; message?: unknown } | null;
  return e?.code === "EPIPE" || e?.name === "BrokenPipe" || /broken pipe/i.test(String(e?.message ?? ""));
}

/**
 * The stdin of a {@linkcode ChildProcess} (`child.stdin`). Each write sends
 * all of its bytes (strings as UTF-8) and is a green wait: back-pressure from
 * a child that reads slowly, and interrupting it (kill, Timeout) ends the
 * child. `close()` lets the child read end of stream.
 *
 * @example Feed a filter
 * ```ts
 * import { Command } from "@evy/evy/green/process";
 * import assert from "node:assert/strict";
 *
 * await using child = new Command("tr", { args: ["a-z", "A-Z"], stdin: "piped", stdout: "piped" }).spawn();
 * await child.stdin.write("shout\n");
 * await child.stdin.close();
 * assert.equal(await child.stdout.text(), "SHOUT\n");
 * ```
 */
export class PipeWriter {
  #raw: RawPipeOut;
  #writer: SocketWriter;
  #name: string;
  #onInterrupt: () => void;
  #closed = false;
  #writable: WritableStream<Uint8Array> | undefined;

  private constructor(raw: RawPipeOut, name: string, onInterrupt: () => void) {
    this.#raw = raw;
    this.#name = name;
    this.#writer = new SocketWriter(raw, name);
    this.#onInterrupt = onInterrupt;
  }

  /** @internal Wraps a backend pipe; `onInterrupt` ends the child. */
  static [wrapPipe](raw: RawPipeOut, name: string, onInterrupt: () => void): PipeWriter {
    return new PipeWriter(raw, name, onInterrupt);
  }

  /** `true` once `close()` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Writes all of `data` (strings as UTF-8), waiting as long as the child
   * takes to read it.
   *
   * @throws {BrokenPipeError} When the child closed its end of the pipe.
   * @throws {PipeClosedError} When `close()` was called.
   * @throws {ConcurrentAccessError} When another thread is blocked writing.
   * @throws {TypeError} When `data` is neither a `Uint8Array` nor a string.
   */
  async write(data: Uint8Array | string): Promise<void> {
    const bytes = toBytes(data, "PipeWriter.write");
    if (this.#closed) throw new PipeClosedError(`Cannot write to ${this.#name}: the pipe is closed`);
    if (this.#writer.busy) throw new ConcurrentAccessError(`Cannot write to ${this.#name}: another thread is writing`);
    if (this.#writer.error !== undefined) throw this.#broken(this.#writer.error);
    if (bytes.length === 0) return;
    try {
      await guarded(() => this.#writer.write(bytes, true, "write", null), this.#onInterrupt);
    } catch (error) {
      throw this.#broken(error);
    }
  }

  #broken(error: unknown): unknown {
    if (!isBrokenPipe(error)) return error;
    return new BrokenPipeError(`Cannot write to ${this.#name}: the child closed its end (broken pipe)`, {
      cause: error,
    });
  }

  /**
   * Closes stdin once the writes issued so far are done; the child then
   * reads end of stream. Closing twice is a no-op.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await guarded(() => this.#writer.drain("write", null), this.#onInterrupt);
    } catch (error) {
      if (!isBrokenPipe(error)) throw error;
    } finally {
      await this.#raw.close();
    }
  }

  /** @internal Closes at once, without waiting for pending writes. */
  [closePipes](): void {
    this.#closed = true;
    void this.#raw.close();
  }

  /**
   * Stdin as a `WritableStream`, for APIs that take one (`pipeTo`). Made on
   * first use; its writes are the green writes above.
   */
  get writable(): WritableStream<Uint8Array> {
    return this.#writable ??= new WritableStream<Uint8Array>({
      write: (chunk) => this.write(chunk),
      close: () => this.close(),
      abort: () => this[closePipes](),
    });
  }

  /** Deno's stream shape: a writer of {@linkcode PipeWriter.writable}. */
  getWriter(): WritableStreamDefaultWriter<Uint8Array> {
    return this.writable.getWriter();
  }
}
