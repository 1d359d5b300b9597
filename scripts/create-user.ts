/** `npm run user:create -- --email … --name … --role admin [--handle …] [--password …]`: the first account of a new install. */
import { parseArgs } from "node:util";
import crypto from "node:crypto";
import { createUser } from "../app/models/accounts/users.server.ts";
import { withDatabase } from "./lib/database.ts";
import {
  displayName,
  handle as handleSchema,
  loginSchema,
  PASSWORD_MIN_LENGTH,
  roles,
} from "../app/schemas/accounts.ts";

const usage =
  'Aufruf: npm run user:create -- --email name@example.org --name "Vorname Nachname" --role admin|moderator|member [--handle kurzname] [--password …]';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function handleFrom(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/ä/g, "ae")
    .replace(/ö/g, "oe")
    .replace(/ü/g, "ue")
    .replace(/ß/g, "ss")
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return (base || "mitglied").slice(0, 30);
}

let args;
try {
  args = parseArgs({
    options: {
      email: { type: "string" },
      name: { type: "string" },
      role: { type: "string", default: "member" },
      handle: { type: "string" },
      password: { type: "string" },
    },
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n${usage}`);
}

const email = loginSchema.shape.email.safeParse(args.email ?? "");
if (!email.success) fail(`--email: ${email.error.issues[0].message}\n${usage}`);
const name = displayName.safeParse(args.name ?? "");
if (!name.success) fail(`--name: ${name.error.issues[0].message}\n${usage}`);
const role = args.role as (typeof roles)[number];
if (!roles.includes(role)) fail(`--role muss admin, moderator oder member sein.\n${usage}`);
const handle = handleSchema.safeParse(args.handle ?? handleFrom(name.data));
if (!handle.success) fail(`--handle: ${handle.error.issues[0].message}`);
const generated = !args.password;
const password = args.password ?? crypto.randomBytes(12).toString("base64url");
if (password.length < PASSWORD_MIN_LENGTH) fail(`--password: mindestens ${PASSWORD_MIN_LENGTH} Zeichen.`);

await withDatabase(async () => {
  const user = await createUser({ email: email.data, displayName: name.data, handle: handle.data, password, role });
  console.log(
    `Konto angelegt: ${name.data} <${email.data}>, Kurzname „${handle.data}“, Rolle ${role} (id ${user.id}).`,
  );
  if (generated) console.log(`Passwort (wird nur jetzt angezeigt): ${password}`);
});
