import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uuid,
  bigserial,
  primaryKey,
} from "drizzle-orm/pg-core";

export const roles = ["member", "moderator", "admin"] as const;
export type Role = (typeof roles)[number];

export const legalDomains = ["sgb2", "sgb3", "cross"] as const;
export type LegalDomain = (typeof legalDomains)[number];

export const users = pgTable("users", {
  id: uuid("id").primaryKey().defaultRandom(),
  email: text("email").notNull().unique(),
  displayName: text("display_name").notNull(),
  handle: text("handle").notNull().unique(),
  passwordHash: text("password_hash").notNull(),
  role: text("role", { enum: roles }).notNull().default("member"),
  roleText: text("role_text").notNull().default(""),
  legalDomain: text("legal_domain", { enum: legalDomains }),
  region: text("region").notNull().default(""),
  bio: text("bio").notNull().default(""),
  /** Opt-in: the profile appears in the member directory and in search. */
  listed: boolean("listed").notNull().default(false),
  /** Topics the member can be asked about ("Wer kennt sich aus mit …?"), shown in the directory. */
  expertise: text("expertise")
    .array()
    .notNull()
    .default(sql`'{}'::text[]`),
  /** Set when the member closes the welcome checklist on the start page. */
  welcomeDismissedAt: timestamp("welcome_dismissed_at", { withTimezone: true }),
  deactivatedAt: timestamp("deactivated_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});

/** Lucia-style sessions: the id is the SHA-256 of the cookie token, so a leaked table grants no login. */
export const sessions = pgTable(
  "sessions",
  {
    id: text("id").primaryKey(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sessions_user_idx").on(t.userId)],
);

export const invitations = pgTable("invitations", {
  id: uuid("id").primaryKey().defaultRandom(),
  tokenHash: text("token_hash").notNull().unique(),
  note: text("note").notNull().default(""),
  role: text("role", { enum: roles }).notNull().default("member"),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
  usedAt: timestamp("used_at", { withTimezone: true }),
  usedBy: uuid("used_by").references(() => users.id, { onDelete: "set null" }),
  revokedAt: timestamp("revoked_at", { withTimezone: true }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Login throttling (ADR 020): one row per counted key, never an e-mail address or IP in clear. The key is an HMAC
 * with a site key of "account\n<email>", "address\n<address or IPv6 /64>" or "known\n<user id>\n<address>".
 * `failures` counts attempts since the last success (each attempt is reserved here before its password is checked);
 * from `allowance` on, every further attempt waits twice as long as the one before, up to a cap.
 */
export const loginThrottle = pgTable(
  "login_throttle",
  {
    key: text("key").primaryKey(),
    failures: integer("failures").notNull(),
    allowance: integer("allowance").notNull(),
    nextAllowedAt: timestamp("next_allowed_at", { withTimezone: true }).notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull(),
  },
  (t) => [index("login_throttle_updated_idx").on(t.updatedAt)],
);

/**
 * Addresses a member has signed in from successfully (as HMACs, see ADR 020): from there the right password works
 * even while the account is under attack. Forgotten after 90 days without a sign-in from there.
 */
export const loginKnownAddresses = pgTable(
  "login_known_addresses",
  {
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    address: text("address").notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.address] })],
);

/** Every moderator and admin action, for accountability (never a per-person activity figure). */
export const auditLog = pgTable(
  "audit_log",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    actorId: uuid("actor_id").references(() => users.id, { onDelete: "set null" }),
    action: text("action").notNull(),
    subjectType: text("subject_type").notNull(),
    subjectId: text("subject_id").notNull(),
    details: jsonb("details")
      .notNull()
      .default(sql`'{}'::jsonb`),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("audit_log_created_idx").on(t.createdAt)],
);

export const siteSettings = pgTable("site_settings", {
  id: integer("id").primaryKey().default(1),
  siteName: text("site_name").notNull().default("Das Lernbegleitungs-Netzwerk"),
  welcomeText: text("welcome_text").notNull().default(""),
  openRegistration: boolean("open_registration").notNull().default(false),
  /** The editors' address, named as owner in the podcast feed (directories write to it); empty: the sender address. */
  contactEmail: text("contact_email").notNull().default(""),
});
