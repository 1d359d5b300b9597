/**
 * The audit log in words people read: what kind of action an entry is and one German sentence describing it.
 * Pure (no I/O): the page passes the names it looked up for the subject.
 */
import { roleLabels } from "./accounts.ts";

/** Groups of actions the log can be filtered by (the part of the action name before the first dot). */
export const auditKinds = {
  user: "Mitglieder und Rollen",
  invitation: "Einladungen",
  settings: "Einstellungen",
  post: "Beiträge",
  thread: "Diskussionen",
  flag: "Meldungen",
  category: "Themenräume",
  material: "Materialien",
  collection: "Themenpakete",
  round: "Dialogrunden",
  feedback: "Rückmeldungen zur Barrierefreiheit",
  search: "Suche",
} as const;
export type AuditKind = keyof typeof auditKinds;

export const auditSubjectTypes = {
  user: "Mitglied",
  invitation: "Einladung",
  site: "Website",
  post: "Beitrag",
  thread: "Diskussion",
  category: "Themenraum",
  material: "Material",
  collection: "Themenpaket",
  round: "Dialogrunde",
  feedback: "Rückmeldung zur Barrierefreiheit",
  synonyms: "Synonymgruppe",
} as const;

export interface AuditEntryView {
  action: string;
  subjectType: string;
  details: Record<string, unknown>;
  /** A readable name of the subject (a member's name, a thread's or material's title), when it still exists. */
  subjectName: string | null;
}

const materialStates: Record<string, string> = {
  draft: "als Entwurf zurückgestellt",
  review: "zur Prüfung gegeben",
  published: "veröffentlicht",
  archived: "archiviert",
};

const settingLabels: Record<string, string> = {
  siteName: "Name der Website",
  welcomeText: "Willkommenstext",
  openRegistration: "offene Registrierung",
};

/** The round form's fields, as its labels name them. */
const roundFieldLabels: Record<string, string> = {
  title: "Titel",
  description: "Beschreibung",
  startsAt: "Beginn",
  endsAt: "Ende",
  registrationDeadline: "Anmeldeschluss",
  capacity: "Plätze",
  conferenceUrl: "Link zum Konferenzsystem",
  orientation: "Orientierungsrunde",
  agenda: "Tagesordnung",
  hosts: "Gastgebende",
};

function role(value: unknown): string {
  return roleLabels[value as keyof typeof roleLabels] ?? String(value ?? "?");
}

function quoted(value: unknown): string {
  return `„${String(value ?? "")}“`;
}

/** One sentence, without the actor (the page shows who in its own column). */
export function describeAudit(entry: AuditEntryView): string {
  const d = entry.details ?? {};
  const name = entry.subjectName ? quoted(entry.subjectName) : null;
  const thing = (fallback: string) => name ?? fallback;
  switch (entry.action) {
    case "user.changeRole":
      return `Rolle von ${thing("einem Mitglied")} geändert: ${role(d.from)} → ${role(d.to)}`;
    case "user.roleFromProvider":
      return `Rolle von ${thing("einem Mitglied")} bei der Anmeldung über die Organisation übernommen: ${role(d.from)} → ${role(d.to)}`;
    case "user.deactivate":
      return `Konto von ${thing("einem Mitglied")} deaktiviert (alle Anmeldungen beendet)`;
    case "user.reactivate":
      return `Konto von ${thing("einem Mitglied")} wieder aktiviert`;
    case "invitation.create":
      return `Einladung erstellt (Rolle: ${role(d.role)})`;
    case "invitation.revoke":
      return "Einladung zurückgezogen";
    case "settings.update": {
      const changed = Array.isArray(d.changed) ? d.changed.map((k) => settingLabels[String(k)] ?? String(k)) : [];
      return changed.length
        ? `Einstellungen der Website geändert: ${changed.join(", ")}`
        : "Einstellungen der Website gespeichert";
    }
    case "post.hide":
      return `Beitrag ausgeblendet${name ? ` in ${name}` : ""}`;
    case "post.restore":
      return `Beitrag wieder eingeblendet${name ? ` in ${name}` : ""}`;
    case "post.delete":
      return `Beitrag gelöscht${name ? ` in ${name}` : ""}`;
    case "thread.delete":
      return `Diskussion gelöscht${name ? `: ${name}` : ""}`;
    case "post.revealAuthor":
      return `Verfassende Person eines anonymen Beitrags angesehen${name ? ` in ${name}` : ""}`;
    case "flag.dismiss":
      return `${d.flags === 1 ? "Eine Meldung" : `${Number(d.flags) || "Alle"} Meldungen`} zu einem Beitrag erledigt${name ? ` in ${name}` : ""}`;
    case "thread.lock":
      return `${d.locked ? "Diskussion geschlossen" : "Diskussion wieder geöffnet"}: ${thing("eine Diskussion")}`;
    case "thread.pin":
      return `${d.pinned ? "Diskussion angeheftet" : "Diskussion nicht mehr angeheftet"}: ${thing("eine Diskussion")}`;
    case "thread.move":
      return `Diskussion in einen anderen Themenraum verschoben: ${thing("eine Diskussion")}`;
    case "thread.retitle":
      return `Diskussion umbenannt: ${quoted(d.from)} → ${quoted(d.to)}`;
    case "thread.acceptAnswer":
      return `Antwort als Lösung markiert: ${thing("eine Frage")}`;
    case "category.create":
      return `Themenraum angelegt: ${thing(String(d.name ?? "ein Themenraum"))}`;
    case "category.update":
      return `Themenraum bearbeitet: ${thing(String(d.name ?? "ein Themenraum"))}`;
    case "category.reorder":
      return `Reihenfolge der Themenräume geändert (${thing("ein Themenraum")} ${d.direction === "up" ? "nach oben" : "nach unten"})`;
    case "category.delete":
      return `Themenraum gelöscht: ${quoted(d.name)}`;
    case "material.update":
      return `Material bearbeitet: ${thing("ein Material")}`;
    case "material.reviewed":
      return `Material geprüft: ${thing("ein Material")}${typeof d.nextDue === "string" ? ` (nächste Prüfung bis ${d.nextDue.split("-").reverse().join(".")})` : ""}`;
    case "collection.create":
      return `Themenpaket angelegt: ${thing(String(d.title ?? "ein Themenpaket"))}`;
    case "collection.update":
      return `Themenpaket bearbeitet: ${thing(String(d.title ?? "ein Themenpaket"))}`;
    case "collection.add":
      return `Material zu einem Themenpaket hinzugefügt: ${thing("ein Themenpaket")}`;
    case "collection.remove":
      return `Material aus einem Themenpaket entfernt: ${thing("ein Themenpaket")}`;
    case "collection.up":
    case "collection.down":
      return `Reihenfolge in einem Themenpaket geändert: ${thing("ein Themenpaket")}`;
    case "round.update": {
      const changed = Array.isArray(d.changed) ? d.changed.map((k) => roundFieldLabels[String(k)] ?? String(k)) : [];
      return `Dialogrunde geändert: ${thing("eine Dialogrunde")}${changed.length ? ` (${changed.join(", ")})` : ""}`;
    }
    case "round.cancel":
      return `Dialogrunde abgesagt: ${thing("eine Dialogrunde")}`;
    case "feedback.handle":
      return "Rückmeldung zur Barrierefreiheit als beantwortet markiert";
    case "feedback.reopen":
      return "Rückmeldung zur Barrierefreiheit wieder als offen markiert";
    case "search.synonyms.save":
      return `Synonymgruppe gespeichert: ${Array.isArray(d.terms) ? d.terms.join(", ") : ""}`;
    case "search.synonyms.delete":
      return `Synonymgruppe gelöscht: ${Array.isArray(d.terms) ? d.terms.join(", ") : ""}`;
  }
  const [kind, verb] = entry.action.split(".");
  if (kind === "material" && verb && materialStates[verb])
    return `Material ${materialStates[verb]}: ${thing("ein Material")}`;
  // An action added later without a sentence here still shows, with its technical name.
  return `${auditKinds[kind as AuditKind] ?? "Aktion"}: ${entry.action}${name ? ` (${name})` : ""}`;
}
