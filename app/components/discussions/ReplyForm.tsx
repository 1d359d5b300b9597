import { Form, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { RichTextField } from "../editor/RichTextField.tsx";
import type { PlainPictureProps } from "../editor/PlainPicture.tsx";
import type { RichDoc } from "../../domain/richtext/types.ts";
import { useDraftSaver } from "./useDraftSaver.ts";
import { markOwnReply } from "./useThreadLive.ts";

/**
 * Reply to the thread (parentId null) or to a post. Without JavaScript it is a plain form with a textarea.
 * `restored` says the text comes from a draft saved on an earlier visit; after a successful send the form starts
 * empty again.
 */
export function ReplyForm({
  threadId,
  parentId,
  initialDoc,
  initialText,
  restored,
  error,
  picture,
  autoFocus,
}: {
  threadId: string;
  parentId: string | null;
  initialDoc?: RichDoc | null;
  initialText?: string;
  restored?: boolean;
  error?: string;
  /** The picture fields without JavaScript, after a refused send: the kept picture, its description, its message. */
  picture?: PlainPictureProps;
  autoFocus?: boolean;
}) {
  const navigation = useNavigation();
  const mine =
    navigation.formData?.get("intent") === "reply" && (navigation.formData?.get("parentId") || null) === parentId;
  const busy = navigation.state === "submitting" && mine;
  const draftKey = `reply:${threadId}:${parentId ?? "thread"}`;
  const saveDraft = useDraftSaver(draftKey);
  const fieldName = parentId ? `body-${parentId}` : "body";
  // Each successful send starts a new, empty form (and forgets that the first text was a restored draft).
  const [sent, setSent] = useState(0);
  const sending = useRef(false);
  useEffect(() => {
    if (navigation.state !== "idle" && mine) sending.current = true;
    else if (navigation.state === "idle" && sending.current) {
      sending.current = false;
      if (!error) setSent((n) => n + 1);
    }
  }, [navigation.state, mine, error]);
  const fresh = sent > 0;
  // Read once: a reload of the page's data while the member types (a live update) brings their own autosave along.
  const [restoredAtStart] = useState(!!restored);
  return (
    <Form
      key={sent}
      method="post"
      encType="multipart/form-data"
      className="reply-form form"
      preventScrollReset
      onSubmit={markOwnReply}
    >
      <input type="hidden" name="intent" value="reply" />
      <input type="hidden" name="parentId" value={parentId ?? ""} />
      {restoredAtStart && !fresh ? (
        <p className="notice" role="status">
          Dein Entwurf von vorhin ist wiederhergestellt.
        </p>
      ) : null}
      <RichTextField
        name="body"
        id={fieldName}
        label="Deine Antwort"
        initialDoc={fresh ? null : (initialDoc ?? null)}
        initialText={fresh ? "" : initialText}
        error={error}
        mentionSource="/api/v1/members"
        onDraft={(doc, stamp, empty) => saveDraft(empty ? null : { doc }, stamp)}
        autoFocus={autoFocus && !fresh}
        rows={5}
        plainPicture={fresh || !picture ? { kept: null } : picture}
      />
      <div className="checkbox">
        <input type="checkbox" id={`${fieldName}-anonym`} name="anonymous" />
        <label htmlFor={`${fieldName}-anonym`}>Anonym antworten</label>
      </div>
      <div className="form__actions">
        <button type="submit" className="button" disabled={busy}>
          {busy ? "Wird gesendet …" : "Antwort senden"}
        </button>
      </div>
    </Form>
  );
}
