import { denoBackends } from "../../web/_backends.ts";
import { serverSuite } from "./_server_suite.ts";

serverSuite("deno", denoBackends);
