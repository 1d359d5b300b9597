/** Demo materials, written for this project in German from the domain brief. Files live in db/seed/samples/. */

export interface SeedMaterial {
  ref: string;
  type:
    | "one_pager"
    | "short_video"
    | "podcast"
    | "background"
    | "guide"
    | "checklist"
    | "method_card"
    | "fact_sheet"
    | "template"
    | "practice_example"
    | "round_outcome";
  title: string;
  summary: string;
  body?: string;
  transcript?: string;
  ilbStep?: string;
  competenceArea?: string;
  audience?: string;
  tags: string[];
  source: string;
  licence: string;
  /** Sample file names in db/seed/samples/ with their kind. */
  files?: { name: string; kind: "document" | "video" | "audio" | "image" | "captions"; mime: string; as: string }[];
  externalUrl?: string;
  status?: "published" | "review" | "draft";
  daysAgo: number;
  /** Days until the next review (negative: overdue). */
  reviewInDays: number;
  collection?: string;
}

const pdf = (as: string) => ({ name: "onepager.pdf", kind: "document" as const, mime: "application/pdf", as });

export const demoCollections = [
  {
    slug: "einstieg",
    title: "Einstieg in die Lernbegleitung",
    description: "Die ersten Schritte für neue Lernbegleiterinnen und Lernbegleiter, in sinnvoller Reihenfolge.",
  },
  {
    slug: "lerngespraeche",
    title: "Lerngespräche führen",
    description: "Methoden und Hilfen für gute Gespräche – vom Lernbedarf bis zur Auswertung.",
  },
];

export const demoMaterials: SeedMaterial[] = [
  {
    ref: "m-onepager-ilb",
    type: "one_pager",
    title: "Die individuelle Lernbegleitung auf einer Seite",
    summary:
      "Was iLB ist, für wen sie gedacht ist und wie die sechs Schritte zusammenhängen – zum Ausdrucken und Weitergeben.",
    tags: ["grundlagen"],
    competenceArea: "etablieren",
    audience: "neue",
    source: "Kompetenzteam iLB",
    licence: "intern",
    files: [pdf("iLB-auf-einer-Seite.pdf")],
    daysAgo: 200,
    reviewInDays: 165,
    collection: "einstieg",
  },
  {
    ref: "m-video-erstgespraech",
    type: "short_video",
    title: "Kurzvideo: Das erste Lerngespräch in drei Minuten",
    summary: "Ein kurzer Film mit den wichtigsten Fragen für den Einstieg – mit Untertiteln.",
    ilbStep: "lernbedarf",
    competenceArea: "lerngespraeche",
    audience: "neue",
    tags: ["erstgespräch"],
    source: "Kompetenzteam iLB",
    licence: "intern",
    files: [
      { name: "kurzvideo.webm", kind: "video", mime: "video/webm", as: "erstgespraech.webm" },
      { name: "kurzvideo.vtt", kind: "captions", mime: "text/vtt", as: "erstgespraech.vtt" },
    ],
    daysAgo: 120,
    reviewInDays: 240,
    collection: "einstieg",
  },
  {
    ref: "m-podcast-selbstvereinbarung",
    type: "podcast",
    title: "Podcast: Selbstvereinbarungen, die tragen",
    summary: "Zwei Lernbegleiterinnen erzählen, wie sie Selbstvereinbarungen formulieren, die auch im Alltag halten.",
    transcript:
      "Willkommen zum Podcast des Netzwerks. Heute sprechen wir über Selbstvereinbarungen.\n\nEine gute Selbstvereinbarung ist konkret, hat einen Termin und ein Zeichen, woran man merkt, dass es geklappt hat.\n\nWichtig ist, dass die lernende Person sie selbst formuliert.",
    ilbStep: "selbstvereinbarung",
    competenceArea: "lerngespraeche",
    tags: ["selbstvereinbarung", "podcast"],
    source: "Netzwerk-Podcast, Folge 3",
    licence: "intern",
    files: [{ name: "podcast.mp3", kind: "audio", mime: "audio/mpeg", as: "selbstvereinbarung.mp3" }],
    daysAgo: 60,
    reviewInDays: 300,
    collection: "lerngespraeche",
  },
  {
    ref: "m-methodenkarte-lernlandkarte",
    type: "method_card",
    title: "Methodenkarte: Lernlandkarte",
    summary: "In zehn Minuten sichtbar machen, wo jemand steht, wo er hinwill und welche Wege es gibt.",
    body: "**Ablauf**\n\n1. Heutige Situation links notieren\n2. Ziel rechts notieren\n3. Wege dazwischen gemeinsam zeichnen\n\n> Die lernende Person zeichnet selbst.",
    ilbStep: "lernbedarf",
    competenceArea: "lerngespraeche",
    tags: ["methode", "visualisierung"],
    source: "Praxis aus dem Netzwerk",
    licence: "CC BY 4.0",
    daysAgo: 90,
    reviewInDays: 200,
    collection: "lerngespraeche",
  },
  {
    ref: "m-checkliste-vorbereitung",
    type: "checklist",
    title: "Checkliste: Vorbereitung auf ein Lerngespräch",
    summary: "Raum, Zeit, Unterlagen, Haltung: woran du vor dem Gespräch denken solltest.",
    body: "- Ruhiger Raum oder Videotermin ohne Störungen\n- 45 Minuten eingeplant\n- Notizen vom letzten Gespräch gelesen\n- Offene Fragen vorbereitet, keine fertigen Lösungen",
    ilbStep: "lernbedarf",
    competenceArea: "lerngespraeche",
    audience: "neue",
    tags: ["vorbereitung"],
    source: "Kompetenzteam iLB",
    licence: "intern",
    daysAgo: 400,
    reviewInDays: -20,
    collection: "einstieg",
  },
  {
    ref: "m-hintergrund-lernen-arbeit",
    type: "background",
    title: "Hintergrund: Lernen in der Arbeit",
    summary: "Warum Lernen am Arbeitsplatz so wirksam ist und was die Forschung dazu sagt – kurz zusammengefasst.",
    body: "Lernen geschieht zu einem großen Teil in der Arbeit selbst. Aufgaben, die etwas über dem heutigen Können liegen, und Rückmeldung von Kolleginnen und Kollegen sind dabei besonders wirksam.",
    ilbStep: "lernen_in_der_arbeit",
    competenceArea: "etablieren",
    tags: ["forschung", "lernen in der arbeit"],
    source: "Zusammenfassung des Kompetenzteams",
    licence: "intern",
    daysAgo: 300,
    reviewInDays: 10,
  },
  {
    ref: "m-leitfaden-fuehrungskraefte",
    type: "guide",
    title: "Leitfaden: iLB mit Führungskräften besprechen",
    summary: "Gesprächsbausteine, Argumente und Beispiele für das Gespräch über Zeit für Lernbegleitung.",
    audience: "fk",
    competenceArea: "etablieren",
    tags: ["führungskräfte"],
    source: "Kompetenzteam iLB",
    licence: "intern",
    files: [pdf("Leitfaden-Fuehrungskraefte.pdf")],
    daysAgo: 150,
    reviewInDays: 215,
  },
  {
    ref: "m-steckbrief-rollen",
    type: "fact_sheet",
    title: "Steckbrief: Rollen rund um die Lernbegleitung",
    summary: "Lernbegleitung, Qualifizierungsverantwortliche, Führungskraft: wer macht was?",
    audience: "qv",
    competenceArea: "etablieren",
    tags: ["rollen"],
    source: "Kompetenzteam iLB",
    licence: "intern",
    daysAgo: 180,
    reviewInDays: 185,
  },
  {
    ref: "m-vorlage-reflexion",
    type: "template",
    title: "Vorlage: Reflexionsbogen für das Abschlussgespräch",
    summary: "Vier offene Fragen auf einer Seite, als leere Vorlage zum Ausfüllen.",
    ilbStep: "auswertung",
    tags: ["vorlage", "auswertung"],
    source: "Kompetenzteam iLB",
    licence: "intern",
    files: [pdf("Reflexionsbogen.pdf")],
    daysAgo: 5,
    reviewInDays: 360,
  },
  {
    ref: "m-praxis-tandem",
    type: "practice_example",
    title: "Praxisbeispiel: Lerntandems für die eAkte",
    summary: "Wie ein Team mit zehn Minuten täglich im Tandem sicher mit der elektronischen Akte wurde.",
    body: "Zwei Kolleginnen üben jeden Tag zehn Minuten gemeinsam im Echtsystem. Nach vier Wochen fühlten sich beide sicher.",
    ilbStep: "lernen_in_der_arbeit",
    tags: ["eAkte", "Tandem"],
    source: "Lokaler Verbund Köln",
    licence: "intern",
    daysAgo: 30,
    reviewInDays: 335,
  },
  {
    ref: "m-ergebnis-eakte",
    type: "round_outcome",
    title: "Ergebnis der Dialogrunde „eAkte im Alltag“",
    summary:
      "Die wichtigsten Erkenntnisse aus der Online-Dialogrunde: Suchstrategien, Tandems, Vertrauen in das System.",
    body: "**Kernpunkte**\n\n- Suchstrategien gemeinsam üben\n- Tandems freiwillig bilden\n- Fehlerfreundlichkeit im Team fördern",
    ilbStep: "lernen_in_der_arbeit",
    tags: ["eAkte", "Dialogrunde"],
    source: "Dialogrunde vom Frühjahr",
    licence: "intern",
    daysAgo: 45,
    reviewInDays: 320,
  },
  {
    ref: "m-onepager-lernweg",
    type: "one_pager",
    title: "OnePager: Lernwege finden",
    summary: "Formelle und informelle Lernwege im Überblick – welche passt zu welcher Lernfrage?",
    ilbStep: "lernweg",
    competenceArea: "lerngespraeche",
    tags: ["lernweg"],
    source: "Kompetenzteam iLB",
    licence: "intern",
    files: [pdf("Lernwege-finden.pdf")],
    daysAgo: 75,
    reviewInDays: 290,
    collection: "lerngespraeche",
  },
  {
    ref: "m-video-intranet",
    type: "short_video",
    title: "Kurzvideo im Intranet: Lernarrangements gestalten",
    summary: "Ein Erklärvideo aus dem Intranet der Organisation, mit Transkript.",
    transcript: "In diesem Video zeigen wir, wie ein Lernarrangement aus Aufgaben, Zeit und Unterstützung entsteht.",
    ilbStep: "lernarrangement",
    tags: ["lernarrangement"],
    source: "Intranet",
    licence: "intern",
    externalUrl: "https://intranet.example.org/videos/lernarrangements",
    daysAgo: 100,
    reviewInDays: 265,
  },
  {
    ref: "m-checkliste-transfer",
    type: "checklist",
    title: "Checkliste: Transfer sichern",
    summary: "Wie das Gelernte im Arbeitsalltag ankommt – fünf Punkte für die letzte Begleitung.",
    body: "- Was hat sich verändert?\n- Wer weiß davon?\n- Was ist der nächste Schritt?\n- Woran merkst du Rückfälle?\n- Wen fragst du dann?",
    ilbStep: "auswertung",
    tags: ["transfer"],
    source: "Kompetenzteam iLB",
    licence: "intern",
    daysAgo: 20,
    reviewInDays: 345,
  },
  {
    ref: "m-vorschlag-ki",
    type: "practice_example",
    title: "Vorschlag: Fragenkatalog mit KI vorbereiten",
    summary:
      "Ein Mitglied schlägt vor, einen Fragenkatalog mit einem Sprachmodell vorzubereiten – ohne personenbezogene Daten.",
    tags: ["KI"],
    source: "Vorschlag aus dem Netzwerk",
    licence: "",
    status: "review",
    daysAgo: 2,
    reviewInDays: 365,
  },
];
