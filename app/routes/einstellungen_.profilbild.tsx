import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";
import { pageTitle } from "../components/meta.ts";
import { FormError } from "../components/Field.tsx";
import { Avatar } from "../components/Avatar.tsx";
import { PictureCropper } from "../components/avatars/PictureCropper.tsx";
import { requireUser } from "../auth/session.server.ts";
import { getUser } from "../models/accounts/users.server.ts";
import {
  changeCrop,
  ownPicture,
  pictureMaxBytes,
  pictureMessages,
  removeProfilePicture,
  setProfilePicture,
} from "../models/avatars/pictures.server.ts";
import { CENTRE } from "../domain/avatars/avatars.ts";
import { cropOf, cropSchema } from "../schemas/avatars.ts";
import { parseForm } from "../schemas/form.ts";
import "../styles/account.css";

export const meta: MetaFunction = ({ matches }) => pageTitle("Profilbild", matches);

export async function loader({ request, context }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  const [user, picture] = await Promise.all([getUser(actor.id), ownPicture(actor)]);
  if (!user) throw data(null, { status: 404 });
  return {
    face: { id: user.id, name: user.displayName, picture: picture?.stamp ?? null },
    picture,
    maxMb: pictureMaxBytes() / 1024 / 1024,
  };
}

/** Success, or the error contract's refusal (errors by field, and the values with the intent that was sent). */
type Result =
  | { ok: true; done: "upload" | "crop" | "remove" }
  | { ok?: undefined; errors: Record<string, string>; values?: Record<string, string> };

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "remove") {
    await removeProfilePicture(actor);
    return data<Result>({ ok: true, done: "remove" });
  }
  if (intent !== "upload" && intent !== "crop") throw data("Unbekannte Aktion", { status: 400 });
  const form = parseForm(cropSchema, formData);
  if (!form.ok) return data<Result>({ errors: { picture: Object.values(form.errors)[0] }, values: { intent } }, 400);
  // Refusals of the model (InputError: type, size, pixels, unreadable) become the same 400 through the boundary.
  if (intent === "crop") {
    await changeCrop(actor, cropOf(form.data));
    return data<Result>({ ok: true, done: "crop" });
  }
  const file = formData.get("picture");
  if (!file || typeof file === "string" || file.size === 0)
    return data<Result>({ errors: { picture: pictureMessages.missing }, values: { intent } }, 400);
  await setProfilePicture(actor, { bytes: new Uint8Array(await file.arrayBuffer()), crop: cropOf(form.data) });
  return data<Result>({ ok: true, done: "upload" });
}

const doneText = {
  upload: "Dein Profilbild ist gespeichert.",
  crop: "Der neue Ausschnitt ist gespeichert.",
  remove: "Dein Profilbild ist entfernt. Jetzt zeigen wir deine Initialen.",
};

/** The picture the member just chose, read in the browser (never sent anywhere before they save). */
function useChosenImage() {
  const [chosen, setChosen] = useState<{ url: string; width: number; height: number } | null>(null);
  useEffect(() => () => void (chosen && URL.revokeObjectURL(chosen.url)), [chosen]);
  function choose(file: File | undefined) {
    if (!file) return setChosen(null);
    const url = URL.createObjectURL(file);
    const img = new Image();
    img.onload = () => setChosen({ url, width: img.naturalWidth, height: img.naturalHeight });
    // Not an image the browser can show: the server will say what is wrong after saving.
    img.onerror = () => setChosen(null);
    img.src = url;
  }
  return { chosen, choose, clear: () => setChosen(null) };
}

export default function ProfilePicture() {
  const { face, picture, maxMb } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as Result | undefined;
  const busy = useNavigation().state === "submitting";
  const { chosen, choose, clear } = useChosenImage();
  const error = (form: "upload" | "crop") =>
    result && !result.ok && result.values?.intent === form ? (result.errors.picture ?? result.errors.form) : undefined;
  useEffect(() => {
    if (result?.ok) clear();
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [result]);
  const uploadError = error("upload");
  return (
    <div className="page page--narrow">
      <p className="breadcrumb">
        <Link to="/einstellungen">Einstellungen</Link> › Profilbild
      </p>
      <h1>Profilbild</h1>
      {result?.ok ? (
        <p className="notice notice--ok" role="status">
          {doneText[result.done]}
        </p>
      ) : null}
      <div className="picture-current card">
        <Avatar face={face} size="l" />
        <p>
          {picture
            ? "Dein Profilbild steht neben deinen Beiträgen, im Mitgliederverzeichnis und in Dialogrunden. Nur angemeldete Mitglieder sehen es."
            : "Du hast kein Profilbild. Bis du eines hochlädst, stehen deine Initialen neben deinen Beiträgen."}
        </p>
      </div>

      <section aria-labelledby="hochladen-titel" className="card">
        <h2 id="hochladen-titel">{picture ? "Neues Bild hochladen" : "Bild hochladen"}</h2>
        <Form method="post" encType="multipart/form-data" className="form" noValidate>
          <input type="hidden" name="intent" value="upload" />
          <div className="field">
            <label htmlFor="picture">Bild auswählen</label>
            <input
              id="picture"
              name="picture"
              type="file"
              accept="image/jpeg,image/png,image/webp,image/gif"
              required
              aria-invalid={uploadError ? true : undefined}
              aria-describedby={uploadError ? "picture-hinweis picture-fehler" : "picture-hinweis"}
              onChange={(e) => choose(e.currentTarget.files?.[0])}
            />
            <p id="picture-hinweis" className="field__hint">
              JPEG, PNG, WebP oder GIF, höchstens {maxMb.toLocaleString("de-DE")} MB. Wir drehen das Bild richtig herum
              und entfernen alle Angaben darin, etwa Kamera, Aufnahmezeit und Standort (EXIF, GPS).
            </p>
            {uploadError ? (
              <p id="picture-fehler" className="field__error">
                {uploadError}
              </p>
            ) : null}
          </div>
          {chosen ? (
            <fieldset className="cropper-fieldset">
              <legend>Ausschnitt wählen</legend>
              <PictureCropper
                key={chosen.url}
                idPrefix="neu"
                image={chosen.url}
                width={chosen.width}
                height={chosen.height}
                initial={CENTRE}
              />
            </fieldset>
          ) : null}
          <div>
            <button type="submit" className="button" disabled={busy}>
              Bild speichern
            </button>
          </div>
        </Form>
      </section>

      {picture ? (
        <>
          <section aria-labelledby="ausschnitt-titel" className="card">
            <h2 id="ausschnitt-titel">Ausschnitt ändern</h2>
            <FormError message={error("crop")} />
            <Form method="post" className="form" noValidate>
              <input type="hidden" name="intent" value="crop" />
              <PictureCropper
                key={picture.stamp}
                idPrefix="ausschnitt"
                image={`/profilbilder/${face.id}/original.webp?v=${picture.stamp}`}
                width={picture.width}
                height={picture.height}
                initial={picture.crop}
              />
              <div>
                <button type="submit" className="button" disabled={busy}>
                  Ausschnitt speichern
                </button>
              </div>
            </Form>
          </section>
          <section aria-labelledby="entfernen-titel" className="card">
            <h2 id="entfernen-titel">Profilbild entfernen</h2>
            <p>Dein Bild wird gelöscht; an seiner Stelle stehen wieder deine Initialen.</p>
            <Form method="post">
              <input type="hidden" name="intent" value="remove" />
              <button type="submit" className="button button--quiet" disabled={busy}>
                Profilbild entfernen
              </button>
            </Form>
          </section>
        </>
      ) : null}
    </div>
  );
}
