/**
 * Green `fetch`: the global's signature, as a green wait. Kill and Timeout
 * interrupt it and abort the request itself, not just the wait (merged with
 * `init.signal` and a `Request`'s signal); the request is listed by the hub
 * while pending (`fetch(GET url)`), and so are reads of the response body
 * (`text()`, `json()`, `arrayBuffer()`, `bytes()`, `blob()`, `formData()` and
 * reads from `body`), which kill and Timeout interrupt too, aborting the
 * request. (A body consumed some other way, e.g. through `clone()`, is not
 * green.) The response is the runtime's own `Response` (its
 * prototype is extended, so `instanceof Response` holds).
 *
 * Green fetch calls the runtime's fetch through the patcher's table of
 * originals, so it works the same after `monkeyPatch()` made it the global.
 *
 * @example A Timeout aborts a slow request
 * ```ts
 * import { sleep, Timeout } from "@evy/evy";
 * import { fetch } from "@evy/evy/green/fetch";
 * import { serve } from "@evy/evy/web";
 * import assert from "node:assert/strict";
 *
 * await using server = serve({ port: 0, hostname: "127.0.0.1", log: false }, async (req) => {
 *   if (new URL(req.url).pathname === "/slow") await sleep(200);
 *   return new Response("hello");
 * });
 * const url = `http://127.0.0.1:${server.addr.port}`;
 * assert.equal(await (await fetch(url)).text(), "hello");
 * {
 *   using t = new Timeout(20);
 *   await assert.rejects(fetch(`${url}/slow`), (e) => e === t);
 * }
 * ```
 *
 * @module
 */
import { greenAwait } from "./_green_io.ts";
import { realGlobal } from "./_originals.ts";

type BodyMethod = "text" | "json" | "arrayBuffer" | "bytes" | "blob" | "formData";
const BODY_METHODS: BodyMethod[] = ["text", "json", "arrayBuffer", "bytes", "blob", "formData"];
const LABEL = Symbol("evy.fetch.label");
const GREEN_BODY = Symbol("evy.fetch.body");
const ABORT = Symbol("evy.fetch.abort");

interface Labelled extends Response {
  [LABEL]: string;
  [ABORT]: AbortController;
  [GREEN_BODY]?: ReadableStream<Uint8Array> | null;
}

function cancelled(): DOMException {
  return new DOMException("green fetch cancelled", "AbortError");
}

let greenProto: object | undefined;

/** The prototype green responses get: Response's, with green body reads. */
function responseProto(): object {
  if (greenProto !== undefined) return greenProto;
  const base = Response.prototype;
  const proto = Object.create(base) as Record<string | symbol, unknown>;
  for (const name of BODY_METHODS) {
    const method = (base as unknown as Record<string, (() => Promise<unknown>) | undefined>)[name];
    if (typeof method !== "function") continue;
    proto[name] = function (this: Labelled): Promise<unknown> {
      const own = this[ABORT];
      return greenAwait(method.call(this), `fetch body ${name}(${this[LABEL]})`, () => own.abort(cancelled()));
    };
  }
  const bodyGetter = Object.getOwnPropertyDescriptor(base, "body")!.get!;
  Object.defineProperty(proto, "body", {
    configurable: true,
    get(this: Labelled): ReadableStream<Uint8Array> | null {
      if (this[GREEN_BODY] !== undefined) return this[GREEN_BODY];
      const raw = bodyGetter.call(this) as ReadableStream<Uint8Array> | null;
      const label = `fetch body read(${this[LABEL]})`;
      return (this[GREEN_BODY] = raw === null ? null : greenStream(raw, label, this[ABORT]));
    },
  });
  return (greenProto = proto);
}

/** A stream whose reads are green waits; an interrupted read cancels the body. */
function greenStream(
  raw: ReadableStream<Uint8Array>,
  description: string,
  own: AbortController,
): ReadableStream<Uint8Array> {
  const reader = raw.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await greenAwait(reader.read(), description, () => own.abort(cancelled()));
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (error) {
        reader.cancel(error).catch(() => {});
        throw error;
      }
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  }, { highWaterMark: 0 });
}

function describe(input: RequestInfo | URL, init: RequestInit | undefined): string {
  const method = init?.method ?? (input instanceof Request ? input.method : "GET");
  const url = input instanceof Request ? input.url : String(input);
  return `${method.toUpperCase()} ${url}`;
}

/**
 * Fetches `input` like the global `fetch`, as a green wait that kill and
 * Timeout interrupt (aborting the request); see the module doc.
 *
 * @param input A URL, string or `Request`.
 * @param init Request options; `init.signal` is honoured alongside the thread's.
 * @returns The response; its body reads are green waits too.
 * @throws {TypeError} (rejection) As the global does: network errors, bad URLs.
 *
 * @example
 * ```ts
 * import { fetch } from "@evy/evy/green/fetch";
 * import { serve } from "@evy/evy/web";
 * import assert from "node:assert/strict";
 *
 * await using server = serve({ port: 0, hostname: "127.0.0.1", log: false }, () => Response.json({ ok: true }));
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
 * assert.ok(res instanceof Response);
 * assert.deepEqual(await res.json(), { ok: true });
 * ```
 */
export function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const label = describe(input, init);
  // Kill and Timeout reach the request through its green waits (this one and
  // the body reads), whose cancellation aborts `own`; only the caller's own
  // signals need merging, so the common case costs one AbortController.
  const own = new AbortController();
  const extra = input instanceof Request && input.signal !== init?.signal ? input.signal : undefined;
  const signals = [own.signal];
  if (init?.signal) signals.push(init.signal);
  if (extra !== undefined) signals.push(extra);
  const signal = signals.length === 1 ? own.signal : AbortSignal.any(signals);
  const runtimeFetch = realGlobal<typeof globalThis.fetch>("fetch");
  const pending = runtimeFetch(input, init === undefined ? { signal } : { ...init, signal }).then((res) => {
    Object.setPrototypeOf(res, responseProto());
    (res as Labelled)[LABEL] = label;
    (res as Labelled)[ABORT] = own;
    return res;
  });
  return greenAwait(pending, `fetch(${label})`, () => own.abort(cancelled()));
}
