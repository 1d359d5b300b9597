import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { ModerationNav } from "../components/ModerationNav.tsx";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import {
  changeCollectionItem,
  getCollection,
  listCollections,
  saveCollection,
} from "../models/library/collections.server.ts";
import { listPublishedTitles } from "../models/library/materials.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";
import { parseForm } from "../schemas/form.ts";
import { collectionSchema } from "../schemas/moderation.ts";
import "../styles/moderation.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Themenpakete – Moderation", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "curate")) throw data(null, { status: 403 });
  const collections = await listCollections();
  const detailed = await Promise.all(
    collections.map(async (c) => ({ ...c, items: (await getCollection(c.slug))?.items ?? [] })),
  );
  return { collections: detailed, materials: await listPublishedTitles() };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  try {
    if (intent === "create") {
      const form = parseForm(collectionSchema, formData);
      if (!form.ok) return data({ errors: form.errors, values: form.values }, { status: 400 });
      await saveCollection(actor, form.data);
      return { message: "Das Themenpaket ist angelegt." };
    }
    const change = intent as "add" | "remove" | "up" | "down";
    if (!["add", "remove", "up", "down"].includes(change))
      return data({ errors: { form: "Unbekannte Aktion." } }, { status: 400 });
    await changeCollectionItem(
      actor,
      String(formData.get("collectionId") ?? ""),
      String(formData.get("materialId") ?? ""),
      change,
    );
    return { message: "Gespeichert." };
  } catch (error) {
    return inputErrorResponse(error);
  }
}

export default function CollectionsDesk() {
  const { collections, materials } = useLoaderData<typeof loader>();
  const result = useActionData<{
    errors?: Record<string, string>;
    values?: Record<string, string>;
    message?: string;
  }>();
  const errors = result?.errors ?? {};
  return (
    <div className="page">
      <h1>Moderation</h1>
      <ModerationNav />
      <h2>Themenpakete</h2>
      {result?.message ? (
        <p className="notice notice--ok" role="status">
          {result.message}
        </p>
      ) : null}
      {errors.materialId || errors.form ? <FormError message={errors.materialId ?? errors.form} /> : null}
      {collections.map((c) => (
        <section key={c.id} className="card" aria-labelledby={`paket-${c.id}`}>
          <h3 id={`paket-${c.id}`}>
            <Link to={`/materialien/themenpakete/${c.slug}`}>{c.title}</Link>
          </h3>
          {c.items.length === 0 ? <p className="hint">Noch leer.</p> : null}
          <ol>
            {c.items.map((item, index) => (
              <li key={item.id}>
                {item.title}{" "}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="collectionId" value={c.id} />
                  <input type="hidden" name="materialId" value={item.id} />
                  <button type="submit" name="intent" value="up" className="link-button" disabled={index === 0}>
                    nach oben<span className="visually-hidden">: {item.title}</span>
                  </button>{" "}
                  <button
                    type="submit"
                    name="intent"
                    value="down"
                    className="link-button"
                    disabled={index === c.items.length - 1}
                  >
                    nach unten<span className="visually-hidden">: {item.title}</span>
                  </button>{" "}
                  <button type="submit" name="intent" value="remove" className="link-button">
                    entfernen<span className="visually-hidden">: {item.title}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ol>
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="add" />
            <input type="hidden" name="collectionId" value={c.id} />
            <label htmlFor={`material-${c.id}`}>Material hinzufügen</label>{" "}
            <select id={`material-${c.id}`} name="materialId">
              {materials.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.title}
                </option>
              ))}
            </select>{" "}
            <button type="submit" className="button button--quiet">
              Hinzufügen
            </button>
          </Form>
        </section>
      ))}
      <section className="card" aria-labelledby="neues-paket">
        <h3 id="neues-paket">Neues Themenpaket</h3>
        <Form method="post" className="form">
          <input type="hidden" name="intent" value="create" />
          <Field name="title" label="Titel" defaultValue={result?.values?.title} error={errors.title} />
          <Field
            name="slug"
            label="Adresse (/materialien/themenpakete/…)"
            defaultValue={result?.values?.slug}
            error={errors.slug}
          />
          <Field
            name="description"
            label="Beschreibung"
            defaultValue={result?.values?.description}
            error={errors.description}
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
