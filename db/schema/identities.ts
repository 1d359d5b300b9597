import { index, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sessions, users } from "./accounts.ts";

/**
 * Sign-in with the organisation's OpenID Connect provider (ADR 040): which account a provider's subject belongs to.
 * The subject is the provider's stable id for the person; e-mail and name may change there, the subject does not.
 */
export const accountIdentities = pgTable(
  "account_identities",
  {
    issuer: text("issuer").notNull(),
    subject: text("subject").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    lastSignInAt: timestamp("last_sign_in_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.issuer, t.subject] }), index("account_identities_user_idx").on(t.userId)],
);

/**
 * The provider's ID token of a session that began there, kept only as `id_token_hint` for logging out at the
 * provider too; it goes with the session. No access or refresh token is kept.
 */
export const sessionIdTokens = pgTable("session_id_tokens", {
  sessionId: text("session_id")
    .primaryKey()
    .references(() => sessions.id, { onDelete: "cascade" }),
  idToken: text("id_token").notNull(),
});
