/**
 * Test helpers for the web server: a raw HTTP/1.1 client on one TCP
 * connection (for keep-alive, malformed requests and disconnects) and a log
 * collector.
 */
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** A raw connection to a test server. */
export class RawClient implements Disposable {
  #conn: Deno.TcpConn;
  #buffer = "";
  private constructor(conn: Deno.TcpConn) {
    this.#conn = conn;
  }
  static async connect(port: number): Promise<RawClient> {
    return new RawClient(await Deno.connect({ hostname: "127.0.0.1", port }));
  }
  async send(text: string): Promise<void> {
    await this.#conn.write(encoder.encode(text));
  }
  /** Reads until `pattern` matches the text received so far; returns and consumes up to the match end. */
  async readUntil(pattern: RegExp): Promise<string> {
    const buf = new Uint8Array(65536);
    for (;;) {
      const match = pattern.exec(this.#buffer);
      if (match) {
        const end = match.index + match[0].length;
        const text = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end);
        return text;
      }
      const n = await this.#conn.read(buf);
      if (n === null) throw new Error(`connection closed before ${pattern}; got ${JSON.stringify(this.#buffer)}`);
      this.#buffer += decoder.decode(buf.subarray(0, n));
    }
  }
  /** Reads one response, with a Content-Length or a chunked body. */
  async readResponse(): Promise<{ status: number; head: string; body: string }> {
    const head = await this.readUntil(/\r\n\r\n/);
    const status = Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]);
    if (/transfer-encoding: chunked/i.test(head)) {
      let body = "";
      for (;;) {
        const size = parseInt(await this.readUntil(/\r\n/), 16);
        const chunk = await this.readUntil(new RegExp(`^[\\s\\S]{${size}}\r\n`));
        if (size === 0) return { status, head, body };
        body += chunk.slice(0, -2);
      }
    }
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    const body = length > 0 ? await this.readUntil(new RegExp(`^[\\s\\S]{${length}}`)) : "";
    return { status, head, body };
  }
  /** Reads until the server closes the connection; returns the rest. */
  async readToEnd(): Promise<string> {
    const buf = new Uint8Array(65536);
    for (;;) {
      const n = await this.#conn.read(buf).catch(() => null);
      if (n === null) return this.#buffer;
      this.#buffer += decoder.decode(buf.subarray(0, n));
    }
  }
  close(): void {
    try {
      this.#conn.close();
    } catch {
      // already closed
    }
  }
  [Symbol.dispose](): void {
    this.close();
  }
}

/** Collects log lines; `waitFor` resolves once a line matches. */
export function collectLog(): { lines: string[]; log: (line: string) => void; waitFor(p: RegExp): Promise<string> } {
  const lines: string[] = [];
  const waiters: { pattern: RegExp; resolve(line: string): void }[] = [];
  return {
    lines,
    log(line: string): void {
      lines.push(line);
      for (const w of [...waiters]) {
        if (w.pattern.test(line)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(line);
        }
      }
    },
    waitFor(pattern: RegExp): Promise<string> {
      const seen = lines.find((l) => pattern.test(l));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}
