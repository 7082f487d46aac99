/**
 * {@linkcode staticBodyLength}: whether a `Response`'s body is a string, bytes
 * or a blob that the engine sends in one write with a Content-Length, read
 * from the runtime's private fields (Deno's and undici's, so the Node engine
 * also works under Deno's `node:http`). Both server engines use it; no
 * runtime I/O here. Internal.
 *
 * @module
 */

// Deno keeps a string/bytes body out of the stream machinery and sends it
// with a Content-Length in one write; wrapping it in a stream would lose that
// (and Deno keeps a streamed response with an unfinished upload open). There
// is no public way to tell such a body from a stream without turning it into
// one, so read Deno's own fields (2.9.6): a Response made without an init
// keeps its string in "serve fast body" (or "lazy static body"); one made
// with an init keeps `{ body, consumed }` in the inner response's
// `body.streamOrStatic`, a blob's size in `body.length`. When the fields are
// not there, the body is treated as a stream (correct, slower);
// the hardening suite's "sends string and bytes bodies ... not as a stream" test
// (tests/web/_hardening_suite.ts) fails if that starts to happen.
interface BodySymbols {
  fast: symbol | undefined;
  /** `true` once Deno.serve sent the fast body (the lazy string stays in place). */
  fastConsumed: symbol | undefined;
  lazy: symbol | undefined;
  inner: symbol | undefined;
}
let symbols: BodySymbols | undefined;

function findSymbols(): BodySymbols {
  const found = Object.getOwnPropertySymbols(new Response("x"));
  const by = (name: string): symbol | undefined => found.find((s) => s.description === name);
  return {
    fast: by("serve fast body"),
    fastConsumed: by("serve fast consumed"),
    lazy: by("lazy static body"),
    inner: by("response"),
  };
}

function utf8Length(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      n += 2; // a surrogate pair: 4 bytes for 2 code units
      i++;
    } else n += 2;
  }
  return n;
}

function sizeOf(source: unknown, exact: boolean): number | undefined {
  if (typeof source === "string") return exact ? utf8Length(source) : source.length;
  if (source instanceof Uint8Array) return source.byteLength;
  return undefined;
}

function denoStaticLength(res: Response, exact: boolean): number | undefined {
  const syms = symbols ??= findSymbols();
  // deno-lint-ignore no-explicit-any
  const raw = res as any;
  if (syms.fast !== undefined) {
    const size = sizeOf(raw[syms.fast], exact) ?? (syms.lazy !== undefined ? sizeOf(raw[syms.lazy], exact) : undefined);
    if (size !== undefined) return size;
  }
  const body = syms.inner === undefined ? undefined : raw[syms.inner]?.body;
  if (body === null || typeof body !== "object") return undefined;
  const held = body.streamOrStatic;
  if (held !== null && typeof held === "object" && !(held instanceof ReadableStream)) {
    return held.consumed === true ? undefined : sizeOf(held.body, exact);
  }
  return body.source instanceof Blob && typeof body.length === "number" ? body.length : undefined;
}

/**
 * Whether `res`'s body is still unread, as `!res.bodyUsed` says, without
 * asking `bodyUsed` when it can tell: on Deno that getter turns a string
 * body made without an init (`new Response("Hello")`, the common answer)
 * out of its lazy form (about 1% of a hello-world request), and Deno keeps
 * the string in "lazy static body" only until something reads or touches the
 * body (then the field is `null`), or until Deno.serve sends it: that leaves
 * the string and sets "serve fast consumed" (a Response an earlier request
 * returned), so the string counts only while that flag is `false`.
 */
export function bodyUnused(res: Response): boolean {
  const { lazy, fastConsumed } = symbols ??= findSymbols();
  // deno-lint-ignore no-explicit-any
  const raw = res as any;
  if (
    lazy !== undefined && fastConsumed !== undefined && typeof raw[lazy] === "string" && raw[fastConsumed] === false
  ) {
    return true;
  }
  return !res.bodyUsed;
}

/** undici (Node) keeps a string/bytes/blob body's source and length in its "state". */
function undiciStaticLength(res: Response, state: symbol): number | undefined {
  // deno-lint-ignore no-explicit-any
  const body = (res as any)[state]?.body;
  if (body === null) return 0;
  if (body !== undefined && body.source != null && typeof body.length === "number") return body.length;
  return undefined;
}

/** undici's "state" symbol; `null` once looked for and not found (Deno), so the search runs once. */
let undiciState: symbol | null | undefined;

function findUndiciState(): symbol | null {
  if (undiciState === undefined) {
    undiciState = Object.getOwnPropertySymbols(new Response("x")).find((s) => s.description === "state") ?? null;
  }
  return undiciState;
}

/**
 * A string or bytes body's own value, read from undici's "state" (Node), so
 * the Node engine can write it without reading it back through a
 * `ReadableStream` (`res.arrayBuffer()` costs ~5% of a hello-world request on
 * Node 20); `undefined` elsewhere (a blob, a stream, Deno), where the caller
 * reads the body as usual.
 */
export function staticBodySource(res: Response): string | Uint8Array | undefined {
  const state = findUndiciState();
  if (state === null) return undefined;
  // deno-lint-ignore no-explicit-any
  const source = (res as any)[state]?.body?.source;
  return typeof source === "string" || source instanceof Uint8Array ? source : undefined;
}

/**
 * The body's byte length when an engine can send `res` without streaming it
 * (a string, bytes, a blob); `undefined` for a stream of unknown length;
 * `exact: false`: a string's UTF-16 length, not its UTF-8 bytes (see
 * `ServerBackend.staticBodyLength`). Must
 * not read `res.body` before the runtime's fields: on Deno that getter turns
 * a static body into a stream.
 */
export function staticBodyLength(res: Response, exact = true): number | undefined {
  const state = findUndiciState();
  const length = state !== null ? undiciStaticLength(res, state) : denoStaticLength(res, exact);
  if (length !== undefined) return length;
  return res.body === null ? 0 : undefined;
}
