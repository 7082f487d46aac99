/** A test client for backdoor sessions: send a line, read what comes back up to the next prompt. */
import { connect, type GreenSocket } from "@evy/evy/green/net";
import type { Addr } from "@evy/evy/green/net";

const decoder = new TextDecoder();

/** One backdoor client over evy's green sockets. */
export class BackdoorClient {
  #sock: GreenSocket;
  #buffer = "";

  private constructor(sock: GreenSocket) {
    this.#sock = sock;
  }

  /** Connects to `addr`. */
  static async open(addr: Addr): Promise<BackdoorClient> {
    return new BackdoorClient(await connect(addr));
  }

  /** The socket, for raw writes. */
  get socket(): GreenSocket {
    return this.#sock;
  }

  /** Reads until the output ends with `marker` (a prompt by default); returns it without the marker, `\r\n` as `\n`. */
  async until(marker: RegExp = /(^|\n)(> |\.\.\. )$/): Promise<string> {
    for (;;) {
      const match = marker.exec(this.#buffer);
      if (match !== null) {
        const text = this.#buffer.slice(0, match.index + (match[1]?.length ?? 0));
        this.#buffer = "";
        return text;
      }
      const chunk = await this.#sock.recv();
      if (chunk.length === 0) throw new Error(`connection closed; got ${JSON.stringify(this.#buffer)}`);
      this.#buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, "\n");
    }
  }

  /** Reads everything until the server closes the connection (a reset counts as closed). */
  async rest(): Promise<string> {
    for (;;) {
      let chunk: Uint8Array;
      try {
        chunk = await this.#sock.recv();
      } catch (error) {
        if ((error as { code?: string }).code === "ECONNRESET") break;
        throw error;
      }
      if (chunk.length === 0) break;
      this.#buffer += decoder.decode(chunk, { stream: true }).replace(/\r\n/g, "\n");
    }
    const text = this.#buffer;
    this.#buffer = "";
    return text;
  }

  /** Sends `line` and a newline, and returns the output up to the next prompt (without the trailing newline). */
  async eval(line: string): Promise<string> {
    await this.#sock.sendall(`${line}\n`);
    return (await this.until()).replace(/\n$/, "");
  }

  /** Closes the connection. */
  close(): void {
    this.#sock.close();
  }
}
