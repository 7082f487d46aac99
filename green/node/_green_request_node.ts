/**
 * What makes a `node:http`/`node:https` client request green: tied to the
 * green thread that made it, listed by the hub while it lasts, and destroyed
 * with a {@linkcode RequestInterrupted} the moment the thread's kill or one of
 * its active Timeouts fires. Shared by `http_node.ts` and `https_node.ts`.
 *
 * A request lasts until its response has been read to the end (or it failed,
 * or was destroyed): a body still streaming when the signal fires is destroyed
 * too, with the same error, so a reader keeps the bytes it already had and
 * sees the interruption next. A request that finished is untied at once, so a
 * later kill never reaches a keep-alive socket that went back to its agent;
 * a destroyed request destroys its socket, which the agent then drops.
 *
 * @module
 */
import type { ClientRequest, IncomingMessage } from "node:http";
import { currentCore, threadSignal } from "../../core/internal.ts";
import type { ListedWait } from "../../hubs/hub.ts";
import { getHub } from "../../hubs/mod.ts";

/** The `code` of a {@linkcode RequestInterrupted}: what survives into every client library's error. */
export const INTERRUPTED_CODE = "ERR_EVY_INTERRUPTED";

const ids = new WeakMap<object, string>();
let lastId = 0;

/**
 * A tag naming `reason` (a Timeout, a kill's error) as a string, carried in a
 * {@linkcode RequestInterrupted}'s `syscall`: some clients (node-fetch) copy a
 * system error's `code` and `syscall` but drop the error itself.
 */
export function reasonTag(reason: unknown): string | undefined {
  if ((typeof reason !== "object" && typeof reason !== "function") || reason === null) return undefined;
  let tag = ids.get(reason);
  if (tag === undefined) ids.set(reason, tag = `evy-interrupt#${++lastId}`);
  return tag;
}

/** The error a green request is destroyed with: its `cause` is the kill's error or the Timeout. */
export class RequestInterrupted extends Error {
  override name = "RequestInterrupted";
  /** Always `"ERR_EVY_INTERRUPTED"`. */
  readonly code: string = INTERRUPTED_CODE;
  /** A tag of the cause (see {@linkcode reasonTag}), where clients that drop the error keep it. */
  readonly syscall: string;

  constructor(description: string, reason: unknown) {
    const why = reason instanceof Error ? `${reason.name}${reason.message ? `: ${reason.message}` : ""}` : "aborted";
    super(`${description} interrupted (${why})`, { cause: reason });
    this.syscall = reasonTag(reason) ?? "";
  }
}

/**
 * A request's entry in the hub's wait list. Described only when read (most
 * requests are never listed nor cut, and this is per request); a class, so
 * that the getter lives on the prototype and every entry has one shape.
 */
class RequestWait implements ListedWait {
  hubPrev: ListedWait | undefined = undefined;
  hubNext: ListedWait | undefined = undefined;
  readonly threadName: string;
  readonly since: number;
  readonly stack: string | undefined;
  #req: ClientRequest;
  #description: string | undefined;

  constructor(req: ClientRequest, since: number, stacks: boolean) {
    this.#req = req;
    this.threadName = currentCore().name;
    this.since = since;
    this.stack = stacks ? new Error("listed here").stack : undefined;
  }

  get description(): string {
    return (this.#description ??= describe(this.#req));
  }
}

/** Whether `error`, or an error in its `cause` chain, is `reason` or a {@linkcode RequestInterrupted} by it. */
export function interruptedBy(error: unknown, reason: object): boolean {
  const tag = ids.get(reason);
  let e = error;
  for (let depth = 0; depth < 32 && e !== undefined && e !== null; depth++) {
    if (e === reason) return true;
    if (typeof e !== "object") return false;
    const fields = e as { code?: unknown; syscall?: unknown; erroredSysCall?: unknown; cause?: unknown };
    if (tag !== undefined && fields.code === INTERRUPTED_CODE && (fields.syscall ?? fields.erroredSysCall) === tag) {
      return true;
    }
    e = fields.cause;
  }
  return false;
}

/** `http.request(GET 127.0.0.1:8080/path)`, from what the request already knows. */
function describe(req: ClientRequest): string {
  const kind = req.protocol === "https:" ? "https" : "http";
  const host = req.getHeader("host") ?? req.host;
  return `${kind}.request(${req.method} ${host}${req.path})`;
}

/**
 * Destroys a response whose body is still streaming so that its readers see
 * `error`. Destroying emits "aborted" at once, which axios and got turn into
 * an error of their own with no `cause` ("stream has been aborted", "The
 * server aborted pending request") — got even destroys the response from its
 * "error" listener. Both ignore "aborted" once they have seen an error, so
 * "aborted" is held back until the error listeners have heard ours. As the
 * runtime does, a response nobody listens to for errors gets none.
 */
function cutResponse(res: IncomingMessage, error: Error): void {
  type Emit = (event: string | symbol, ...args: unknown[]) => boolean;
  const target = res as unknown as { emit: Emit };
  const own = Object.hasOwn(res, "emit") ? target.emit : undefined;
  const emit = target.emit;
  let aborted = false;
  target.emit = function (this: unknown, event, ...args): boolean {
    if (event !== "aborted") return emit.call(this, event, ...args);
    aborted = true;
    return true;
  };
  try {
    if (res.listenerCount("error") > 0) emit.call(res, "error", error);
    res.destroy();
  } finally {
    if (own === undefined) delete (target as { emit?: Emit }).emit;
    else target.emit = own;
    if (aborted) emit.call(res, "aborted");
  }
}

/**
 * Ties `req` to the calling green thread (see the module doc) and returns it;
 * the hub lists it as `http.request(GET 127.0.0.1:8080/path)`.
 */
export function greenRequest<R extends ClientRequest>(req: R): R {
  const hub = getHub();
  const wait = new RequestWait(req, hub.turnTime, hub.waitStacks);
  hub.addWait(wait);
  const signal = threadSignal();
  const onAbort = (): void => {
    const error = new RequestInterrupted(wait.description, signal!.reason);
    const res = (req as { res?: IncomingMessage | null }).res;
    if (res != null && !res.complete) cutResponse(res, error);
    // Deno 2.9's client re-sends a request whose reused keep-alive socket
    // closes before the response — even one its caller destroyed, which it
    // un-destroys; a request that is not on a reused socket is never retried.
    // (tests/green/node/http_test.ts, the keep-alive Agent case, hangs without this.)
    if (req.reusedSocket) req.reusedSocket = false;
    req.destroy(error);
  };
  if (signal?.aborted) queueMicrotask(onAbort);
  else signal?.addEventListener("abort", onAbort, { once: true });
  // A request closes once its response has ended or been destroyed (or it
  // failed): the one event to untie on. No "response" listener (the runtime
  // dumps a response nobody listens for) and no "error" listener (one would
  // silence the runtime's unhandled-error rule for a caller who added none).
  req.once("close", () => {
    hub.removeWait(wait);
    signal?.removeEventListener("abort", onAbort);
  });
  return req;
}

/**
 * A default export for a drop-in module: `realModule`'s properties, read and
 * written through (so `http.globalAgent = agent` reaches the runtime's), with
 * `overrides` in place of the green ones.
 */
export function facade<M extends object>(realModule: M, overrides: Partial<M>): M {
  const out: Record<string, unknown> = {};
  const source = realModule as Record<string, unknown>;
  for (const key of Object.keys(realModule)) {
    if (key in overrides) {
      out[key] = (overrides as Record<string, unknown>)[key];
      continue;
    }
    Object.defineProperty(out, key, {
      enumerable: true,
      get: () => source[key],
      set: (value: unknown) => void (source[key] = value),
    });
  }
  return out as M;
}
