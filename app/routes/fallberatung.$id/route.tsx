import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../../components/meta.ts";
import { formatDateTime } from "../../domain/time.ts";
import { FormError } from "../../components/Field.tsx";
import { PhaseStepper } from "../../components/cases/PhaseStepper.tsx";
import { PhaseTimer } from "../../components/cases/PhaseTimer.tsx";
import { GroupPanel } from "../../components/cases/GroupPanel.tsx";
import { Contributions, MethodPicker, PhaseInput } from "../../components/cases/Contributions.tsx";
import { CastingChecklist } from "../../components/cases/CastingChecklist.tsx";
import { CaseGiverClosing, ConsultantClosing } from "../../components/cases/ClosingPanel.tsx";
import { useCaseLive } from "../../components/cases/useCaseLive.ts";
import { requireUser } from "../../auth/session.server.ts";
import { getCaseView } from "../../models/cases/consultations.server.ts";
import { listCategories } from "../../models/community/categories.server.ts";
import { NotFoundError } from "../../models/errors.server.ts";
import {
  methodLibrary,
  modeLabels,
  nextPhase,
  phaseInstructions,
  phaseLabels,
  roleLabels,
} from "../../domain/cases/phases.ts";
import { handleCaseAction } from "./actions.server.ts";
import "../../styles/cases.css";
import "../../styles/cases-casting.css";

// The title is the same for every consultation: a tab or a history entry must not show the topic.
export const meta: MetaFunction = ({ matches }) => pageTitle("Fallberatung", matches);

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const actor = requireUser(request, context);
  // Not a participant (whatever the site role) or no such consultation: the same 404 either way.
  const view = await getCaseView(actor, params.id ?? "").catch((error: unknown) => {
    if (error instanceof NotFoundError) throw Response.json(null, { status: 404 });
    throw error;
  });
  const categories =
    view.kind === "full" && view.myRole === "case_giver" && view.phase === "abschluss" ? await listCategories() : [];
  return { view, categories: categories.map((c) => ({ slug: c.slug, name: c.name })) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  return handleCaseAction(actor, params.id ?? "", await request.formData());
}

type ActionResult = {
  intent?: string;
  errors?: Record<string, string>;
  values?: Record<string, string>;
  saved?: boolean;
  published?: { threadId?: string; materialId?: string };
};

function when(v: { mode: "live" | "async"; scheduledAt: Date | string | null; asyncDays: number | null }) {
  if (v.mode === "live") return v.scheduledAt ? `Live am ${formatDateTime(v.scheduledAt)}` : "Live";
  return `Asynchron über ${v.asyncDays ?? "mehrere"} Tage`;
}

export default function Consultation() {
  const { view, categories } = useLoaderData<typeof loader>();
  const result = (useActionData<typeof action>() ?? null) as ActionResult | null;
  const errors = result?.errors ?? {};
  const values = { ...(result?.values ?? {}), intent: result?.values?.intent ?? result?.intent ?? "" };
  const head = (
    <>
      <p className="breadcrumb">
        <Link to="/fallberatung">Kollegiale Fallberatung</Link> › Fallberatung
      </p>
      <h1>{view.kind === "purged" ? "Abgeschlossene Fallberatung" : view.topic}</h1>
      <p className="hint">
        {when(view)} · Fallgebende Person: {view.caseGiverName} · Deine Rolle: {roleLabels[view.myRole]}
      </p>
    </>
  );
  if (view.kind === "pending") {
    return (
      <div className="page page--narrow">
        {head}
        <section className="card" aria-labelledby="vertraulichkeit">
          <h2 id="vertraulichkeit">Vertraulichkeit</h2>
          <p>Bevor du den Fall siehst, sag bitte zu:</p>
          <ul>
            <li>
              Was in dieser Fallberatung gesagt wird, bleibt in der Gruppe. Ich gebe nichts davon weiter – weder
              mündlich noch schriftlich.
            </li>
            <li>Ich versuche nicht, Personen, Dienststellen oder Kundinnen und Kunden aus dem Fall zu erkennen.</li>
            <li>Ich kopiere nichts aus der Beratung und mache keine Bildschirmfotos.</li>
          </ul>
          <div className="form__actions">
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="agree" />
              <button type="submit" className="button">
                Ich stimme zu und nehme teil
              </button>
            </Form>
            <Form method="post" className="inline-form">
              <input type="hidden" name="intent" value="decline" />
              <button type="submit" className="button button--quiet">
                Nicht teilnehmen
              </button>
            </Form>
          </div>
        </section>
      </div>
    );
  }
  if (view.kind === "purged") {
    return (
      <div className="page page--narrow">
        {head}
        <p className="notice">
          Die Inhalte dieser Fallberatung wurden am {formatDateTime(view.purgedAt)} gelöscht. Geblieben ist nur deine
          eigene Erkenntnis.
        </p>
        <section className="card" aria-labelledby="erkenntnis">
          <h2 id="erkenntnis">Meine Erkenntnis</h2>
          {view.takeaway ? (
            <p className="case-entry__body">{view.takeaway}</p>
          ) : (
            <p className="empty">Du hattest keine Erkenntnis notiert.</p>
          )}
        </section>
      </div>
    );
  }
  return (
    <FullConsultation view={view} categories={categories} errors={errors} values={values} result={result} head={head} />
  );
}

type Full = Extract<ReturnType<typeof useLoaderData<typeof loader>>["view"], { kind: "full" }>;

function FullConsultation({
  view,
  categories,
  errors,
  values,
  result,
  head,
}: {
  view: Full;
  categories: { slug: string; name: string }[];
  errors: Record<string, string>;
  values: Record<string, string>;
  result: ActionResult | null;
  head: React.ReactNode;
}) {
  const { present, announcement } = useCaseLive(view.id);
  const closed = view.closedAt !== null;
  const next = nextPhase(view.phase);
  const giver = view.myRole === "case_giver";
  return (
    <div className="page case">
      {head}
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <section className="card" id="phase" aria-labelledby="phase-titel">
        <h2 id="phase-titel">{closed ? "Abgeschlossen" : `Phase ${phaseLabels[view.phase]}`}</h2>
        <PhaseStepper phase={view.phase} closed={closed} />
        {closed ? (
          <p>
            Die Fallberatung ist abgeschlossen.{" "}
            {view.purgeAt
              ? `Ihre Inhalte werden am ${formatDateTime(view.purgeAt)} gelöscht${giver ? " – deine eigene Erkenntnis bleibt" : ""}.`
              : ""}
          </p>
        ) : (
          <>
            <p className="notice">{phaseInstructions[view.phase]}</p>
            <PhaseTimer endsAt={view.phaseEndsAt} serverNow={view.serverNow} mode={view.mode} />
            {view.canExtend ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="extend" />
                <button type="submit" className="button button--quiet">
                  5 Minuten mehr
                </button>
              </Form>
            ) : null}
          </>
        )}
        {view.method ? (
          <p>
            Gewählte Methode: <strong>{methodLibrary[view.method].label}</strong>
            {closed ? "" : ` – ${methodLibrary[view.method].instructions}`}
          </p>
        ) : null}
        {view.casting ? <CastingChecklist needs={view.casting.needs} starters={view.casting.starters} /> : null}
        {view.canAdvance && !(view.casting && view.casting.needs.length > 0) ? (
          <Form method="post" className="form">
            <input type="hidden" name="intent" value="advance" />
            <input type="hidden" name="phase" value={view.phase} />
            {view.advanceBlocker && !view.casting ? <p className="hint">{view.advanceBlocker}</p> : null}
            <FormError message={errors.phase} />
            <button type="submit" className="button" disabled={!!view.advanceBlocker}>
              {next
                ? view.phase === "casting"
                  ? "Beratung beginnen"
                  : `Weiter zur Phase ${phaseLabels[next]}`
                : "Fallberatung abschließen"}
            </button>
          </Form>
        ) : null}
      </section>
      <div className="with-aside">
        <div>
          <section className="card" aria-labelledby="fall-titel">
            <h2 id="fall-titel">Der Fall</h2>
            <h3>Situation</h3>
            <p className="case-entry__body">{view.situation}</p>
            <h3>Was schon versucht wurde</h3>
            <p className="case-entry__body">{view.tried}</p>
            <h3>Schlüsselfrage</h3>
            <p className="case-entry__body">{view.keyQuestion}</p>
          </section>
          {view.phase === "methodenwahl" || (view.phase === "beratung" && !view.method) ? (
            <MethodPicker method={view.method} canChoose={view.canChooseMethod} error={errors.method} />
          ) : null}
          <section aria-labelledby="verlauf-titel">
            <h2 id="verlauf-titel">Verlauf</h2>
            <Contributions items={view.contributions} />
          </section>
          {!closed && view.phase !== "casting" ? (
            <PhaseInput
              kinds={view.allowedKinds}
              method={view.method}
              phase={view.phase}
              role={view.myRole}
              errors={errors}
              values={values}
            />
          ) : null}
          {view.phase === "abschluss" && giver && view.learning ? (
            <CaseGiverClosing
              takeaway={view.takeaway ?? ""}
              learning={view.learning}
              categories={categories}
              consenting={view.group.filter((m) => m.role !== "case_giver" && m.nameConsent).map((m) => m.name)}
              errors={errors}
              values={values}
              saved={result?.saved ? (result.intent ?? null) : null}
              published={result?.published ?? null}
            />
          ) : null}
          {view.phase === "abschluss" && !giver ? <ConsultantClosing consent={view.myNameConsent} /> : null}
        </div>
        <GroupPanel
          group={view.group}
          present={present}
          groupSize={view.groupSize}
          casting={giver && view.phase === "casting" && !closed}
          seatsOpen={view.seatsOpen}
          errors={errors}
          values={values}
        />
      </div>
      <p className="hint">{modeLabels[view.mode]} · Nur die Teilnehmenden können diese Seite lesen.</p>
    </div>
  );
}
