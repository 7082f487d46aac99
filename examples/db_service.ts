/**
 * A small HTTP service over PostgreSQL (the seeds' db_pool in use): evy's
 * `serve` runs each request in its own green thread, every request borrows a
 * connection from one `ConnectionPool`, and each request runs under a
 * Timeout that really stops a slow query — on the server too, by
 * PostgreSQL's cancel request — and answers 504.
 *
 *     deno run -A examples/db_service.ts [port] [postgres-url]   # or PORT, DATABASE_URL
 *     curl http://localhost:8091/notes            # the notes, as JSON
 *     curl -X POST -d 'buy milk' http://localhost:8091/notes
 *     curl 'http://localhost:8091/slow?seconds=5' # 504 after 500 ms; the query is cancelled
 *     curl http://localhost:8091/pool             # the pool's free slots and waiters
 *
 * @module
 */
import { Timeout } from "@evy/evy";
import { ConnectionPool } from "@evy/evy/db";
import { postgres, type PostgresParams } from "@evy/evy/db/postgres";
import { serve } from "@evy/evy/web";

const port = Number(Deno.args[0] ?? Deno.env.get("PORT") ?? 8091);
const url = new URL(Deno.args[1] ?? Deno.env.get("DATABASE_URL") ?? "postgres://postgres@127.0.0.1:5432/postgres");
const REQUEST_TIMEOUT_MS = 500;

const params: PostgresParams = {
  host: url.hostname,
  port: Number(url.port || 5432),
  user: decodeURIComponent(url.username),
  password: decodeURIComponent(url.password),
  database: url.pathname.slice(1) || "postgres",
};
const pool = new ConnectionPool(postgres, params, { maxSize: 10 });

{
  await using conn = await pool.item();
  await conn.query("CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL)");
}

const json = (value: unknown, status = 200): Response => Response.json(value, { status });

async function handle(req: Request): Promise<Response> {
  const { pathname, searchParams } = new URL(req.url);
  // The request's deadline: it interrupts whatever green wait the thread is in, the query included.
  using deadline = new Timeout(REQUEST_TIMEOUT_MS);
  try {
    if (pathname === "/pool") return json({ free: pool.free(), waiting: pool.waiting() });
    await using conn = await pool.item();
    if (pathname === "/notes" && req.method === "POST") {
      const { rows } = await conn.query("INSERT INTO notes (body) VALUES ($1) RETURNING id, body", [await req.text()]);
      return json(rows[0], 201);
    }
    if (pathname === "/notes") return json((await conn.query("SELECT id, body FROM notes ORDER BY id")).rows);
    if (pathname === "/slow") {
      const seconds = Number(searchParams.get("seconds") ?? 5);
      await conn.query("SELECT pg_sleep($1) AS slow_request", [seconds]);
      return json({ slept: seconds });
    }
    return json({ error: "not found" }, 404);
  } catch (error) {
    if (error !== deadline) throw error;
    return json({ error: `query took longer than ${REQUEST_TIMEOUT_MS} ms` }, 504);
  }
}

const server = serve({ port, log: false }, handle);
console.log(`serving on http://localhost:${server.addr.port}/`);

Deno.addSignalListener("SIGTERM", async () => {
  await server.shutdown();
  await pool.close();
  Deno.exit(0);
});
