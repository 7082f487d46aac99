/**
 * Runs Debian's nginx (`apt-get install nginx`) for the tests, as one process
 * in the foreground with everything in a temp dir, in front of an evy upstream,
 * with the configuration of docs/nginx.md.
 */
import { type ChildProcess, spawn as spawnChild } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));

/** Whether nginx is installed (CI installs it; elsewhere the tests say how to get it). */
export const nginxPath: string | undefined = NGINX;

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** The `http {}` part of docs/nginx.md's configuration, for an upstream `server` line (`127.0.0.1:8000`, `unix:/x`). */
export function proxyConfig(upstream: string, listenPort: number): string {
  return `
  upstream evy {
    server ${upstream};
    keepalive 32;                      # idle keep-alive connections to evy, per nginx worker
  }

  # "Connection: upgrade" for websocket handshakes, an empty one (keep-alive) otherwise.
  map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      '';
  }

  server {
    listen 127.0.0.1:${listenPort};

    location / {
      proxy_pass http://evy;
      proxy_http_version 1.1;          # keep-alive and upgrades need HTTP/1.1 to the upstream
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 1h;           # long-lived websockets
      proxy_buffering off;             # stream responses as evy sends them
    }
  }`;
}

/** A running nginx. */
export interface Nginx extends AsyncDisposable {
  port: number;
  child: ChildProcess;
}

/** Starts nginx on a free port in front of `upstream`; waits until it accepts. */
export async function startNginx(upstream: string): Promise<Nginx> {
  if (NGINX === undefined) throw new Error("nginx is not installed: apt-get install nginx (.ci/run does)");
  const dir = mkdtempSync(join(tmpdir(), "evy-nginx-"));
  const port = await freePort();
  const conf = `daemon off;
master_process off;
worker_processes 1;
error_log ${dir}/error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
${proxyConfig(upstream, port)}
}
`;
  writeFileSync(join(dir, "nginx.conf"), conf);
  const child = spawnChild(NGINX, ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<void>((resolve) => child.on("close", () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      process.kill(child.pid!, "SIGTERM");
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const end = Date.now() + 10_000;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = createServer();
      s.once("error", () => resolve(true)); // the port is taken: nginx listens
      s.listen(port, "127.0.0.1", () => s.close(() => resolve(false)));
    });
    if (up) break;
    if (child.exitCode !== null || Date.now() > end) {
      const log = existsSync(join(dir, "error.log")) ? readFileSync(join(dir, "error.log"), "utf8") : "";
      await stop();
      throw new Error(`nginx did not start: ${stderr}${log}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { port, child, [Symbol.asyncDispose]: stop };
}
