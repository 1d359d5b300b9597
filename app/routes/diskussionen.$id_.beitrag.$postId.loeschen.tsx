import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { requireUser } from "../auth/session.server.ts";
import { deletePost, postQuote } from "../models/discussions/posts.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Beitrag löschen", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const quote = await postQuote(actor, params.id ?? "", params.postId ?? "", "delete");
  if (!quote) throw data(null, { status: 404 });
  return { threadId: params.id!, postId: params.postId!, excerpt: quote.text.slice(0, 300) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const allowed = await postQuote(actor, params.id ?? "", params.postId ?? "", "delete");
  if (!allowed) throw data(null, { status: 404 });
  try {
    const result = await deletePost(actor, params.postId ?? "");
    return redirect(result.threadDeleted ? "/diskussionen?geloescht=1" : `/diskussionen/${result.threadId}`);
  } catch (error) {
    return inputErrorResponse(error);
  }
}

/** Deleting needs a confirmation: this page is it (it works without JavaScript too). */
export default function DeletePost() {
  const { threadId, postId, excerpt } = useLoaderData<typeof loader>();
  const result = useActionData<{ errors?: Record<string, string> }>();
  return (
    <div className="page page--narrow">
      <h1>Beitrag löschen?</h1>
      <blockquote className="reply-target">{excerpt}</blockquote>
      <p>
        Gelöscht ist gelöscht: Das lässt sich nicht rückgängig machen. Hat jemand schon auf den Beitrag geantwortet,
        bleibt an seiner Stelle der Hinweis „gelöscht“ stehen, damit die Antworten verständlich bleiben.
      </p>
      <FormError message={result?.errors ? Object.values(result.errors)[0] : undefined} />
      <Form method="post" className="form__actions">
        <button type="submit" className="button button--danger">
          Endgültig löschen
        </button>
        <Link to={`/diskussionen/${threadId}#beitrag-${postId}`}>Abbrechen</Link>
      </Form>
    </div>
  );
}
