import fs from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { unaccent } from "@electric-sql/pglite/contrib/unaccent";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import postgres from "postgres";
import * as schema from "./schema/index.ts";
import { acquireDataDirLock } from "./lock.ts";
import { drizzleParsers, preparedQueries, snapshotPglite } from "./pglite-queries.ts";

export type Schema = typeof schema;
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

export interface DatabaseHandle {
  db: Database;
  kind: "pglite" | "postgres";
  /** Rows of a raw query, the same shape on both engines (PGlite gives {rows}, postgres.js an array). */
  rows<T = Record<string, unknown>>(query: Parameters<Database["execute"]>[0]): Promise<T[]>;
  /** Embedded database with a directory only: a consistent copy of its files while it runs (ADR 043). */
  snapshot?: () => Promise<Buffer>;
  close(): Promise<void>;
}

/** The PostgreSQL major this PGlite build writes; a data directory of another major cannot be opened. */
export const PGLITE_PG_MAJOR = "18";

export class IncompatibleDataDirError extends Error {
  constructor(dir: string, found: string) {
    super(
      `Das Datenverzeichnis ${dir} stammt von PostgreSQL ${found}, diese Version braucht PostgreSQL ${PGLITE_PG_MAJOR}. ` +
        `Spiele eine Sicherung ein (npm run backup) oder setze DATA_DIR auf ein neues Verzeichnis.`,
    );
    this.name = "IncompatibleDataDirError";
  }
}

/** The extensions every open of the embedded database needs (the backup opens it too). */
export const pgliteExtensions = { pg_trgm, unaccent };
const extensions = pgliteExtensions;

/**
 * Opens PGlite in `<dataDir>/db` under an exclusive lock; `dataDir: null` gives an in-memory database (tests), empty
 * or loaded from a `dumpDataDir()` archive (the test run migrates one once instead of per file).
 */
export async function openPglite(
  dataDir: string | null,
  options: { loadDataDir?: Blob } = {},
): Promise<DatabaseHandle> {
  let lock: { release: () => void } | null = null;
  let client: PGlite;
  if (dataDir === null) {
    client = await PGlite.create({ extensions, parsers: drizzleParsers, loadDataDir: options.loadDataDir });
  } else {
    lock = acquireDataDirLock(dataDir);
    const dbDir = path.join(path.resolve(dataDir), "db");
    const versionFile = path.join(dbDir, "PG_VERSION");
    if (fs.existsSync(versionFile)) {
      const found = fs.readFileSync(versionFile, "utf8").trim();
      if (found !== PGLITE_PG_MAJOR) {
        lock.release();
        throw new IncompatibleDataDirError(dbDir, found);
      }
    }
    try {
      client = await PGlite.create(dbDir, { extensions, parsers: drizzleParsers });
    } catch (error) {
      lock.release();
      throw new Error(`Die eingebettete Datenbank in ${dbDir} lässt sich nicht öffnen: ${(error as Error).message}`);
    }
  }
  const db = drizzlePglite(preparedQueries(client), { schema }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    async rows(query) {
      const result = (await db.execute(query)) as unknown as { rows: never[] };
      return result.rows;
    },
    ...(dataDir === null ? {} : { snapshot: () => snapshotPglite(client) }),
    async close() {
      await client.close();
      lock?.release();
    },
  };
}

export async function openPostgres(url: string, options: { max?: number } = {}): Promise<DatabaseHandle> {
  const client = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // int8 (counts, bigserial ids) as numbers, like PGlite; our counts stay far below 2^53.
    types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } },
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  return {
    db,
    kind: "postgres",
    async rows(query) {
      return (await db.execute(query)) as unknown as never[];
    },
    async close() {
      await client.end({ timeout: 5 });
    },
  };
}
