import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Field, FormError, SelectField } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { RichTextField } from "../components/editor/RichTextField.tsx";
import { SimilarContent } from "../components/search/SimilarContent.tsx";
import { useDraftSaver } from "../components/discussions/useDraftSaver.ts";
import { isModerator } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { listCategories } from "../models/community/categories.server.ts";
import { bodyWithPictureFromForm } from "../models/images/formPicture.server.ts";
import { createThread } from "../models/discussions/threads.server.ts";
import { draftStampFromForm, getDrafts } from "../models/discussions/drafts.server.ts";
import { InputError } from "../models/errors.server.ts";
import { keptValues, parseForm } from "../schemas/form.ts";
import type { RichDoc } from "../domain/richtext/types.ts";
import { threadFormSchema } from "../schemas/discussions.ts";
import { parsePollFields, rawFields } from "../schemas/polls.ts";
import { PollFields } from "../components/discussions/PollFields.tsx";
import { TITLE_MAX } from "../domain/discussions/types.ts";
import { threadTypeLabels, threadTypes } from "../domain/discussions/types.ts";
import { audiences, competenceAreas, ilbSteps, legalDomainTags, options } from "../domain/taxonomy.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Neue Diskussion", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const [categories, drafts] = await Promise.all([listCategories(), getDrafts(actor, ["thread:new"])]);
  return {
    categories,
    moderator: isModerator(actor),
    draft: (drafts["thread:new"] ?? null) as Record<string, unknown> | null,
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const form = parseForm(threadFormSchema, formData);
  // The text, and the picture of the plain form (without JavaScript) appended to it.
  const body = await bodyWithPictureFromForm(actor, formData, "body");
  const poll = parsePollFields(rawFields(formData), new Date());
  const values = keptValues(formData);
  const picture = body.picture;
  const errors = { ...(form.ok ? {} : form.errors), ...(body.ok ? {} : body.errors), ...(poll.ok ? {} : poll.errors) };
  if (!form.ok || !body.ok || !poll.ok)
    return data({ errors, values, picture }, { status: body.ok ? 400 : body.status });
  try {
    const { id } = await createThread(actor, {
      categorySlug: form.data.category,
      type: form.data.type,
      title: form.data.title,
      body: body.body,
      anonymous: form.data.anonymous,
      ilbStep: form.data.ilbStep,
      competenceArea: form.data.competenceArea,
      audience: form.data.audience,
      legalDomain: form.data.legalDomain,
      tags: form.data.tags,
      draft: draftStampFromForm(formData),
      poll: poll.poll,
    });
    return redirect(`/diskussionen/${id}`);
  } catch (error) {
    if (error instanceof InputError)
      return data({ errors: { [error.field]: error.message }, values, picture }, { status: 400 });
    throw error;
  }
}

export default function NewThread() {
  const { categories, moderator, draft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [params] = useSearchParams();
  const busy = useNavigation().state === "submitting";
  const errors: Record<string, string> = result?.errors ?? {};
  const values = (result?.values ?? draft?.fields ?? {}) as Record<string, string>;
  const saveDraft = useDraftSaver("thread:new");
  // Only a draft from an earlier visit counts as restored (read once, not again for the text being typed now).
  const [restored] = useState(!!draft);
  const types = threadTypes.filter((t) => moderator || (t !== "impulse" && t !== "announcement"));
  const bodyDoc = values.bodyJson ? safeParse(values.bodyJson) : ((draft?.doc ?? null) as RichDoc | null);
  // The title as typed, for "ask before you post".
  const [title, setTitle] = useState(values.title ?? "");
  return (
    <div className="page page--form page--form-similar">
      <p className="breadcrumb">
        <Link to="/diskussionen">Diskussionen</Link> › Neu
      </p>
      <h1>Neue Diskussion</h1>
      <p className="lead">
        Frag nach, teile, was funktioniert, oder erzähl von einem Erfolg. Bitte keine Namen oder Daten von Lernenden.
      </p>
      {Object.keys(errors).length > 0 ? <FormError message="Bitte prüfe die markierten Angaben." /> : null}
      {restored && !result ? (
        <p className="notice" role="status">
          Dein Entwurf von vorhin ist wiederhergestellt.
        </p>
      ) : null}
      <div className="similar-layout">
        <Form method="post" encType="multipart/form-data" className="form card" noValidate>
          <SelectField
            name="type"
            label="Art des Beitrags"
            options={types.map((t) => ({ value: t, label: threadTypeLabels[t] }))}
            defaultValue={values.type ?? "question"}
            error={errors.type}
          />
          <Field
            name="title"
            label="Titel"
            required
            maxLength={TITLE_MAX}
            defaultValue={values.title}
            onChange={(e) => setTitle(e.target.value)}
            error={errors.title}
            hint="Eine kurze, genaue Überschrift hilft anderen beim Finden."
          />
          <SelectField
            name="category"
            label="Themenraum"
            options={[
              { value: "", label: "Bitte wählen" },
              ...categories.map((c) => ({ value: c.slug, label: c.name })),
            ]}
            defaultValue={values.category ?? params.get("raum") ?? ""}
            error={errors.category}
          />
          <RichTextField
            name="body"
            label="Text"
            initialDoc={bodyDoc}
            initialText={values.body}
            error={errors.body}
            hint="Du kannst @Kurznamen erwähnen. Ohne JavaScript: Leerzeile für einen neuen Absatz, **fett**, *kursiv*, - für Listen."
            mentionSource="/api/v1/members"
            onDraft={(doc, stamp, empty) =>
              saveDraft(empty && !title.trim() ? null : { doc, fields: collectFields() }, stamp)
            }
            rows={10}
            plainPicture={{ kept: result?.picture ?? null, alt: values.bodyBildAlt, error: errors.bodyBild }}
          />
          <fieldset className="field-group">
            <legend>Einordnung (freiwillig)</legend>
            <div className="grid grid--tight">
              <SelectField
                name="ilbStep"
                label="iLB-Schritt"
                options={options(ilbSteps)}
                defaultValue={values.ilbStep ?? ""}
                error={errors.ilbStep}
              />
              <SelectField
                name="competenceArea"
                label="Kompetenzbereich"
                options={options(competenceAreas)}
                defaultValue={values.competenceArea ?? ""}
                error={errors.competenceArea}
              />
              <SelectField
                name="audience"
                label="Zielgruppe"
                options={options(audiences)}
                defaultValue={values.audience ?? ""}
                error={errors.audience}
              />
              <SelectField
                name="legalDomain"
                label="Rechtskreis"
                options={options(legalDomainTags)}
                defaultValue={values.legalDomain ?? ""}
                error={errors.legalDomain}
              />
            </div>
            <Field
              name="tags"
              label="Schlagwörter"
              defaultValue={values.tags}
              error={errors.tags}
              hint="Mit Komma getrennt, z. B. eAkte, Lernvereinbarung"
            />
          </fieldset>
          <PollFields values={values} errors={errors} />
          <div className="checkbox">
            <input
              type="checkbox"
              id="anonymous"
              name="anonymous"
              defaultChecked={values.anonymous === "on"}
              aria-describedby="anonymous-hinweis"
            />
            <label htmlFor="anonymous">Anonym veröffentlichen</label>
            <p id="anonymous-hinweis" className="field__hint">
              Andere Mitglieder sehen deinen Namen nicht. Die Moderation kann ihn bei Bedarf einsehen; das wird
              protokolliert. Gilt für Fragen, Best Practice und Erfolgsgeschichten.
            </p>
          </div>
          <div>
            <button type="submit" className="button" disabled={busy}>
              {busy ? "Wird veröffentlicht …" : "Veröffentlichen"}
            </button>
          </div>
        </Form>
        <SimilarContent text={title} />
      </div>
    </div>
  );
}

function safeParse(json: string): RichDoc | null {
  try {
    return JSON.parse(json) as RichDoc;
  } catch {
    return null;
  }
}

/** The form's other fields go into the draft too, so a returning member finds title and room again. */
function collectFields(): Record<string, string> {
  const form = document.querySelector<HTMLFormElement>("form.card");
  if (!form) return {};
  const fields: Record<string, string> = {};
  for (const [k, v] of new FormData(form)) if (typeof v === "string" && k !== "bodyJson" && k !== "body") fields[k] = v;
  return fields;
}
