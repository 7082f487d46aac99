/**
 * {@linkcode Connector}: one `connect()`ed endpoint of a ZeroMQ socket — a
 * thread that connects, runs the session over the endpoint's pipe, and
 * reconnects every `reconnectInterval` ms when it ends, until stopped. After
 * the socket's `close()` it goes on only while its pipe still has messages to
 * deliver and `linger` allows. Internal.
 *
 * @module
 */
import type { HubTimer } from "../../hubs/hub.ts";
import { getHub } from "../../hubs/mod.ts";
import { connect } from "../net.ts";
import { Connection, type ConnectionHost } from "./_connection.ts";
import type { Endpoint } from "./_endpoint.ts";
import type { Pipe } from "./_pipe.ts";
import { WaitSet } from "./_wait_set.ts";

/** What a connector needs of its socket's machinery. */
export interface ConnectorHost extends ConnectionHost {
  /** Whether the socket was closed. */
  readonly closed: boolean;
  /** The pause between attempts (ms). */
  readonly opts: { readonly reconnectInterval: number };
  /** A session this connector opened. */
  track(conn: Connection): void;
  /** Ends a pipe for good. */
  endPipe(pipe: Pipe): void;
}

/** One connected endpoint. */
export class Connector {
  /** The endpoint's pipe, which outlives its sessions. */
  readonly pipe: Pipe;
  #host: ConnectorHost;
  #name: string;
  #endpoint: Endpoint;
  #conn: Connection | undefined;
  #stopped = false;
  #abort = new AbortController();
  #delay = new WaitSet();
  #lingerTimer: HubTimer | undefined;

  constructor(host: ConnectorHost, name: string, endpoint: Endpoint, pipe: Pipe) {
    this.#host = host;
    this.#name = name;
    this.#endpoint = endpoint;
    this.pipe = pipe;
  }

  /** A session is up (or being set up). */
  get connected(): boolean {
    return this.#conn !== undefined;
  }

  /** The connect loop (the connector's thread). */
  async run(): Promise<void> {
    const ep = this.#endpoint;
    const addr = ep.transport === "tcp"
      ? { hostname: ep.hostname, port: ep.port }
      : { transport: "unix" as const, path: ep.path };
    const host = this.#host;
    while (!this.#stopped) {
      const sock = await connect(addr, { signal: this.#abort.signal }).catch(() => undefined);
      if (sock !== undefined) {
        if (this.#stopped) {
          sock.close();
          break;
        }
        const conn = this.#conn = new Connection(sock, host, this.#name);
        host.track(conn);
        await conn.run(this.pipe);
        this.#conn = undefined;
      }
      if (this.#stopped || (host.closed && !this.pipe.hasOut)) break;
      await this.#delay.wait(`zmq reconnect(${this.#name})`, host.opts.reconnectInterval, () => undefined)
        .catch(() => {});
    }
    this.#lingerTimer?.cancel();
    if (host.closed) host.endPipe(this.pipe);
  }

  /** Stops: a live session flushes for up to `lingerMs` (0: ends at once, and so does the pipe). */
  stop(lingerMs: number): void {
    this.#lingerTimer?.cancel();
    this.#stopped = true;
    this.#abort.abort();
    this.#delay.wakeAll();
    if (this.#conn !== undefined) this.#conn.close(lingerMs);
    if (this.#conn === undefined || lingerMs === 0) this.#host.endPipe(this.pipe);
  }

  /** Keeps trying for `lingerMs` more, then stops. */
  stopAfter(lingerMs: number): void {
    this.#lingerTimer = getHub().scheduleCallGlobal(lingerMs, () => this.stop(0), `zmq linger(${this.#name})`);
  }
}
