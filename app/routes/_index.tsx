import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";
import { t } from "../i18n/de.ts";
import { listCategories } from "../models/community/categories.server.ts";
import { dismissWelcome, welcomeChecklist } from "../models/accounts/welcome.server.ts";
import { requireUser } from "../auth/session.server.ts";
import { WelcomeChecklist } from "../components/WelcomeChecklist.tsx";
import { getSiteSettings } from "../models/settings.server.ts";
import "../styles/welcome.css";
import "../styles/rooms.css";

export const meta: MetaFunction = ({ matches }) =>
  pageTitle(
    undefined,
    matches,
    "Austausch in Themenräumen, eine geprüfte Materialbibliothek, Dialogrunden und Kollegiale Fallberatung: das Netzwerk der Lernbegleitung, nur für Mitglieder.",
  );

export async function loader({ context }: LoaderFunctionArgs) {
  const { siteName, welcomeText } = await getSiteSettings();
  if (!context.user) return { user: null, categories: [], siteName, welcomeText, welcome: null };
  const [categories, welcome] = await Promise.all([listCategories(), welcomeChecklist(context.user.id)]);
  return { user: { displayName: context.user.displayName }, categories, siteName, welcomeText, welcome };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const actor = requireUser(request, context);
  const form = await request.formData();
  if (form.get("intent") !== "dismissWelcome") throw data("Unbekannte Aktion", { status: 400 });
  await dismissWelcome(actor.id);
  return redirect("/");
}

/** The admins' welcome text: plain text, paragraphs separated by blank lines (never markup). */
function WelcomeText({ text }: { text: string }) {
  if (!text) return null;
  return (
    <div className="welcome-text">
      {text.split(/\n\s*\n/).map((paragraph, i) => (
        <p key={i} className="lead">
          {paragraph}
        </p>
      ))}
    </div>
  );
}

const pillars = [
  {
    to: "/diskussionen",
    title: "Diskussionen",
    text: "Fragen stellen, Best Practice teilen, Erfolge feiern – mit Antworten genau dann, wenn die Praxis sie braucht.",
  },
  {
    to: "/materialien",
    title: "Materialien",
    text: "OnePager, Kurzvideos, Podcasts und Hintergrund: kurze Formate für jeden Lerntyp, von der Moderation aktuell gehalten.",
  },
  {
    to: "/dialogrunden",
    title: "Dialogrunden",
    text: "Online-Runden zu den Themen, die die Praxis bewegen. Die Ergebnisse gehen an das ganze Netzwerk.",
  },
  {
    to: "/fallberatung",
    title: "Kollegiale Fallberatung",
    text: "Einen Fall aus der Praxis vertraulich in einer kleinen Gruppe beraten – in festen Phasen und Rollen.",
  },
];

export default function Index() {
  const { user, categories, siteName, welcomeText, welcome } = useLoaderData<typeof loader>();
  if (!user) {
    return (
      <div className="page">
        <h1>{siteName}</h1>
        <WelcomeText text={welcomeText} />
        <p className="lead">
          Der Ort für Begegnung, Vernetzung und Austausch der individuellen Lernbegleitung: schnelle Unterstützung und
          Antworten genau dann, wenn die Praxis sie braucht. {t("site.tagline")}.
        </p>
        <p className="lead">
          <strong>{t("site.motto")}</strong>
        </p>
        <p>
          <Link to="/anmelden" className="button">
            Anmelden
          </Link>
        </p>
        <p className="hint">Neu hier? Die Moderation schickt dir eine Einladung, mit der du dein Konto anlegst.</p>
      </div>
    );
  }
  return (
    <div className="page">
      <h1>Hallo {user.displayName}!</h1>
      <p className="lead">{t("site.motto")} Schön, dass du da bist.</p>
      <WelcomeText text={welcomeText} />
      {welcome ? <WelcomeChecklist items={welcome} /> : null}
      <h2>Was du hier findest</h2>
      <ul className="grid grid--plain" role="list">
        {pillars.map((p) => (
          <li key={p.to} className="card">
            <h3>
              <Link to={p.to}>{p.title}</Link>
            </h3>
            <p>{p.text}</p>
          </li>
        ))}
      </ul>
      <h2>Themenräume</h2>
      {categories.length === 0 ? (
        <p>Noch keine Themenräume. Die Moderation legt sie an.</p>
      ) : (
        <ul className="grid grid--plain" role="list">
          {categories.map((c) => (
            <li key={c.slug} className="card room-card">
              <h3 className="room-card__title">
                <Link to={`/themen/${c.slug}`} className="room-card__link">
                  {c.name}
                </Link>
              </h3>
              <p>{c.description}</p>
            </li>
          ))}
        </ul>
      )}
      <p className="rooms-all">
        <Link to="/themen">Alle Themenräume im Überblick</Link>
      </p>
    </div>
  );
}
