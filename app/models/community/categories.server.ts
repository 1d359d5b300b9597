import { asc } from "drizzle-orm";
import { categories } from "../../../db/schema/index.ts";
import { db } from "../db.server.ts";

export async function listCategories() {
  return db()
    .select({ slug: categories.slug, name: categories.name, description: categories.description })
    .from(categories)
    .orderBy(asc(categories.position), asc(categories.name));
}
