import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { FormError, TextareaField } from "../components/Field.tsx";
import { pageTitle } from "../components/meta.ts";
import { requireUser } from "../auth/session.server.ts";
import { flagPost, FLAG_REASON_MAX } from "../models/discussions/moderation.server.ts";
import { postQuote } from "../models/discussions/posts.server.ts";
import { inputErrorResponse } from "../models/errors.server.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Beitrag melden", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const quote = await postQuote(actor, params.id ?? "", params.postId ?? "", "flag");
  if (!quote) throw data(null, { status: 404 });
  // The limit lives in a server module; the page gets it as data (importing it there breaks the client build).
  return {
    threadId: params.id!,
    postId: params.postId!,
    excerpt: quote.text.slice(0, 300),
    reasonMax: FLAG_REASON_MAX,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const reason = String((await request.formData()).get("reason") ?? "");
  const allowed = await postQuote(actor, params.id ?? "", params.postId ?? "", "flag");
  if (!allowed) throw data(null, { status: 404 });
  try {
    await flagPost(actor, params.postId ?? "", reason);
    return { done: true as const };
  } catch (error) {
    return inputErrorResponse(error, { reason: reason.slice(0, FLAG_REASON_MAX + 100) });
  }
}

export default function FlagPost() {
  const { threadId, postId, excerpt, reasonMax } = useLoaderData<typeof loader>();
  const result = useActionData<{ done?: true; errors?: Record<string, string>; values?: Record<string, string> }>();
  const busy = useNavigation().state === "submitting";
  const back = `/diskussionen/${threadId}#beitrag-${postId}`;
  if (result?.done) {
    return (
      <div className="page page--narrow">
        <h1>Danke für deine Meldung</h1>
        <p className="notice notice--ok" role="status">
          Die Moderation sieht sich den Beitrag an. Wer gemeldet hat, erfährt außer der Moderation niemand.
        </p>
        <p>
          <Link to={back}>Zurück zur Diskussion</Link>
        </p>
      </div>
    );
  }
  return (
    <div className="page page--narrow">
      <h1>Beitrag melden</h1>
      <blockquote className="reply-target">{excerpt}</blockquote>
      <p>
        Melde Beiträge, die Namen oder Daten von Lernenden enthalten, verletzend sind oder nicht ins Netzwerk gehören.
      </p>
      <FormError message={result?.errors?.form} />
      <Form method="post" className="form card">
        <TextareaField
          name="reason"
          label="Was ist an diesem Beitrag nicht in Ordnung?"
          required
          rows={4}
          maxLength={reasonMax}
          defaultValue={result?.values?.reason}
          error={result?.errors?.reason}
        />
        <div className="form__actions">
          <button type="submit" className="button" disabled={busy}>
            Meldung senden
          </button>
          <Link to={back}>Abbrechen</Link>
        </div>
      </Form>
    </div>
  );
}
