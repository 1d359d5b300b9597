import { Form } from "@remix-run/react";
import { PollFields } from "./PollFields.tsx";
import type { PollResult } from "./Poll.tsx";

/** Moderators add a poll to a discussion that has none (its author can ask one when starting it). */
export function AddPoll({ result }: { result?: PollResult & { values?: Record<string, string> } }) {
  const failed = result?.intent === "addPoll" && !result.ok;
  const errors = failed ? (result?.errors ?? {}) : {};
  return (
    <Form method="post" preventScrollReset className="form poll-add" noValidate>
      {errors.poll ? (
        <p className="notice notice--error" role="alert">
          {errors.poll}
        </p>
      ) : null}
      <PollFields values={failed ? (result?.values ?? {}) : {}} errors={errors}>
        <p>
          <button type="submit" name="intent" value="addPoll" className="button">
            Umfrage hinzufügen
          </button>
        </p>
      </PollFields>
    </Form>
  );
}
