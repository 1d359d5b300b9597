import type { MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { pageTitle } from "../components/meta.ts";

export const meta: MetaFunction = ({ matches }) => pageTitle("Konto gelöscht", matches);

/** Where "Konto löschen" ends: the member is logged out, so this page is public. */
export default function AccountDeleted() {
  return (
    <div className="page page--narrow">
      <h1>Dein Konto ist gelöscht</h1>
      <p role="status">
        Deine persönlichen Daten sind entfernt und du bist auf allen Geräten abgemeldet. Danke, dass du das Netzwerk
        mitgestaltet hast!
      </p>
      <p>
        Was wir gespeichert hatten und was nach der Löschung bleibt, steht in der{" "}
        <Link to="/datenschutz">Datenschutzerklärung</Link>.
      </p>
    </div>
  );
}
