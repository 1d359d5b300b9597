import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { ModerationNav } from "../components/ModerationNav.tsx";
import { formatDateTime } from "../domain/time.ts";
import { can } from "../auth/permissions.ts";
import { requireUser } from "../auth/session.server.ts";
import { dismissFlags, listOpenFlags, setPostHidden } from "../models/discussions/moderation.server.ts";
import { InputError, inputErrorResponse } from "../models/errors.server.ts";
import { listAccessibilityFeedback, setFeedbackHandled } from "../models/community/feedback.server.ts";
import { AccessibilityFeedback } from "../components/moderation/AccessibilityFeedback.tsx";
import "../styles/moderation.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Meldungen – Moderation", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  if (!can(actor, "hide")) throw data(null, { status: 403 });
  const [flags, feedback] = await Promise.all([listOpenFlags(actor), listAccessibilityFeedback(actor)]);
  return { flags, feedback };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const form = await request.formData();
  const intent = form.get("intent");
  const postId = String(form.get("postId") ?? "");
  try {
    switch (intent) {
      case "hide":
        await setPostHidden(actor, postId, true);
        return { message: "Der Beitrag ist ausgeblendet. Mitglieder sehen ihn nicht mehr." };
      case "dismiss":
        await dismissFlags(actor, postId);
        return { message: "Die Meldung ist verworfen. Der Beitrag bleibt sichtbar." };
      case "feedback-handled":
        await setFeedbackHandled(actor, form.get("feedbackId"), true);
        return { message: "Die Rückmeldung ist als beantwortet markiert." };
      case "feedback-open":
        await setFeedbackHandled(actor, form.get("feedbackId"), false);
        return { message: "Die Rückmeldung ist wieder offen." };
      default:
        throw new InputError("form", "Diese Aktion gibt es hier nicht.");
    }
  } catch (error) {
    return inputErrorResponse(error);
  }
}

export default function Flags() {
  const { flags, feedback } = useLoaderData<typeof loader>();
  // The handled report leaves the list (and the focused button with it): say what happened.
  const result = useActionData<typeof action>() as { message?: string; errors?: Record<string, string> } | undefined;
  return (
    <div className="page">
      <h1>Moderation</h1>
      <ModerationNav openFlags={flags.length} />
      {result?.message ? (
        <p className="notice notice--ok" role="status">
          {result.message}
        </p>
      ) : null}
      {result?.errors ? (
        <p className="notice notice--error" role="alert">
          {Object.values(result.errors)[0]}
        </p>
      ) : null}
      <h2>Offene Meldungen</h2>
      {flags.length === 0 ? (
        <p className="empty">Keine offenen Meldungen. Danke fürs Kümmern!</p>
      ) : (
        <ul className="plain-list">
          {flags.map((f) => (
            <li key={f.id} className="card">
              <p className="hint">
                Gemeldet {formatDateTime(f.createdAt)}
                {f.reporterName ? ` von ${f.reporterName}` : ""} in{" "}
                <Link to={`/diskussionen/${f.threadId}#beitrag-${f.postId}`}>{f.threadTitle}</Link>
              </p>
              <p>
                <strong>Grund:</strong> {f.reason}
              </p>
              <blockquote className="prose">{f.excerpt}</blockquote>
              <div className="form__actions">
                {f.postHidden ? (
                  <span className="badge badge--warning">Bereits ausgeblendet</span>
                ) : (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="hide" />
                    <input type="hidden" name="postId" value={f.postId} />
                    <button type="submit" className="button">
                      Beitrag ausblenden
                    </button>
                  </Form>
                )}
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="dismiss" />
                  <input type="hidden" name="postId" value={f.postId} />
                  <button type="submit" className="button button--quiet">
                    Meldung verwerfen
                  </button>
                </Form>
              </div>
            </li>
          ))}
        </ul>
      )}
      <AccessibilityFeedback open={feedback.open} handled={feedback.handled} />
    </div>
  );
}
