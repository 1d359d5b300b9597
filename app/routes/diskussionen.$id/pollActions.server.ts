import type { Actor } from "../../auth/permissions.ts";
import { addPoll, castVote, closePoll, withdrawVote } from "../../models/discussions/polls.server.ts";
import { isRefusal } from "../../models/errors.server.ts";
import { parsePollFields, parseVoteFields, rawFields } from "../../schemas/polls.ts";
import { keptValues } from "../../schemas/form.ts";

/**
 * The poll's forms on the thread page. A vote answers with the page and a status message (no redirect, so the
 * message reaches readers without JavaScript too); a refused one with its German message next to the poll, 400 for
 * bad input and 409 for a poll that no longer takes votes. Nothing is written on a refusal.
 */
export async function handlePollAction(
  actor: Actor,
  threadId: string,
  intent: string,
  formData: FormData,
  now = new Date(),
) {
  const chosen = formData
    .getAll("option")
    .filter((v): v is string => typeof v === "string")
    .slice(0, 20);
  try {
    switch (intent) {
      case "vote": {
        const vote = parseVoteFields(formData);
        if (!vote.ok) return Response.json({ intent, errors: { poll: vote.message }, chosen }, { status: 400 });
        await castVote(actor, threadId, vote.pollId, vote.optionIds, now);
        return {
          intent,
          ok: true,
          message: "Danke, deine Stimme ist gezählt. Du kannst sie ändern, solange die Umfrage läuft.",
        };
      }
      case "withdrawVote":
        await withdrawVote(actor, threadId, onePollId(formData), now);
        return { intent, ok: true, message: "Deine Stimme ist zurückgenommen." };
      case "closePoll":
        await closePoll(actor, threadId, onePollId(formData), now);
        return { intent, ok: true, message: "Die Umfrage ist beendet." };
      default: {
        const values = keptValues(formData);
        const parsed = parsePollFields(rawFields(formData), now, true);
        if (!parsed.ok) return Response.json({ intent, errors: parsed.errors, values }, { status: 400 });
        await addPoll(actor, threadId, parsed.poll!);
        return { intent, ok: true, message: "Die Umfrage ist hinzugefügt." };
      }
    }
  } catch (error) {
    if (isRefusal(error) && (error.status === 400 || error.status === 409)) {
      return Response.json(
        { intent, errors: { poll: error.message }, chosen, values: keptValues(formData) },
        { status: error.status },
      );
    }
    throw error;
  }
}

/** The poll id, sent once; anything else finds no poll. */
function onePollId(formData: FormData): string {
  const all = formData.getAll("pollId");
  return all.length === 1 && typeof all[0] === "string" ? all[0] : "";
}
