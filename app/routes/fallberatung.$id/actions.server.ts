import { redirect } from "@remix-run/node";
import type { Actor } from "../../auth/permissions.ts";
import { casePhases, type CasePhase } from "../../domain/cases/phases.ts";
import { publishLearning, saveLearningDraft, saveTakeaway, setNameConsent } from "../../models/cases/closing.server.ts";
import {
  assignRole,
  inviteParticipant,
  respondToInvitation,
  setSeatsOpen,
  withdrawCase,
} from "../../models/cases/consultations.server.ts";
import { addContribution, advancePhase, chooseMethod, extendPhase } from "../../models/cases/phases.server.ts";
import { inputErrorResponse } from "../../models/errors.server.ts";
import {
  contributionSchema,
  inviteSchema,
  learningSchema,
  methodSchema,
  roleSchema,
  takeawaySchema,
} from "../../schemas/cases.ts";
import { CASE_TEXT_MAX } from "../../schemas/cases.ts";
import { fieldLimits, keptValues, parseForm } from "../../schemas/form.ts";

/** What a refusal sends back is cut to what each field accepts (the closing panel checks the echoed learning text). */
const ECHO_LIMITS: Record<string, number> = Object.assign(
  { takeaway: CASE_TEXT_MAX },
  ...[inviteSchema, roleSchema, methodSchema, contributionSchema, learningSchema].map(fieldLimits),
);

/** One intent per form on the consultation page; each calls exactly one model function. */
export async function handleCaseAction(actor: Actor, id: string, formData: FormData): Promise<Response | object> {
  const intent = String(formData.get("intent") ?? "").slice(0, 40);
  const values = { ...keptValues(formData, ECHO_LIMITS), intent };
  const back = (anchor = "") => redirect(`/fallberatung/${id}${anchor}`);
  const refused = (errors: Record<string, string>) => Response.json({ intent, errors, values }, { status: 400 });
  try {
    switch (intent) {
      case "agree":
      case "decline":
        await respondToInvitation(actor, id, intent);
        return intent === "agree" ? back() : redirect("/fallberatung");
      case "invite": {
        const form = parseForm(inviteSchema, formData);
        if (!form.ok) return refused(form.errors);
        await inviteParticipant(actor, id, form.data.handle);
        return back("#gruppe");
      }
      case "role": {
        const form = parseForm(roleSchema, formData);
        if (!form.ok) return refused(form.errors);
        await assignRole(actor, id, form.data.userId, form.data.role);
        return back("#gruppe");
      }
      case "seats":
        await setSeatsOpen(actor, id, formData.get("open") === "1");
        return back("#gruppe");
      case "withdraw":
        if (formData.get("confirm") !== "on")
          return refused({ withdraw: "Bitte bestätige, dass die Anfrage gelöscht werden soll." });
        await withdrawCase(actor, id);
        return redirect("/fallberatung");
      case "advance": {
        const expected = String(formData.get("phase") ?? "");
        await advancePhase(
          actor,
          id,
          (casePhases as readonly string[]).includes(expected) ? (expected as CasePhase) : null,
        );
        return back();
      }
      case "extend":
        await extendPhase(actor, id);
        return back("#phase");
      case "method": {
        const form = parseForm(methodSchema, formData);
        if (!form.ok) return refused(form.errors);
        await chooseMethod(actor, id, form.data.method);
        return back("#phase");
      }
      case "contribute": {
        const form = parseForm(contributionSchema, formData);
        if (!form.ok) return refused(form.errors);
        const row = await addContribution(actor, id, form.data);
        return back(`#beitrag-${row.id}`);
      }
      case "takeaway": {
        const form = parseForm(takeawaySchema, formData);
        if (!form.ok) return refused(form.errors);
        await saveTakeaway(actor, id, form.data.takeaway);
        return { intent, saved: true };
      }
      case "consent":
        await setNameConsent(actor, id, formData.get("consent") === "1");
        return back("#abschluss");
      case "learningDraft":
      case "publish": {
        const form = parseForm(learningSchema, formData);
        if (!form.ok) return refused(form.errors);
        if (intent === "learningDraft") {
          await saveLearningDraft(actor, id, form.data);
          return { intent, saved: true };
        }
        if (!form.data.approve)
          return refused({ approve: "Bitte bestätige, dass die Erkenntnis veröffentlicht werden darf." });
        const published = await publishLearning(actor, id, {
          ...form.data,
          hintsReviewed: formData.get("hintsReviewed") === "on",
        });
        return { intent, published };
      }
      default:
        return refused({ form: "Unbekannte Aktion." });
    }
  } catch (error) {
    return inputErrorResponse(error, values);
  }
}
