import { auditLog } from "../../db/schema/index.ts";
import type { Database } from "./db.server.ts";

type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

/** Written in the same transaction as the action it records, so the log cannot miss a committed action. */
export async function writeAudit(
  tx: Tx | Database,
  entry: { actorId: string | null; action: string; subjectType: string; subjectId: string; details?: object },
): Promise<void> {
  await tx.insert(auditLog).values({ ...entry, details: entry.details ?? {} });
}
