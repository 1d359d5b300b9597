import type { DatabaseHandle } from "../client.ts";
import { categories, users } from "../schema/index.ts";
import { demoCategories, demoMembers, DEMO_PASSWORD } from "./content.ts";
import { seedDiscussions, type RenderedMarkdown } from "./discussions.ts";
import { seedLibrary } from "./library.ts";
import { seedCases } from "./cases.ts";
import { seedRounds } from "./rounds.ts";

export { DEMO_PASSWORD };

/** The four demo logins that the README and the start log list. */
export const demoAccounts = demoMembers.filter((m) => m.listed).map((m) => ({ email: m.email, label: m.label }));

/**
 * Adds the German demo content. Safe to run twice: existing members (by e-mail) and rooms (by slug) are kept.
 * The password hasher and the Markdown renderer are passed in because db/ imports nothing from the app.
 */
export async function seedDemo(
  handle: DatabaseHandle,
  deps: {
    hashPassword: (password: string) => Promise<string>;
    renderMarkdown: (markdown: string) => RenderedMarkdown;
    uploadsDir: string;
    pdfText: (file: string) => Promise<string | null>;
  },
): Promise<{
  members: number;
  categories: number;
  threads: number;
  materials: number;
  consultations: number;
  rounds: number;
}> {
  const passwordHash = await deps.hashPassword(DEMO_PASSWORD);
  const insertedMembers = await handle.db
    .insert(users)
    .values(demoMembers.map(({ label: _b, ...m }) => ({ ...m, passwordHash })))
    .onConflictDoNothing()
    .returning({ id: users.id });
  const insertedCategories = await handle.db
    .insert(categories)
    .values(demoCategories)
    .onConflictDoNothing({ target: categories.slug })
    .returning({ id: categories.id });
  const threads = await seedDiscussions(handle, deps.renderMarkdown);
  const materials = await seedLibrary(handle, {
    render: deps.renderMarkdown,
    uploadsDir: deps.uploadsDir,
    pdfText: deps.pdfText,
  });
  const consultations = await seedCases(handle, passwordHash);
  const rounds = await seedRounds(handle);
  return {
    members: insertedMembers.length,
    categories: insertedCategories.length,
    threads,
    materials,
    consultations,
    rounds,
  };
}
