// http, evy on Node (the npm build): the shared harness's http/project.ts in Node's terms — hello world on
// evy's serve() (a green thread per request, on node:http), access log off. Raw: the harness's http/node.mjs.
const { serve } = await import(new URL("web/server.js", new URL(process.env.PROJECT_MOD, "file:///")).href);
const port = Number(process.env.PORT ?? 8000);
serve({ hostname: "127.0.0.1", port, log: false, onListen() {} }, () => new Response("Hello, World!"));
