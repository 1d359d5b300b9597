/** The one dictionary of shared UI text. Page-specific copy lives with its page; anything used twice lives here. */
export const de = {
  "site.name": "Das Lernbegleitungs-Netzwerk",
  "site.tagline": "Von und für Lernbegleiterinnen und Lernbegleiter",
  "site.motto": "Mach mit! Misch dich ein! Frag nach!",
  "nav.label": "Hauptnavigation",
  "nav.menu": "Menü",
  "nav.skip": "Zum Inhalt springen",
  "nav.discussions": "Diskussionen",
  "nav.materials": "Materialien",
  "nav.rounds": "Dialogrunden",
  "nav.consultations": "Fallberatung",
  "nav.search": "Suche",
  "nav.members": "Mitglieder",
  "nav.moderation": "Moderation",
  "nav.settings": "Einstellungen",
  "nav.login": "Anmelden",
  "nav.logout": "Abmelden",
  "nav.account": "Dein Konto",
  "footer.privacy": "Datenschutz",
  "footer.accessibility": "Erklärung zur Barrierefreiheit",
  "footer.easyLanguage": "Leichte Sprache",
  "footer.note": "Ein Ort für Austausch, Vernetzung und Professionalisierung der individuellen Lernbegleitung.",
  "error.403.title": "Kein Zugriff",
  "error.403.text":
    "Für diese Seite fehlt dir die Berechtigung. Wenn du glaubst, dass das ein Irrtum ist, wende dich an die Moderation.",
  "error.404.title": "Seite nicht gefunden",
  "error.404.text": "Diese Seite gibt es nicht (mehr). Vielleicht hilft dir die Suche oder die Startseite weiter.",
  "error.500.title": "Da ist etwas schiefgelaufen",
  "error.500.text": "Ein interner Fehler ist aufgetreten. Bitte versuche es in einem Moment noch einmal.",
  "error.generic.title": "Fehler {status}",
  "error.back": "Zur Startseite",
  "form.saved": "Gespeichert.",
  "form.errorSummary": "Bitte prüfe die markierten Angaben.",
  "form.required": "Pflichtfeld",
} as const;

export type MessageKey = keyof typeof de;

/** German text for a key, with {placeholders} filled in. */
export function t(key: MessageKey, vars: Record<string, string | number> = {}): string {
  return de[key].replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? `{${name}}`));
}
