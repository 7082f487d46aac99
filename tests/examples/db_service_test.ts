// evy:deno-only — runs the example as a Deno subprocess.
import assert from "node:assert/strict";
import { ConnectionPool } from "@evy/evy/db";
import { postgres } from "@evy/evy/db/postgres";
import { startPostgres } from "../db/_pg_server.ts";
import { until } from "../db/_target.ts";
import { startExample } from "./_example_process.ts";

const pg = await startPostgres();

Deno.test({
  name: "examples/db_service.ts stores notes and its per-request Timeout stops a slow query on the server",
  ignore: pg === undefined,
  fn: async () => {
    const { host, port, user, password, database } = pg!.params;
    const url = `postgres://${user}:${password}@${host}:${port}/${database}`;
    await using service = await startExample("db_service.ts", ["0", url], /serving on http:\/\/localhost:(\d+)\//);
    const base = `http://127.0.0.1:${service.port}`;

    const created = await fetch(`${base}/notes`, { method: "POST", body: "buy milk" });
    assert.equal(created.status, 201);
    assert.equal((await created.json()).body, "buy milk");
    const notes = await (await fetch(`${base}/notes`)).json();
    assert.deepEqual(notes.map((n: { body: string }) => n.body), ["buy milk"]);

    const slow = await fetch(`${base}/slow?seconds=30`);
    assert.equal(slow.status, 504);
    assert.match((await slow.json()).error, /longer than 500 ms/);
    await using look = new ConnectionPool(postgres, pg!.params, { maxSize: 1 });
    await using conn = await look.item();
    await until("the slow query to be gone from pg_stat_activity", async () =>
      (await conn.query(
        "SELECT pid FROM pg_stat_activity WHERE query LIKE '%slow_request%' AND pid <> pg_backend_pid()",
      )).rowCount === 0);
    const pool = await (await fetch(`${base}/pool`)).json();
    assert.deepEqual(pool, { free: 10, waiting: 0 });
  },
});
