/**
 * For model functions: enqueue the index update inside the write's own transaction (so it commits with it),
 * then call indexSoon() after commit.
 */
export { enqueue as enqueueSearch } from "../../../search/indexer.ts";
export { indexSoon } from "./engine.server.ts";
export { forgetWords as forgetSearchWords } from "../../../search/words.ts";
