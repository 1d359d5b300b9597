/** The build's entry point (build/node/server.js): see main.ts. */
import { main } from "./main.ts";

await main();
