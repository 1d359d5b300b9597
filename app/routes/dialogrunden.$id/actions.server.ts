import { data, redirect } from "@remix-run/node";
import type { Actor } from "../../auth/permissions.ts";
import { ForbiddenError, InputError, NotFoundError } from "../../models/errors.server.ts";
import {
  askQuestion,
  cancelRegistration,
  registerForRound,
  setRoundWatch,
  voteQuestion,
} from "../../models/rounds/rounds.server.ts";
import { RoundRefusal } from "../../models/rounds/live.server.ts";
import { closeRoom, hostCommand, openRoom } from "../../models/rounds/host.server.ts";
import { cancelRound } from "../../models/rounds/changes.server.ts";
import { publishOutcome } from "../../models/rounds/outcome.server.ts";
import { keptValues, parseForm } from "../../schemas/form.ts";
import { outcomeSchema, questionSchema } from "../../schemas/rounds.ts";

export type ActionResult = {
  ok: boolean;
  form: string;
  message?: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
};

/** One intent, one model call. Refused input comes back as 400 with the message for its form and what was typed. */
export async function roundAction(actor: Actor, id: string, formData: FormData) {
  const intent = String(formData.get("intent") ?? "");
  const values = keptValues(formData);
  try {
    switch (intent) {
      case "register": {
        const status = await registerForRound(actor, id);
        return data<ActionResult>({
          ok: true,
          form: "registration",
          message:
            status === "registered"
              ? "Du bist angemeldet. Bis bald!"
              : "Die Runde ist voll – du stehst auf der Warteliste und rückst automatisch nach.",
        });
      }
      case "cancel":
        await cancelRegistration(actor, id);
        return data<ActionResult>({ ok: true, form: "registration", message: "Du bist abgemeldet." });
      case "watch":
      case "unwatch":
        await setRoundWatch(actor, id, intent === "watch");
        return data<ActionResult>({
          ok: true,
          form: "registration",
          message:
            intent === "watch"
              ? "Du erfährst, wenn das Ergebnis veröffentlicht ist."
              : "Du beobachtest die Runde nicht mehr.",
        });
      case "ask": {
        const form = parseForm(questionSchema, formData);
        if (!form.ok)
          return data<ActionResult>({ ok: false, form: "question", errors: form.errors, values: form.values }, 400);
        await askQuestion(actor, id, form.data.text);
        return data<ActionResult>({ ok: true, form: "question", message: "Deine Frage ist eingereicht." });
      }
      case "vote":
      case "unvote":
        await voteQuestion(actor, String(formData.get("questionId") ?? ""), intent === "vote");
        return data<ActionResult>({ ok: true, form: "vote" });
      case "take":
        await hostCommand(actor, id, { action: "takeQuestion", questionId: String(formData.get("questionId") ?? "") });
        return data<ActionResult>({ ok: true, form: "vote" });
      case "cancelRound":
        if (formData.get("confirm") !== "yes")
          return data<ActionResult>({ ok: false, form: "round", errors: { form: "Bitte bestätige die Absage." } }, 400);
        await cancelRound(actor, id);
        return redirect(`/dialogrunden/${id}?abgesagt=1`);
      case "open":
        await openRoom(actor, id);
        return redirect(`/dialogrunden/${id}`);
      case "close":
        await closeRoom(actor, id);
        return redirect(`/dialogrunden/${id}`);
      case "publish": {
        const form = parseForm(outcomeSchema, formData);
        if (!form.ok)
          return data<ActionResult>({ ok: false, form: "outcome", errors: form.errors, values: form.values }, 400);
        const { materialId } = await publishOutcome(actor, id, form.data);
        return redirect(`/materialien/${materialId}`);
      }
    }
  } catch (error) {
    if (error instanceof RoundRefusal)
      return data<ActionResult>({ ok: false, form: "registration", errors: { form: error.message } }, 400);
    if (error instanceof InputError) {
      const form =
        intent === "publish"
          ? "outcome"
          : intent === "ask"
            ? "question"
            : intent === "cancelRound" || intent === "open"
              ? "round"
              : "registration";
      return data<ActionResult>(
        {
          ok: false,
          form,
          errors: { [error.field === "text" && form !== "question" ? "form" : error.field]: error.message },
          values,
        },
        400,
      );
    }
    if (error instanceof ForbiddenError) throw data(error.message, { status: 403 });
    if (error instanceof NotFoundError) throw data(null, { status: 404 });
    throw error;
  }
  throw data("Unbekannte Aktion", { status: 400 });
}
