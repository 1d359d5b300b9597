/** German demo content, written for this project from the domain brief (no text copied from the sources). */

export const DEMO_PASSWORD = "demo-passwort-2026";

type DemoMember = {
  email: string;
  displayName: string;
  handle: string;
  role: "member" | "moderator" | "admin";
  roleText: string;
  legalDomain: "sgb2" | "sgb3" | "cross" | null;
  region: string;
  bio: string;
  /** Topics in the member directory ("Wer kennt sich aus mit …?"). */
  expertise: string[];
  /** Listed in the README and the start log. */
  listed: boolean;
  label: string;
};

export const demoMembers: DemoMember[] = [
  {
    email: "admin@example.org",
    displayName: "Andrea Adler",
    handle: "andrea-adler",
    role: "admin",
    roleText: "Betreuung der Plattform",
    legalDomain: "cross",
    region: "Nürnberg",
    bio: "Ich kümmere mich um Zugänge, Rollen und Einstellungen des Netzwerks.",
    expertise: ["Zugänge und Rollen", "Datenschutz"],
    listed: true,
    label: "Administration",
  },
  {
    email: "moderation@example.org",
    displayName: "Malte Meyer",
    handle: "malte-meyer",
    role: "moderator",
    roleText: "Kompetenzteam iLB",
    legalDomain: "sgb3",
    region: "Regionaldirektion Nord",
    bio: "Im Kompetenzteam halte ich die Materialien aktuell und lade zu Dialogrunden ein.",
    expertise: ["Materialien", "Dialogrunden", "eAkte"],
    listed: true,
    label: "Moderation (Kompetenzteam)",
  },
  {
    email: "mitglied@example.org",
    displayName: "Sevgi Schneider",
    handle: "sevgi-schneider",
    role: "member",
    roleText: "Lernbegleiterin im Jobcenter",
    legalDomain: "sgb2",
    region: "Köln",
    bio: "Seit zwei Jahren begleite ich Kolleginnen und Kollegen mit eigenen Lernfragen, gern zu Lerngesprächen.",
    expertise: ["Lerngespräche", "Lernlandkarte", "Selbstvereinbarung"],
    listed: true,
    label: "Mitglied",
  },
  {
    email: "mitglied2@example.org",
    displayName: "Jonas Wagner",
    handle: "jonas-wagner",
    role: "member",
    roleText: "Lernbegleiter in der Agentur für Arbeit",
    legalDomain: "sgb3",
    region: "Leipzig",
    bio: "Neu dabei und neugierig, wie andere die Selbstvereinbarung gestalten.",
    expertise: ["Selbstvereinbarung", "Lernen mit KI"],
    listed: true,
    label: "Mitglied",
  },
  {
    email: "qv@example.org",
    displayName: "Petra Hoffmann",
    handle: "petra-hoffmann",
    role: "member",
    roleText: "Qualifizierungsverantwortliche",
    legalDomain: "cross",
    region: "Stuttgart",
    bio: "Ich unterstütze die Lernbegleitung in unserem lokalen Verbund.",
    expertise: ["lokaler Verbund", "Führungskräfte"],
    listed: false,
    label: "Mitglied",
  },
];

export const demoCategories = [
  {
    slug: "willkommen",
    name: "Willkommen und Vorstellungsrunde",
    description:
      "Stell dich vor, lerne andere Lernbegleiterinnen und Lernbegleiter kennen und frag, wie hier alles funktioniert.",
    position: 1,
  },
  {
    slug: "lerngespraeche",
    name: "Lerngespräche führen",
    description:
      "Vom Klären des Lernbedarfs bis zur Auswertung: Fragen und Erfahrungen rund um das Gespräch mit Lernenden.",
    position: 2,
  },
  {
    slug: "ilb-etablieren",
    name: "iLB etablieren und weiterentwickeln",
    description:
      "Wie wird die individuelle Lernbegleitung in der Dienststelle bekannt und selbstverständlich? Austausch mit Führungskräften und QV.",
    position: 3,
  },
  {
    slug: "aktuelle-themen",
    name: "Aktuelle Themen",
    description: "eAkte, Bürgergeld, KI im Arbeitsalltag, hybrides Arbeiten: was die Praxis gerade bewegt.",
    position: 4,
  },
  {
    slug: "methoden",
    name: "Methoden und Materialien",
    description: "Methodenkarten, Vorlagen und Ideen, die sich in der Lernbegleitung bewährt haben.",
    position: 5,
  },
  {
    slug: "materialien",
    name: "Fragen zu Materialien",
    description:
      "Zu jedem Material der Bibliothek gibt es hier eine Diskussion: Fragen, Erfahrungen und Ideen zum Einsatz.",
    position: 6,
  },
  {
    slug: "verbuende",
    name: "Lokale Verbünde",
    description: "Austausch in und zwischen den regionalen Netzwerken der Lernbegleitung.",
    position: 7,
  },
];
