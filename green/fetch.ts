/**
 * Green `fetch`: the global's signature, as a green wait. The running
 * thread's kill signal and its active Timeouts' signals are merged into
 * `init.signal`, so kill and Timeout abort the request itself, not just the
 * wait; the request is listed by the hub while pending (`fetch(GET url)`), and
 * so are reads of the response body (`text()`, `json()`, `arrayBuffer()`,
 * `bytes()`, `blob()`, `formData()` and reads from `body`), which Timeout and
 * kill interrupt too. The response is the runtime's own `Response` (its
 * prototype is extended, so `instanceof Response` holds).
 *
 * Green fetch calls the runtime's fetch through the patcher's table of
 * originals, so it works the same after `monkeyPatch()` made it the global.
 *
 * @example A Timeout aborts a slow request
 * ```ts
 * import { Timeout } from "@evy/evy";
 * import { fetch } from "@evy/evy/green/fetch";
 * import assert from "node:assert/strict";
 *
 * const ac = new AbortController();
 * const server = Deno.serve({ port: 0, onListen() {}, signal: ac.signal }, async (req) => {
 *   if (new URL(req.url).pathname === "/slow") await new Promise((r) => setTimeout(r, 200));
 *   return new Response("hello");
 * });
 * const url = `http://127.0.0.1:${server.addr.port}`;
 * assert.equal(await (await fetch(url)).text(), "hello");
 * {
 *   using t = new Timeout(20);
 *   await assert.rejects(fetch(`${url}/slow`), (e) => e === t);
 * }
 * await new Promise((r) => setTimeout(r, 250));
 * ac.abort();
 * await server.finished;
 * ```
 *
 * @module
 */
import { greenAwait, greenSignal } from "./_green_io.ts";
import { realGlobal } from "./_originals.ts";

type BodyMethod = "text" | "json" | "arrayBuffer" | "bytes" | "blob" | "formData";
const BODY_METHODS: BodyMethod[] = ["text", "json", "arrayBuffer", "bytes", "blob", "formData"];
const LABEL = Symbol("evy.fetch.label");
const GREEN_BODY = Symbol("evy.fetch.body");

interface Labelled extends Response {
  [LABEL]: string;
  [GREEN_BODY]?: ReadableStream<Uint8Array> | null;
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
      return greenAwait(method.call(this), `fetch body ${name}(${this[LABEL]})`);
    };
  }
  const bodyGetter = Object.getOwnPropertyDescriptor(base, "body")!.get!;
  Object.defineProperty(proto, "body", {
    configurable: true,
    get(this: Labelled): ReadableStream<Uint8Array> | null {
      if (this[GREEN_BODY] !== undefined) return this[GREEN_BODY];
      const raw = bodyGetter.call(this) as ReadableStream<Uint8Array> | null;
      return (this[GREEN_BODY] = raw === null ? null : greenStream(raw, `fetch body read(${this[LABEL]})`));
    },
  });
  return (greenProto = proto);
}

/** A stream whose reads are green waits; an interrupted read cancels the body. */
function greenStream(raw: ReadableStream<Uint8Array>, description: string): ReadableStream<Uint8Array> {
  const reader = raw.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await greenAwait(reader.read(), description);
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
 * import assert from "node:assert/strict";
 *
 * await using server = Deno.serve({ port: 0, onListen() {} }, () => Response.json({ ok: true }));
 * const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
 * assert.ok(res instanceof Response);
 * assert.deepEqual(await res.json(), { ok: true });
 * ```
 */
export function fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const label = describe(input, init);
  const extra = input instanceof Request && input.signal !== init?.signal ? input.signal : undefined;
  const [signal, own] = greenSignal([init?.signal, extra]);
  const runtimeFetch = realGlobal<typeof globalThis.fetch>("fetch");
  const pending = runtimeFetch(input, { ...init, signal }).then((res) => {
    Object.setPrototypeOf(res, responseProto());
    (res as Labelled)[LABEL] = label;
    return res;
  });
  return greenAwait(
    pending,
    `fetch(${label})`,
    () => own.abort(new DOMException("green fetch cancelled", "AbortError")),
  );
}
