import { Form, Link } from "@remix-run/react";
import "../styles/welcome.css";

type Step = "profile" | "introduce" | "watch" | "orientation";

const texts: Record<Step, { task: string; link: string }> = {
  profile: {
    task: "Vervollständige dein Profil: Funktion, Region und ein paar Sätze über dich.",
    link: "Zu den Einstellungen",
  },
  introduce: { task: "Stell dich im Willkommensraum kurz vor.", link: "Zum Willkommensraum" },
  watch: { task: "Beobachte einen Themenraum, dann erfährst du von neuen Beiträgen.", link: "Themenräume ansehen" },
  orientation: { task: "Melde dich zur nächsten Orientierungsrunde an.", link: "Zur Orientierungsrunde" },
};

/** The first-login checklist on the start page; plain links and one form, so it works without JavaScript. */
export function WelcomeChecklist({ items }: { items: { step: Step; done: boolean; href: string }[] }) {
  const open = items.filter((i) => !i.done).length;
  return (
    <section aria-labelledby="willkommen-titel" className="card welcome-checklist">
      <h2 id="willkommen-titel">Gut ankommen im Netzwerk</h2>
      <p>
        {open === 1 ? "Noch ein Schritt" : `Noch ${open} Schritte`}, dann bist du richtig angekommen. Du kannst die
        Liste jederzeit ausblenden.
      </p>
      <ol>
        {items.map((item) => (
          <li key={item.step} data-done={item.done}>
            <span className="welcome-checklist__mark" aria-hidden="true">
              {item.done ? "✓" : "○"}
            </span>
            <span>
              <span className="welcome-checklist__text">{texts[item.step].task}</span>{" "}
              {item.done ? (
                <span className="visually-hidden">(erledigt)</span>
              ) : (
                <Link to={item.href}>{texts[item.step].link}</Link>
              )}
            </span>
          </li>
        ))}
      </ol>
      <Form method="post">
        <input type="hidden" name="intent" value="dismissWelcome" />
        <button type="submit" className="button button--quiet">
          Checkliste ausblenden
        </button>
      </Form>
    </section>
  );
}
