/**
 * How drizzle's queries reach PGlite. PGlite's own `query()` sends every statement through the extended protocol
 * unnamed: six calls into WebAssembly (parse, describe, bind, describe, execute, sync) and a fresh parse and plan each
 * time, which costs 0.1–0.8 ms per query inside the one thread that also renders the pages. PostgreSQL's drivers
 * prepare statements instead (postgres.js does for our server on PostgreSQL 15); this does the same for PGlite:
 *
 * - a statement text is parsed once under a name and kept (the most recently used 500 per database);
 * - each run is bind + describe + execute + sync in one call, so PostgreSQL reuses the plan where it is as good;
 * - drizzle's per-query type parsers are set once on the client (`drizzleParsers`): PGlite would otherwise copy its
 *   table of ~370 parsers for every query.
 *
 * - statements run in time slices (`turn`): PGlite runs a statement synchronously, and a page's queries chained by
 *   promises alone would otherwise run back to back (with its rendering) as one 30–45 ms task while every other
 *   request and timer waits; under load, the statements of many requests would run back to back the same way.
 *
 * It keeps `query()`'s contract: the same locks (a query waits for a running transaction unless it belongs to it),
 * the same parameter serializers and result parsing, the data directory synced after statements outside transactions.
 */
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { parse, protocol, types, type PGlite, type QueryOptions, type Transaction } from "@electric-sql/pglite";

const keepText = (value: string) => value;

/** The parsers drizzle passes with each query: dates, times and intervals stay text, drizzle maps them itself. */
export const drizzleParsers = Object.fromEntries(
  [types.TIMESTAMP, types.TIMESTAMPTZ, types.INTERVAL, types.DATE, 1231, 1115, 1185, 1187, 1182].map((oid) => [
    oid,
    keepText,
  ]),
);

const MAX_STATEMENTS = 500;

/**
 * A statement may start while the current slice lasts; otherwise it waits for the event loop's next turn (timers,
 * network) and runs in that turn's slice. One slice per turn: Node runs every queued setImmediate callback in one go,
 * so a statement that finds this turn's slice used up is queued again for the next turn, behind a marker that opens it.
 */
const SLICE_MS = 10;
let sliceOpen = false;
let sliceEnds = 0;

function waitForTurn(resolve: () => void) {
  setImmediate(() => {
    const now = performance.now();
    if (!sliceOpen) {
      sliceOpen = true;
      sliceEnds = now + SLICE_MS;
      setImmediate(() => (sliceOpen = false));
      resolve();
    } else if (now < sliceEnds) {
      resolve();
    } else {
      waitForTurn(resolve);
    }
  });
}

function turn(): Promise<void> {
  if (sliceOpen && performance.now() < sliceEnds) return Promise.resolve();
  return new Promise(waitForTurn);
}
const unsynced = { syncToFs: false };

type Serializer = (value: unknown) => string;
/** The locking and type tables `query()` uses; TypeScript calls them protected, JavaScript does not. */
interface PgliteInternals {
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
  _runExclusiveTransaction<T>(fn: () => Promise<T>): Promise<T>;
  serializers: Record<number, Serializer>;
  parsers: Parameters<typeof parse.parseResults>[1];
}

interface Statement {
  name: string;
  paramTypes: number[];
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** drizzle's PGlite client with prepared statements; transactions hand out the same for their queries. */
export function preparedQueries(pg: PGlite): PGlite {
  const internals = pg as unknown as PgliteInternals;
  const statements = new Map<string, Statement>();
  let counter = 0;

  async function statementFor(text: string): Promise<Statement> {
    const known = statements.get(text);
    if (known) {
      // Map order is insertion order: moving a used statement to the end keeps the least recently used first.
      statements.delete(text);
      statements.set(text, known);
      return known;
    }
    const name = `drizzle_${++counter}`;
    const { messages } = await pg.execProtocol(
      concat([
        protocol.serialize.parse({ name, text }),
        protocol.serialize.describe({ type: "S", name }),
        protocol.serialize.sync(),
      ]),
      unsynced,
    );
    const statement = { name, paramTypes: parse.parseDescribeStatementResults(messages) };
    statements.set(text, statement);
    if (statements.size > MAX_STATEMENTS) {
      const [oldestText, oldest] = statements.entries().next().value as [string, Statement];
      statements.delete(oldestText);
      await pg.execProtocol(
        concat([protocol.serialize.close({ type: "S", name: oldest.name }), protocol.serialize.sync()]),
        unsynced,
      );
    }
    return statement;
  }

  async function run(text: string, params: unknown[], options: QueryOptions | undefined, inTransaction: boolean) {
    const statement = await statementFor(text);
    const values = params.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serialize = internals.serializers[statement.paramTypes[i]];
      return serialize ? serialize(value) : String(value);
    });
    const { messages } = await pg.execProtocol(
      concat([
        protocol.serialize.bind({ statement: statement.name, values: values as string[] }),
        protocol.serialize.describe({ type: "P" }),
        protocol.serialize.execute({}),
        protocol.serialize.sync(),
      ]),
      unsynced,
    );
    // Like query(): the data directory is synced once per statement outside a transaction, not per protocol call.
    if (!inTransaction) await pg.syncToFs();
    return parse.parseResults(messages, internals.parsers, { rowMode: options?.rowMode })[0];
  }

  function wrap<T extends PGlite | Transaction>(target: T, inTransaction: boolean): T {
    return new Proxy(target, {
      get(object, property) {
        if (property === "query") {
          return (text: string, params: unknown[] = [], options?: QueryOptions) => {
            // Large objects (COPY … blobs) take PGlite's own path; drizzle never sends them.
            if (options?.blob) return object.query(text, params, options);
            // The turn is awaited inside the lock: close() takes the same locks, so a statement asked for before
            // close() runs before the database closes.
            const locked = () =>
              internals._runExclusiveQuery(async () => {
                await turn();
                if (pg.closed) throw new Error("PGlite is closed");
                return run(text, params, options, inTransaction);
              });
            return inTransaction ? locked() : internals._runExclusiveTransaction(locked);
          };
        }
        if (property === "transaction") {
          return <R>(callback: (tx: Transaction) => Promise<R>) => pg.transaction((tx) => callback(wrap(tx, true)));
        }
        const value = Reflect.get(object, property, object);
        return typeof value === "function" ? value.bind(object) : value;
      },
    });
  }

  return wrap(pg, false);
}

/**
 * A consistent copy of the running database's files (ADR 043), gzip-compressed as `dumpDataDir("gzip")` gives it.
 * Taken while holding both of PGlite's locks: every statement of ours and every transaction waits for the transaction
 * lock first (see `wrap`), so no transaction is open and no statement half applied while the files are read. A
 * CHECKPOINT first writes the changed pages into the files, so the copy needs no recovery when it is opened. The copy
 * is read synchronously (requests wait for it: ~0.1 s per 50 MB of database); compression runs afterwards in libuv's
 * thread pool, with the database free again.
 */
export async function snapshotPglite(pg: PGlite): Promise<Buffer> {
  const internals = pg as unknown as PgliteInternals;
  const tarball = await internals._runExclusiveTransaction(async () => {
    await internals._runExclusiveQuery(() => pg.execProtocol(protocol.serialize.query("CHECKPOINT")));
    return pg.dumpDataDir("none");
  });
  return promisify(gzip)(new Uint8Array(await tarball.arrayBuffer()));
}
