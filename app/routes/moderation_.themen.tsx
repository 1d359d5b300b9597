import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { ModerationNav } from "../components/ModerationNav.tsx";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { deleteCategory, listCategories, moveCategory, saveCategory } from "../models/community/categories.server.ts";
import { inputErrors } from "../models/errors.server.ts";
import { keptValues, parseForm } from "../schemas/form.ts";
import { categorySchema } from "../schemas/moderation.ts";
import "../styles/moderation.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Themenräume – Moderation", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "manageCategories")) throw data(null, { status: 403 });
  return { categories: await listCategories() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const intent = formData.get("intent");
  const id = String(formData.get("id") ?? "");
  try {
    if (intent === "up" || intent === "down") {
      await moveCategory(actor, id, intent);
      return { ok: true };
    }
    if (intent === "delete") {
      await deleteCategory(actor, id);
      return { ok: true, message: "Der Themenraum ist gelöscht." };
    }
    const form = parseForm(categorySchema, formData);
    if (!form.ok) return data({ id, errors: form.errors, values: form.values }, { status: 400 });
    await saveCategory(actor, id || null, form.data);
    return { ok: true, message: id ? "Gespeichert." : "Der Themenraum ist angelegt." };
  } catch (error) {
    return data({ id, errors: inputErrors(error), values: keptValues(formData) }, { status: 400 });
  }
}

type Result = {
  ok?: boolean;
  message?: string;
  id?: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
};

export default function Categories() {
  const { categories } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const errorsFor = (id: string) => (result?.errors && (result.id ?? "") === id ? result.errors : {});
  const valuesFor = (id: string) => (result?.errors && (result.id ?? "") === id ? (result.values ?? {}) : {});
  return (
    <div className="page">
      <h1>Moderation</h1>
      <ModerationNav />
      <h2>Themenräume</h2>
      {result?.message ? (
        <p className="notice notice--ok" role="status">
          {result.message}
        </p>
      ) : null}
      <ol className="plain-list">
        {categories.map((c, index) => {
          const errors = errorsFor(c.id);
          const values = valuesFor(c.id);
          return (
            <li key={c.id} className="card">
              <h3>{c.name}</h3>
              <FormError message={errors.form} />
              <details open={Object.keys(errors).length > 0}>
                <summary>Bearbeiten</summary>
                <Form method="post" className="form">
                  <input type="hidden" name="id" value={c.id} />
                  <Field
                    name="name"
                    id={`name-${c.id}`}
                    label="Name"
                    defaultValue={values.name ?? c.name}
                    error={errors.name}
                  />
                  <Field
                    name="slug"
                    id={`slug-${c.id}`}
                    label="Adresse (/themen/…)"
                    defaultValue={values.slug ?? c.slug}
                    error={errors.slug}
                  />
                  <Field
                    name="description"
                    id={`beschreibung-${c.id}`}
                    label="Beschreibung"
                    defaultValue={values.description ?? c.description}
                    error={errors.description}
                  />
                  <div>
                    <button type="submit" className="button">
                      Speichern
                    </button>
                  </div>
                </Form>
              </details>
              <div className="form__actions">
                <Form method="post" className="inline-form">
                  <input type="hidden" name="id" value={c.id} />
                  <button
                    type="submit"
                    name="intent"
                    value="up"
                    className="button button--quiet"
                    disabled={index === 0}
                  >
                    Nach oben<span className="visually-hidden">: {c.name}</span>
                  </button>{" "}
                  <button
                    type="submit"
                    name="intent"
                    value="down"
                    className="button button--quiet"
                    disabled={index === categories.length - 1}
                  >
                    Nach unten<span className="visually-hidden">: {c.name}</span>
                  </button>
                </Form>
                <details className="confirm">
                  <summary>Löschen</summary>
                  <Form method="post" className="confirm__body">
                    <input type="hidden" name="id" value={c.id} />
                    <p>„{c.name}“ löschen? Das geht nur, wenn der Raum leer ist.</p>
                    <button type="submit" name="intent" value="delete" className="button button--danger">
                      Endgültig löschen
                    </button>
                  </Form>
                </details>
              </div>
            </li>
          );
        })}
      </ol>
      <section className="card" aria-labelledby="neu-titel">
        <h2 id="neu-titel">Neuer Themenraum</h2>
        <Form method="post" className="form">
          <Field name="name" id="name-neu" label="Name" defaultValue={valuesFor("").name} error={errorsFor("").name} />
          <Field
            name="slug"
            id="slug-neu"
            label="Adresse (/themen/…)"
            defaultValue={valuesFor("").slug}
            error={errorsFor("").slug}
            hint="z. B. ki-im-arbeitsalltag"
          />
          <Field
            name="description"
            id="beschreibung-neu"
            label="Beschreibung"
            defaultValue={valuesFor("").description}
            error={errorsFor("").description}
          />
          <div>
            <button type="submit" className="button">
              Anlegen
            </button>
          </div>
        </Form>
      </section>
    </div>
  );
}
