import os from "node:os";
import { z } from "zod";

const bool = (name: string) =>
  z.enum(["true", "false"], { error: `${name} muss "true" oder "false" sein` }).transform((v) => v === "true");

const megabytes = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} muss eine Zahl (Megabyte) sein` })
    .positive(`${name} muss größer als 0 sein`)
    .max(10_000, `${name} darf höchstens 10000 sein`)
    .default(fallback);

const count = (name: string, fallback: number, max: number) =>
  z.coerce
    .number({ error: `${name} muss eine Zahl sein` })
    .int(`${name} muss eine ganze Zahl sein`)
    .min(1, `${name} muss mindestens 1 sein`)
    .max(max, `${name} darf höchstens ${max} sein`)
    .default(fallback);

/** A comma-separated list of group names ("" is none). */
const groupList = z
  .string()
  .max(2000)
  .transform((v) =>
    v
      .split(",")
      .map((g) => g.trim())
      .filter(Boolean),
  );

/** Loopback hosts may use http (a provider on the same machine, the tests); everything else needs https. */
const LOOPBACK = /^(localhost|127\.0\.0\.1|\[::1\])$/;

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
    PORT: z.coerce
      .number({ error: "PORT muss eine Zahl sein" })
      .int("PORT muss eine ganze Zahl sein")
      .min(0, "PORT muss zwischen 0 und 65535 liegen")
      .max(65535, "PORT muss zwischen 0 und 65535 liegen")
      .default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    DATA_DIR: z.string().min(1, "DATA_DIR darf nicht leer sein").default("./data"),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/.+/, "DATABASE_URL muss mit postgres:// oder postgresql:// beginnen")
      .optional(),
    MEILISEARCH_URL: z.url({ error: "MEILISEARCH_URL muss eine URL sein" }).optional(),
    MEILISEARCH_KEY: z.string().optional(),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\/.+/, "SMTP_URL muss mit smtp:// oder smtps:// beginnen")
      .optional(),
    /** Sender of mails, e.g. "Netzwerk <netzwerk@example.org>"; default: no-reply at PUBLIC_URL's host. */
    MAIL_FROM: z.string().min(3).max(200).optional(),
    PUBLIC_URL: z
      .url({ error: "PUBLIC_URL muss eine vollständige URL sein, z. B. https://netzwerk.example.org" })
      .regex(/^https?:\/\//, "PUBLIC_URL muss mit http:// oder https:// beginnen")
      .transform((v) => v.replace(/\/+$/, ""))
      .optional(),
    SESSION_SECURE: bool("SESSION_SECURE").optional(),
    OPEN_REGISTRATION: bool("OPEN_REGISTRATION").default(false),
    SEED_DEMO: bool("SEED_DEMO").default(true),
    // Days after a case consultation closes until its content is deleted (the case giver's takeaway stays).
    CASE_RETENTION_DAYS: z.coerce
      .number({ error: "CASE_RETENTION_DAYS muss eine Zahl (Tage) sein" })
      .int("CASE_RETENTION_DAYS muss eine ganze Zahl sein")
      .min(1, "CASE_RETENTION_DAYS muss mindestens 1 sein")
      .max(3650, "CASE_RETENTION_DAYS darf höchstens 3650 sein")
      .default(30),
    // Upload limits per kind of file, in megabytes.
    UPLOAD_MAX_DOCUMENT_MB: megabytes("UPLOAD_MAX_DOCUMENT_MB", 20),
    UPLOAD_MAX_VIDEO_MB: megabytes("UPLOAD_MAX_VIDEO_MB", 500),
    UPLOAD_MAX_AUDIO_MB: megabytes("UPLOAD_MAX_AUDIO_MB", 200),
    UPLOAD_MAX_IMAGE_MB: megabytes("UPLOAD_MAX_IMAGE_MB", 10),
    UPLOAD_MAX_CAPTIONS_MB: megabytes("UPLOAD_MAX_CAPTIONS_MB", 2),
    // Upload quota per member within 24 hours (megabytes and files); moderators build the library and get more.
    UPLOAD_DAILY_MB: megabytes("UPLOAD_DAILY_MB", 600),
    UPLOAD_DAILY_FILES: count("UPLOAD_DAILY_FILES", 30, 10_000),
    UPLOAD_DAILY_MB_MODERATION: megabytes("UPLOAD_DAILY_MB_MODERATION", 5000),
    UPLOAD_DAILY_FILES_MODERATION: count("UPLOAD_DAILY_FILES_MODERATION", 300, 10_000),
    // Pictures in posts and materials: per image (the file size is UPLOAD_MAX_IMAGE_MB) and per member within 24 hours.
    UPLOAD_IMAGE_MAX_MEGAPIXELS: count("UPLOAD_IMAGE_MAX_MEGAPIXELS", 40, 200),
    UPLOAD_DAILY_IMAGES: count("UPLOAD_DAILY_IMAGES", 40, 10_000),
    UPLOAD_DAILY_IMAGES_MB: megabytes("UPLOAD_DAILY_IMAGES_MB", 150),
    // Text of uploaded PDFs for search: at most this many pages, read within this many seconds (in a worker thread).
    UPLOAD_PDF_TEXT_MAX_PAGES: count("UPLOAD_PDF_TEXT_MAX_PAGES", 300, 100_000),
    UPLOAD_PDF_TEXT_MAX_SECONDS: z.coerce
      .number({ error: "UPLOAD_PDF_TEXT_MAX_SECONDS muss eine Zahl (Sekunden) sein" })
      .positive("UPLOAD_PDF_TEXT_MAX_SECONDS muss größer als 0 sein")
      .max(600, "UPLOAD_PDF_TEXT_MAX_SECONDS darf höchstens 600 sein")
      .default(10),
    // Single sign-on with the organisation's OpenID Connect provider (ADR 040); off while OIDC_ISSUER is unset.
    OIDC_ISSUER: z
      .url({ error: "OIDC_ISSUER muss eine vollständige URL sein, z. B. https://login.example.org/realms/netzwerk" })
      .refine((v) => {
        const url = new URL(v);
        return url.protocol === "https:" || (url.protocol === "http:" && LOOPBACK.test(url.hostname));
      }, "OIDC_ISSUER muss mit https:// beginnen (http:// nur für localhost)")
      .optional(),
    OIDC_CLIENT_ID: z.string().max(500).optional(),
    OIDC_CLIENT_SECRET: z.string().max(2000).optional(),
    OIDC_SCOPES: z
      .string()
      .regex(
        /^[\x21\x23-\x5b\x5d-\x7e]+( [\x21\x23-\x5b\x5d-\x7e]+)*$/,
        "OIDC_SCOPES muss eine durch Leerzeichen getrennte Liste sein",
      )
      .refine((v) => v.split(" ").includes("openid"), "OIDC_SCOPES muss „openid“ enthalten")
      .default("openid email profile"),
    OIDC_NAME_CLAIM: z.string().min(1).max(100).default("name"),
    OIDC_GROUPS_CLAIM: z.string().min(1).max(100).default("groups"),
    OIDC_ADMIN_GROUPS: groupList.default([]),
    OIDC_MODERATOR_GROUPS: groupList.default([]),
    /** false: only the organisation's sign-in; the password form, registration and invitations to a password are off. */
    OIDC_PASSWORD_LOGIN: bool("OIDC_PASSWORD_LOGIN").default(true),
    // Operations (ADR 043): log level; the token that opens /metrics (unset: no metrics); a request id from a proxy.
    LOG_LEVEL: z
      .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
        error: "LOG_LEVEL muss fatal, error, warn, info, debug, trace oder silent sein",
      })
      .default("info"),
    METRICS_TOKEN: z.string().min(16, "METRICS_TOKEN muss mindestens 16 Zeichen lang sein").optional(),
    REQUEST_ID_HEADER: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, "REQUEST_ID_HEADER muss ein Header-Name sein, z. B. X-Request-Id")
      .transform((v) => v.toLowerCase())
      .optional(),
    // Nightly backup of the embedded database (unset BACKUP_DIR: none): where, how many kept, at what time in Berlin.
    BACKUP_DIR: z.string().min(1).optional(),
    BACKUP_KEEP: count("BACKUP_KEEP", 7, 1000),
    BACKUP_TIME: z
      .string()
      .regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, "BACKUP_TIME muss eine Uhrzeit wie 03:30 sein")
      .default("03:30"),
    // Server processes (workers of one service, ADR 041): default one per core with PostgreSQL, one on PGlite.
    WEB_CONCURRENCY: z.coerce
      .number({ error: "WEB_CONCURRENCY muss eine Zahl sein" })
      .int("WEB_CONCURRENCY muss eine ganze Zahl sein")
      .min(1, "WEB_CONCURRENCY muss mindestens 1 sein")
      .max(64, "WEB_CONCURRENCY darf höchstens 64 sein")
      .optional(),
  })
  .superRefine((v, ctx) => {
    const problem = (name: string, message: string) => ctx.addIssue({ code: "custom", path: [name], message });
    if (v.OIDC_ISSUER) {
      if (!v.OIDC_CLIENT_ID) problem("OIDC_CLIENT_ID", "OIDC_CLIENT_ID fehlt (nötig, weil OIDC_ISSUER gesetzt ist)");
      if (!v.OIDC_CLIENT_SECRET)
        problem("OIDC_CLIENT_SECRET", "OIDC_CLIENT_SECRET fehlt (nötig, weil OIDC_ISSUER gesetzt ist)");
      if (!v.PUBLIC_URL)
        problem("PUBLIC_URL", "PUBLIC_URL fehlt (nötig für die Rückkehr von der Anmeldung der Organisation)");
    } else {
      for (const name of ["OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const) {
        if (v[name]) problem(name, `${name} ist gesetzt, aber OIDC_ISSUER fehlt`);
      }
      if (!v.OIDC_PASSWORD_LOGIN)
        problem(
          "OIDC_PASSWORD_LOGIN",
          "OIDC_PASSWORD_LOGIN=false braucht OIDC_ISSUER, sonst kann sich niemand anmelden",
        );
    }
  });

export type Env = z.infer<typeof envSchema>;

export class EnvError extends Error {
  constructor(readonly problems: string[]) {
    super(`Ungültige Konfiguration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses the environment; empty strings count as unset so that `FOO= npm start` means "default". */
export function parseEnv(source: Record<string, string | undefined>): Env {
  const cleaned = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ""));
  const result = envSchema
    .refine((config) => (config.WEB_CONCURRENCY ?? 1) === 1 || !!config.DATABASE_URL, {
      path: ["WEB_CONCURRENCY"],
      error:
        "WEB_CONCURRENCY über 1 braucht DATABASE_URL: die eingebettete Datenbank (DATA_DIR) kann nur ein Prozess benutzen",
    })
    .safeParse(cleaned);
  if (!result.success) {
    // One message per variable: the first rule it breaks.
    const byName = new Map<string, string>();
    for (const issue of result.error.issues) {
      const name = String(issue.path[0]);
      if (!byName.has(name)) byName.set(name, `${name}: ${issue.message}`);
    }
    throw new EnvError([...byName.values()]);
  }
  return result.data;
}

/** How many server processes serve the site: WEB_CONCURRENCY, else one per core with PostgreSQL and one on PGlite. */
export function workerCount(config: Env): number {
  return config.WEB_CONCURRENCY ?? (config.DATABASE_URL ? os.availableParallelism() : 1);
}

declare global {
  var __companionEnv: Env | undefined;
}

/** The validated environment; the server validates it once at boot, so a bad value stops the start. */
export function env(): Env {
  globalThis.__companionEnv ??= parseEnv(process.env);
  return globalThis.__companionEnv;
}
