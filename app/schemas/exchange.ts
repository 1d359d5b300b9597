import { z } from "zod";
import { threadTypes } from "../domain/discussions/types.ts";
import { displayName, handle, roles } from "./accounts.ts";

/** One line of the content exchange format (DESIGN.md). Materials arrive with the library. */
const isoTime = z.iso.datetime({ offset: true, error: "muss eine Zeit nach ISO 8601 sein" });
const ref = z.string().min(1, "ref fehlt").max(200);
const email = z.string().trim().toLowerCase().pipe(z.email({ error: "ist keine gültige E-Mail-Adresse" }));

export const exchangeLine = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("member"), email, name: displayName, handle, role: z.enum(roles).default("member") }),
    z.object({
      kind: z.literal("category"),
      slug: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "slug: nur Kleinbuchstaben, Ziffern und Bindestriche").max(40),
      name: z.string().trim().min(1).max(80),
      description: z.string().max(400).default(""),
    }),
    z.object({
      kind: z.literal("thread"),
      ref,
      category: z.string().min(1),
      type: z.enum(threadTypes),
      title: z.string().trim().min(5, "title braucht mindestens 5 Zeichen").max(160),
      body: z.string().min(1, "body fehlt").max(50_000),
      author: email,
      createdAt: isoTime,
      tags: z.array(z.string().trim().min(1).max(40)).max(8).default([]),
    }),
    z.object({
      kind: z.literal("reply"),
      ref,
      thread: z.string().min(1),
      parent: z.string().min(1).nullable().default(null),
      body: z.string().min(1, "body fehlt").max(50_000),
      author: email,
      createdAt: isoTime,
    }),
  ],
  { error: (issue) => (issue.code === "invalid_union" ? "kind muss member, category, thread oder reply sein" : undefined) },
);

export type ExchangeLine = z.infer<typeof exchangeLine>;
