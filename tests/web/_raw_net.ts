/**
 * A raw HTTP/1.1 client on one `node:net` connection, for the runtime-neutral
 * server tests (they run under Deno and, built, under Node): half-sent
 * requests, early disconnects, response heads read byte for byte.
 */
import * as net from "node:net";

/** One raw connection to a test server on loopback. */
export class NetClient implements Disposable {
  readonly #socket: net.Socket;
  #text = "";
  #closed = false;
  #wake: (() => void) | undefined;
  /** Settles once the server (or we) closed the connection. */
  readonly closed: Promise<void>;

  private constructor(socket: net.Socket) {
    this.#socket = socket;
    socket.setEncoding("latin1");
    socket.on("data", (chunk: string) => {
      this.#text += chunk;
      this.#wake?.();
    });
    socket.on("error", () => {});
    this.closed = new Promise((resolve) =>
      socket.once("close", () => {
        this.#closed = true;
        this.#wake?.();
        resolve();
      })
    );
  }

  /** Connects to `127.0.0.1:port`. */
  static connect(port: number): Promise<NetClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: "127.0.0.1" }, () => {
        socket.off("error", reject);
        resolve(new NetClient(socket));
      });
      socket.once("error", reject);
    });
  }

  /** Writes `text` (latin1). */
  send(text: string): Promise<void> {
    return new Promise((resolve, reject) => this.#socket.write(text, "latin1", (e) => e ? reject(e) : resolve()));
  }

  /** Resolves with everything received once `pattern` matches it; rejects if the connection closes first. */
  async readUntil(pattern: RegExp): Promise<string> {
    for (;;) {
      if (pattern.test(this.#text)) return this.#text;
      if (this.#closed) throw new Error(`connection closed before ${pattern}; got ${JSON.stringify(this.#text)}`);
      await new Promise<void>((resolve) => this.#wake = resolve);
    }
  }

  /** Everything received until the connection closed. */
  async readToEnd(): Promise<string> {
    await this.closed;
    return this.#text;
  }

  /** Closes our side at once (a client going away). */
  close(): void {
    this.#socket.destroy();
  }

  [Symbol.dispose](): void {
    this.close();
  }
}
