/**
 * What the index holds for each thing, read fresh from the database. Everything a member may not read is either
 * left out (deleted) or marked for moderators only (hidden posts and threads, unpublished materials); case
 * consultations are never documents at all.
 */
import { sql } from "drizzle-orm";
import type { DatabaseHandle } from "../db/client.ts";
import type { SearchDocument, SearchKind } from "./engine.ts";
import { pgArray } from "./sql.ts";

export interface DocumentChanges {
  upsert: SearchDocument[];
  remove: string[];
}

const legalDomainLabels: Record<string, string> = { sgb2: "SGB II", sgb3: "SGB III", cross: "rechtskreisübergreifend" };

export function documentKey(kind: SearchKind, id: string): string {
  return `${kind}:${id}`;
}

type Row = Record<string, unknown>;
const text = (v: unknown) => (typeof v === "string" ? v : "");
const textOrNull = (v: unknown) => (typeof v === "string" && v !== "" ? v : null);
const toDate = (v: unknown) => (v instanceof Date ? v : new Date(String(v)));
const day = (v: unknown) =>
  v == null ? null : v instanceof Date ? v.toISOString().slice(0, 10) : String(v).slice(0, 10);

/**
 * Threads with their replies: a thread's title, room, visibility and deletion carry to its replies. With `onlyPosts`
 * just those replies are rebuilt (a new reply should not re-index a long thread).
 */
export async function threadDocuments(
  handle: DatabaseHandle,
  threadIds: string[],
  onlyPosts: string[] | null = null,
): Promise<DocumentChanges> {
  const out: DocumentChanges = { upsert: [], remove: [] };
  if (threadIds.length === 0) return out;
  const threads = await handle.rows<Row>(sql`
    SELECT t.id, t.title, t.type, t.tags, t.ilb_step, t.competence_area, t.audience, t.legal_domain,
      t.accepted_post_id, t.opening_post_id, t.hidden_at, t.deleted_at, t.created_at, c.slug AS room,
      op.body_text AS opening_text
    FROM threads t JOIN categories c ON c.id = t.category_id
    LEFT JOIN posts op ON op.id = t.opening_post_id
    WHERE t.id = ANY(${pgArray(threadIds)}::uuid[])`);
  const posts = await handle.rows<Row>(sql`
    SELECT id, thread_id, body_text, hidden_at, deleted_at, helpful_count, created_at FROM posts
    WHERE thread_id = ANY(${pgArray(threadIds)}::uuid[]) ${onlyPosts ? sql`AND id = ANY(${pgArray(onlyPosts)}::uuid[])` : sql``}`);
  const byThread = new Map<string, Row[]>();
  for (const p of posts) {
    const list = byThread.get(String(p.thread_id)) ?? [];
    list.push(p);
    byThread.set(String(p.thread_id), list);
  }
  const found = new Set(threads.map((t) => String(t.id)));
  for (const id of threadIds) if (!found.has(id)) out.remove.push(documentKey("thread", id));

  for (const t of threads) {
    const id = String(t.id);
    const replies = (byThread.get(id) ?? []).filter((p) => p.id !== t.opening_post_id);
    if (t.deleted_at) {
      out.remove.push(documentKey("thread", id), ...replies.map((p) => documentKey("reply", String(p.id))));
      continue;
    }
    const threadHidden = Boolean(t.hidden_at);
    const tags = Array.isArray(t.tags) ? (t.tags as string[]) : [];
    const facets = {
      room: textOrNull(t.room),
      materialType: null,
      ilbStep: textOrNull(t.ilb_step),
      competenceArea: textOrNull(t.competence_area),
      audience: textOrNull(t.audience),
    };
    const answered = t.type === "question" && t.accepted_post_id != null;
    out.upsert.push({
      key: documentKey("thread", id),
      kind: "thread",
      refId: id,
      visibility: threadHidden ? "moderators" : "members",
      title: text(t.title),
      lead: [...tags, legalDomainLabels[text(t.legal_domain)] ?? ""].join(" "),
      body: text(t.opening_text),
      extra: "",
      url: `/diskussionen/${id}`,
      ...facets,
      answered,
      boost: answered ? 1.25 : 1,
      freshUntil: null,
      date: toDate(t.created_at),
    });
    for (const p of replies) {
      const postId = String(p.id);
      if (p.deleted_at) {
        out.remove.push(documentKey("reply", postId));
        continue;
      }
      const accepted = t.accepted_post_id === postId;
      const helpful = Math.min(Number(p.helpful_count ?? 0), 5);
      out.upsert.push({
        key: documentKey("reply", postId),
        kind: "reply",
        refId: postId,
        visibility: threadHidden || p.hidden_at ? "moderators" : "members",
        title: text(t.title),
        lead: "",
        body: text(p.body_text),
        extra: "",
        url: `/diskussionen/${id}#beitrag-${postId}`,
        ...facets,
        answered: false,
        boost: (accepted ? 1.5 : 1) * (1 + helpful * 0.04),
        freshUntil: null,
        date: toDate(p.created_at),
      });
    }
  }
  return out;
}

/** Replies are rebuilt together with their thread's current state; a reply that no longer exists is removed. */
export async function replyDocuments(handle: DatabaseHandle, postIds: string[]): Promise<DocumentChanges> {
  if (postIds.length === 0) return { upsert: [], remove: [] };
  const rows = await handle.rows<{ id: string; thread_id: string }>(sql`
    SELECT id, thread_id FROM posts WHERE id = ANY(${pgArray(postIds)}::uuid[])`);
  const found = new Set(rows.map((r) => r.id));
  const changes = await threadDocuments(handle, [...new Set(rows.map((r) => r.thread_id))], postIds);
  changes.remove.push(...postIds.filter((id) => !found.has(id)).map((id) => documentKey("reply", id)));
  return changes;
}

export async function materialDocuments(handle: DatabaseHandle, ids: string[]): Promise<DocumentChanges> {
  const out: DocumentChanges = { upsert: [], remove: [] };
  if (ids.length === 0) return out;
  const rows = await handle.rows<Row>(sql`
    SELECT m.id, m.type, m.status, m.title, m.summary, m.body_text, m.transcript, m.tags, m.ilb_step,
      m.competence_area, m.audience, m.source, m.published_at, m.review_due_at, m.created_at,
      (SELECT string_agg(f.text_content, E'\n') FROM material_files f
        WHERE f.material_id = m.id AND f.text_content IS NOT NULL) AS file_text
    FROM materials m WHERE m.id = ANY(${pgArray(ids)}::uuid[])`);
  const found = new Set(rows.map((r) => String(r.id)));
  for (const id of ids) {
    if (!found.has(id)) out.remove.push(documentKey("material", id), documentKey("round", id));
  }
  for (const m of rows) {
    const id = String(m.id);
    const kind: SearchKind = m.type === "round_outcome" ? "round" : "material";
    // A type change between round result and other material moves the document to the other kind.
    out.remove.push(documentKey(kind === "round" ? "material" : "round", id));
    const visible = m.status === "published" || m.status === "archived";
    const tags = Array.isArray(m.tags) ? (m.tags as string[]) : [];
    out.upsert.push({
      key: documentKey(kind, id),
      kind,
      refId: id,
      visibility: visible ? "members" : "moderators",
      title: text(m.title),
      lead: [text(m.summary), ...tags].join(" "),
      body: [text(m.body_text), text(m.source)].filter(Boolean).join("\n"),
      extra: [text(m.transcript), text(m.file_text)].filter(Boolean).join("\n"),
      url: `/materialien/${id}`,
      room: null,
      materialType: text(m.type),
      ilbStep: textOrNull(m.ilb_step),
      competenceArea: textOrNull(m.competence_area),
      audience: textOrNull(m.audience),
      answered: false,
      boost: m.status === "archived" ? 0.6 : 1,
      freshUntil: m.status === "published" ? day(m.review_due_at) : null,
      date: toDate(m.published_at ?? m.created_at),
    });
  }
  return out;
}

/** Only members who opted in to the directory, and only while their account is active. */
export async function memberDocuments(handle: DatabaseHandle, ids: string[]): Promise<DocumentChanges> {
  const out: DocumentChanges = { upsert: [], remove: [] };
  if (ids.length === 0) return out;
  const rows = await handle.rows<Row>(sql`
    SELECT id, display_name, handle, role_text, region, legal_domain, bio, expertise, listed, deactivated_at, created_at
    FROM users WHERE id = ANY(${pgArray(ids)}::uuid[])`);
  const listed = new Set<string>();
  for (const u of rows) {
    if (!u.listed || u.deactivated_at) continue;
    const id = String(u.id);
    listed.add(id);
    out.upsert.push({
      key: documentKey("member", id),
      kind: "member",
      refId: id,
      visibility: "members",
      title: text(u.display_name),
      lead: [
        text(u.role_text),
        text(u.region),
        legalDomainLabels[text(u.legal_domain)] ?? "",
        ...((u.expertise as string[] | null) ?? []),
      ].join(" "),
      body: text(u.bio),
      extra: "",
      url: `/mitglieder/${text(u.handle)}`,
      room: null,
      materialType: null,
      ilbStep: null,
      competenceArea: null,
      audience: null,
      answered: false,
      boost: 1,
      freshUntil: null,
      date: toDate(u.created_at),
    });
  }
  for (const id of ids) if (!listed.has(id)) out.remove.push(documentKey("member", id));
  return out;
}
