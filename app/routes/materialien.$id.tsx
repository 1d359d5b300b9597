import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { formatBytes } from "../components/format.ts";
import { formatDate } from "../domain/time.ts";
import { MediaPlayer } from "../components/library/MediaPlayer.tsx";
import { requireUser } from "../auth/session.server.ts";
import { getMaterial, markReviewed, setMaterialStatus } from "../models/library/materials.server.ts";
import { podcastFormatHint } from "../models/library/audioFacts.server.ts";
import { isMaterialBookmarked, setBookmark } from "../models/bookmarks/bookmarks.server.ts";
import { BookmarkToggle } from "../components/bookmarks/BookmarkToggle.tsx";
import { inputErrorResponse } from "../models/errors.server.ts";
import {
  materialStatusLabels,
  materialStatuses,
  materialTypeLabels,
  type MaterialStatus,
} from "../domain/library/types.ts";
import { audiences, competenceAreas, ilbSteps } from "../domain/taxonomy.ts";
import "../styles/library.css";

export const meta = ({ data, matches }: MetaArgs<typeof loader>) =>
  pageTitle(data?.material.title ?? "Material", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  // The service worker's copy for offline reading (ADR 038) is no view.
  const countView = request.method === "GET" && request.headers.get("x-offline-copy") !== "1";
  const found = await getMaterial(actor, params.id ?? "", { countView });
  if (!found) throw data(null, { status: 404 });
  const { material: m, files, suggesterName, may } = found;
  const bookmarked = await isMaterialBookmarked(actor, m.id);
  return {
    bookmarked,
    material: {
      id: m.id,
      type: m.type,
      status: m.status,
      title: m.title,
      summary: m.summary,
      bodyHtml: m.bodyHtml,
      transcript: m.transcript,
      ilbStep: m.ilbStep,
      competenceArea: m.competenceArea,
      audience: m.audience,
      tags: m.tags,
      source: m.source,
      licence: m.licence,
      externalUrl: m.externalUrl,
      publishedAt: m.publishedAt,
      lastReviewedAt: m.lastReviewedAt,
      reviewDueAt: m.reviewDueAt,
      discussionThreadId: m.discussionThreadId,
      viewCount: may.curate ? m.viewCount : null,
      downloadCount: may.curate ? m.downloadCount : null,
    },
    files,
    suggesterName,
    may,
    // Moderators learn before (and after) publishing when the podcast's audio will not play in common podcast apps.
    podcastHint:
      may.curate && m.type === "podcast" ? (files.map((f) => podcastFormatHint(f.mime)).find(Boolean) ?? null) : null,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const form = await request.formData();
  const id = params.id ?? "";
  try {
    if (form.get("intent") === "bookmark") {
      return { bookmarked: await setBookmark(actor, "material", id, form.get("on") === "1") };
    }
    if (form.get("intent") === "reviewed") {
      const next = String(form.get("reviewDueAt") ?? "");
      await markReviewed(actor, id, /^\d{4}-\d{2}-\d{2}$/.test(next) ? next : null);
      return { message: "Als geprüft markiert." };
    }
    const status = String(form.get("status") ?? "") as MaterialStatus;
    if (!materialStatuses.includes(status)) return data({ errors: { status: "Unbekannter Status." } }, { status: 400 });
    await setMaterialStatus(actor, id, status);
    return redirect(`/materialien/${id}`);
  } catch (error) {
    return inputErrorResponse(error);
  }
}

const transitions: Record<MaterialStatus, { to: MaterialStatus; label: string }[]> = {
  draft: [
    { to: "review", label: "Zur Prüfung geben" },
    { to: "published", label: "Veröffentlichen" },
  ],
  review: [
    { to: "published", label: "Veröffentlichen" },
    { to: "draft", label: "Zurück zum Entwurf" },
  ],
  published: [{ to: "archived", label: "Archivieren" }],
  archived: [{ to: "published", label: "Wieder veröffentlichen" }],
};

export default function MaterialPage() {
  const { material: m, files, suggesterName, may, bookmarked, podcastHint } = useLoaderData<typeof loader>();
  const result = useActionData<{ errors?: Record<string, string>; message?: string }>();
  // materialien.neu sends a member here after suggesting: say where the suggestion went.
  const suggested = useSearchParams()[0].get("vorgeschlagen") === "1" && m.status === "review";
  const captions = files.filter((f) => f.kind === "captions");
  const media = files.find((f) => f.kind === "video" || f.kind === "audio");
  const taxonomy = [
    m.ilbStep ? ilbSteps[m.ilbStep as keyof typeof ilbSteps] : null,
    m.competenceArea ? competenceAreas[m.competenceArea as keyof typeof competenceAreas] : null,
    m.audience ? audiences[m.audience as keyof typeof audiences] : null,
  ].filter(Boolean) as string[];
  return (
    <div className="page material">
      <p className="breadcrumb">
        <Link to="/materialien">Materialien</Link> › {materialTypeLabels[m.type]}
      </p>
      <p>
        <span className="badge">{materialTypeLabels[m.type]}</span>
        {m.status !== "published" ? (
          <span className="badge badge--warning">{materialStatusLabels[m.status]}</span>
        ) : null}
      </p>
      <h1>{m.title}</h1>
      {m.summary ? <p className="lead">{m.summary}</p> : null}
      <BookmarkToggle bookmarked={bookmarked} what="Material" />
      {result?.errors ? (
        <p className="notice notice--error" role="alert">
          {Object.values(result.errors)[0]}
        </p>
      ) : null}
      {suggested ? (
        <p className="notice notice--ok" role="status">
          Danke für deinen Vorschlag! Er ist bei der Moderation, die ihn prüft und in die Bibliothek stellt.
        </p>
      ) : null}
      {result?.message ? (
        <p className="notice notice--ok" role="status">
          {result.message}
        </p>
      ) : null}

      {media ? <MediaPlayer file={media} captions={captions} title={m.title} /> : null}
      {files.some((f) => f.kind === "image") ? (
        <div className="material__images">
          {files
            .filter((f) => f.kind === "image")
            .map((f) => (
              <img key={f.id} src={`/dateien/${f.id}`} alt={`Abbildung zu „${m.title}“`} loading="lazy" />
            ))}
        </div>
      ) : null}
      {m.bodyHtml ? <div className="prose card" dangerouslySetInnerHTML={{ __html: m.bodyHtml }} /> : null}

      {m.transcript ? (
        <section aria-labelledby="transkript-titel" className="card">
          <h2 id="transkript-titel">Transkript</h2>
          <div className="transcript">
            {m.transcript.split(/\n{2,}/).map((p, i) => (
              <p key={i}>{p}</p>
            ))}
          </div>
        </section>
      ) : null}

      <section aria-labelledby="dateien-titel">
        <h2 id="dateien-titel">Dateien und Links</h2>
        {files.length === 0 && !m.externalUrl ? <p className="hint">Zu diesem Material gibt es keine Datei.</p> : null}
        <ul className="plain-list">
          {files.map((f) => (
            <li key={f.id}>
              <a
                href={`/dateien/${f.id}/${encodeURIComponent(f.originalName)}`}
                download={f.kind === "document" ? f.originalName : undefined}
              >
                {f.originalName}
              </a>{" "}
              <span className="hint">
                ({f.kind === "captions" ? "Untertitel, " : ""}
                {formatBytes(f.size)})
              </span>
            </li>
          ))}
          {m.externalUrl ? (
            <li>
              <a href={m.externalUrl} rel="noopener noreferrer">
                Zum Material (externer Link)
              </a>
            </li>
          ) : null}
        </ul>
      </section>

      <section aria-labelledby="info-titel" className="card">
        <h2 id="info-titel">Über dieses Material</h2>
        <dl className="facts">
          {taxonomy.length ? (
            <>
              <dt>Einordnung</dt>
              <dd>{taxonomy.join(" · ")}</dd>
            </>
          ) : null}
          {m.tags.length ? (
            <>
              <dt>Themen</dt>
              <dd>
                {m.tags.map((t, i) => (
                  <span key={t}>
                    {i > 0 ? ", " : ""}
                    <Link to={`/materialien?thema=${encodeURIComponent(t)}`}>#{t}</Link>
                  </span>
                ))}
              </dd>
            </>
          ) : null}
          {m.source ? (
            <>
              <dt>Quelle</dt>
              <dd>{m.source}</dd>
            </>
          ) : null}
          {m.licence ? (
            <>
              <dt>Lizenz</dt>
              <dd>{m.licence}</dd>
            </>
          ) : null}
          {m.publishedAt ? (
            <>
              <dt>Veröffentlicht</dt>
              <dd>{formatDate(m.publishedAt)}</dd>
            </>
          ) : null}
          <dt>Zuletzt geprüft</dt>
          <dd>{m.lastReviewedAt ? formatDate(m.lastReviewedAt) : "noch nicht"}</dd>
          {may.curate && m.reviewDueAt ? (
            <>
              <dt>Prüfen bis</dt>
              <dd>{formatDate(m.reviewDueAt)}</dd>
            </>
          ) : null}
          {suggesterName && may.curate ? (
            <>
              <dt>Vorgeschlagen von</dt>
              <dd>{suggesterName}</dd>
            </>
          ) : null}
          {may.curate && m.viewCount !== null ? (
            <>
              <dt>Nutzung (gesamt)</dt>
              <dd>
                {m.viewCount} Aufrufe, {m.downloadCount} Downloads
              </dd>
            </>
          ) : null}
        </dl>
      </section>

      {m.discussionThreadId ? (
        <p>
          <Link to={`/diskussionen/${m.discussionThreadId}`} className="button button--quiet">
            Fragen und Erfahrungen zu diesem Material
          </Link>
        </p>
      ) : null}

      {may.edit || may.curate ? (
        <section aria-labelledby="verwalten-titel" className="card">
          <h2 id="verwalten-titel">Verwalten</h2>
          {may.edit ? (
            <p>
              <Link to={`/materialien/${m.id}/bearbeiten`}>Bearbeiten</Link>
            </p>
          ) : null}
          {may.curate ? (
            <>
              {podcastHint ? <p className="notice notice--warning">{podcastHint}</p> : null}
              <div className="form__actions">
                {transitions[m.status].map((t) => (
                  <Form method="post" key={t.to} className="inline-form">
                    <input type="hidden" name="status" value={t.to} />
                    <button type="submit" className={t.to === "archived" ? "button button--quiet" : "button"}>
                      {t.label}
                    </button>
                  </Form>
                ))}
              </div>
              {m.status === "published" ? (
                <Form method="post" className="form">
                  <input type="hidden" name="intent" value="reviewed" />
                  <div className="field">
                    <label htmlFor="naechste-pruefung">Nächste Prüfung am (ohne Angabe: in einem Jahr)</label>
                    <input id="naechste-pruefung" type="date" name="reviewDueAt" />
                  </div>
                  <div>
                    <button type="submit" className="button button--quiet">
                      Als geprüft markieren
                    </button>
                  </div>
                </Form>
              ) : null}
            </>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
