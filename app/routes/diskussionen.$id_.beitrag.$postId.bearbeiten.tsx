import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useState } from "react";
import { Field, FormError } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { RichTextField } from "../components/editor/RichTextField.tsx";
import { requireUser } from "../auth/session.server.ts";
import type { RichDoc } from "../domain/richtext/types.ts";
import { bodyFromForm } from "../models/discussions/body.server.ts";
import { editPost, getPostForEdit } from "../models/discussions/posts.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";
import { draftStampFromForm, getDrafts } from "../models/discussions/drafts.server.ts";
import { useDraftSaver } from "../components/discussions/useDraftSaver.ts";
import { titleSchema } from "../schemas/discussions.ts";
import { keptValues } from "../schemas/form.ts";
import { TITLE_MAX } from "../domain/discussions/types.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Beitrag bearbeiten", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const post = await getPostForEdit(actor, params.postId ?? "");
  if (!post || post.threadId !== params.id) throw data(null, { status: 404 });
  const drafts = await getDrafts(actor, [`edit:${post.postId}`]);
  return { ...post, draft: (drafts[`edit:${post.postId}`] as { doc?: RichDoc } | undefined)?.doc ?? null };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const values = keptValues(formData);
  const body = await bodyFromForm(formData, "body");
  const title = formData.has("title") ? titleSchema.safeParse(formData.get("title")) : null;
  const errors: Record<string, string> = {};
  if (!body.ok) errors.body = body.message;
  if (title && !title.success) errors.title = title.error.issues[0].message;
  if (!body.ok || (title && !title.success)) return data({ errors, values }, { status: 400 });
  try {
    await editPost(actor, params.postId ?? "", {
      body: body.body,
      title: title?.success ? title.data : undefined,
      draft: draftStampFromForm(formData),
    });
  } catch (error) {
    return inputErrorResponse(error, values);
  }
  return redirect(`/diskussionen/${params.id}#beitrag-${params.postId}`);
}

export default function EditPost() {
  const post = useLoaderData<typeof loader>();
  const result = useActionData<{ errors: Record<string, string>; values: Record<string, string> }>();
  const busy = useNavigation().state === "submitting";
  const errors = result?.errors ?? {};
  const keptDoc = result?.values.bodyJson ? parse(result.values.bodyJson) : null;
  const saveDraft = useDraftSaver(`edit:${post.postId}`);
  const [restored] = useState(!!post.draft);
  return (
    <div className="page page--form">
      <p className="breadcrumb">
        <Link to={`/diskussionen/${post.threadId}`}>{post.threadTitle}</Link> › Bearbeiten
      </p>
      <h1>Beitrag bearbeiten</h1>
      <p className="hint">Die bisherige Fassung bleibt als Version erhalten und ist für alle einsehbar.</p>
      {restored && !result ? (
        <p className="notice" role="status">
          Deine ungespeicherten Änderungen von vorhin sind wiederhergestellt.
        </p>
      ) : null}
      {Object.keys(errors).length > 0 ? <FormError message="Bitte prüfe die markierten Angaben." /> : null}
      <Form method="post" className="form card" noValidate>
        {post.isOpening ? (
          <Field
            name="title"
            label="Titel"
            required
            maxLength={TITLE_MAX}
            defaultValue={result?.values.title ?? post.threadTitle}
            error={errors.title}
          />
        ) : null}
        <RichTextField
          name="body"
          label="Text"
          initialDoc={keptDoc ?? (result ? null : (post.draft ?? post.body))}
          initialText={result?.values.body ?? post.text}
          error={errors.body}
          mentionSource="/api/v1/members"
          onDraft={(doc, stamp) => saveDraft({ doc }, stamp)}
          rows={10}
          keepPictures
        />
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            Änderungen speichern
          </button>
          <Link to={`/diskussionen/${post.threadId}#beitrag-${post.postId}`} className="action-link">
            Abbrechen
          </Link>
        </div>
      </Form>
    </div>
  );
}

function parse(json: string): RichDoc | null {
  try {
    return JSON.parse(json) as RichDoc;
  } catch {
    return null;
  }
}
