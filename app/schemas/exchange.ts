import { z } from "zod";
import { threadTypes } from "../domain/discussions/types.ts";
import { materialTypes } from "../domain/library/types.ts";
import { POLL_OPTION_MAX, POLL_OPTIONS_MAX, POLL_OPTIONS_MIN, POLL_QUESTION_MAX } from "../domain/discussions/polls.ts";
import { displayName, handle, roles } from "./accounts.ts";

/** One line of the content exchange format (DESIGN.md). Materials arrive with the library. */
const isoTime = z.iso.datetime({ offset: true, error: "muss eine Zeit nach ISO 8601 sein" });
const ref = z.string().min(1, "ref fehlt").max(200);
const email = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: "ist keine gültige E-Mail-Adresse" }));
const count = z
  .number({ error: "muss eine Zahl sein" })
  .int("muss eine ganze Zahl sein")
  .min(0, "darf nicht negativ sein")
  .max(1_000_000);

/**
 * A thread's poll (ADR 032): question, options and totals only, never who voted. The totals must be possible: no
 * option has more votes than there are voters; with one answer each, the votes add up to the voters; with several,
 * every voter chose at least one.
 */
const pollLine = z
  .object({
    kind: z.literal("poll"),
    thread: z.string().min(1),
    question: z.string().trim().min(3, "question braucht mindestens 3 Zeichen").max(POLL_QUESTION_MAX),
    multiple: z.boolean().default(false),
    closesAt: isoTime.nullable().default(null),
    voters: count.default(0),
    options: z
      .array(z.object({ label: z.string().trim().min(1, "label fehlt").max(POLL_OPTION_MAX), votes: count.default(0) }))
      .min(POLL_OPTIONS_MIN, `mindestens ${POLL_OPTIONS_MIN} Antwortmöglichkeiten`)
      .max(POLL_OPTIONS_MAX, `höchstens ${POLL_OPTIONS_MAX} Antwortmöglichkeiten`)
      .refine(
        (o) => new Set(o.map((x) => x.label.toLocaleLowerCase("de-DE"))).size === o.length,
        "jede Antwortmöglichkeit nur einmal",
      ),
  })
  .superRefine((poll, ctx) => {
    const sum = poll.options.reduce((n, o) => n + o.votes, 0);
    const most = Math.max(...poll.options.map((o) => o.votes));
    if (most > poll.voters)
      ctx.addIssue({
        code: "custom",
        path: ["options"],
        message: "keine Antwort kann mehr Stimmen haben, als abgestimmt haben (voters)",
      });
    else if (!poll.multiple && sum !== poll.voters)
      ctx.addIssue({
        code: "custom",
        path: ["voters"],
        message: "bei einer Antwort je Person muss die Summe der Stimmen voters ergeben",
      });
    else if (poll.multiple && sum < poll.voters)
      ctx.addIssue({
        code: "custom",
        path: ["voters"],
        message: "mehr Abstimmende als Stimmen: jede Person wählt mindestens eine Antwort",
      });
  });

export const exchangeLine = z.discriminatedUnion(
  "kind",
  [
    z.object({ kind: z.literal("member"), email, name: displayName, handle, role: z.enum(roles).default("member") }),
    z.object({
      kind: z.literal("category"),
      slug: z
        .string()
        .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "slug: nur Kleinbuchstaben, Ziffern und Bindestriche")
        .max(40),
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
    pollLine,
    z.object({
      kind: z.literal("material"),
      ref,
      type: z.enum(materialTypes),
      title: z.string().trim().min(3, "title braucht mindestens 3 Zeichen").max(160),
      summary: z.string().max(600).default(""),
      body: z.string().max(50_000).default(""),
      /** Paths relative to the NDJSON file. `captions` (a WebVTT file) is our addition to the format. */
      file: z.string().min(1).max(500).nullable().default(null),
      captions: z.string().min(1).max(500).nullable().default(null),
      url: z
        .string()
        .regex(/^https?:\/\/\S+$/, "url muss mit http:// oder https:// beginnen")
        .nullable()
        .default(null),
      transcript: z.string().max(100_000).nullable().default(null),
      tags: z.array(z.string().trim().min(1).max(40)).max(8).default([]),
      publishedAt: isoTime.nullable().default(null),
      reviewDueAt: z.iso
        .date({ error: "reviewDueAt muss ein Datum (JJJJ-MM-TT) sein" })
        .or(isoTime)
        .nullable()
        .default(null),
    }),
  ],
  {
    error: (issue) =>
      issue.code === "invalid_union" ? "kind muss member, category, thread, reply, poll oder material sein" : undefined,
  },
);

export type ExchangeLine = z.infer<typeof exchangeLine>;
