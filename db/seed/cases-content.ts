/** German demo content for the Kollegiale Fallberatung: invented, anonymised cases (no real people or offices). */

/** Further demo members who take part in consultations (not listed in the start log). */
export const caseDemoMembers = [
  {
    email: "mitglied3@example.org",
    displayName: "Aylin Demir",
    handle: "aylin-demir",
    roleText: "Lernbegleiterin in der Agentur für Arbeit",
    legalDomain: "sgb3" as const,
    region: "Nürnberg",
    bio: "Ich begleite vor allem Kolleginnen und Kollegen im Wiedereinstieg.",
  },
  {
    email: "mitglied4@example.org",
    displayName: "Thomas Becker",
    handle: "thomas-becker",
    roleText: "Lernbegleiter im Jobcenter",
    legalDomain: "sgb2" as const,
    region: "Kassel",
    bio: "Mich interessieren Lernwege neben dem Tagesgeschäft.",
  },
  {
    email: "mitglied5@example.org",
    displayName: "Miriam Koch",
    handle: "miriam-koch",
    roleText: "Lernbegleiterin, rechtskreisübergreifend",
    legalDomain: "cross" as const,
    region: "Bremen",
    bio: "Ich bin seit dem ersten Jahrgang Lernbegleiterin.",
  },
];

type Entry = {
  author: string;
  phase: "spontanbericht" | "schluesselfrage" | "methodenwahl" | "beratung" | "abschluss";
  kind: string;
  prompt?: string;
  body: string;
};

export const finishedAsyncCase = {
  topic: "Lernvereinbarung, die im Alltag untergeht",
  situation:
    "Eine Kollegin, die ich seit einigen Wochen begleite, hat eine klare Lernfrage und eine Selbstvereinbarung geschrieben. Im Arbeitsalltag kommt sie aber kaum dazu: Termine mit Kundinnen und Kunden gehen immer vor, und unsere Lerngespräche werden verschoben.",
  tried:
    "Ich habe kürzere Gesprächstermine angeboten und eine Erinnerung per Kalender vorgeschlagen. Beides hat nur kurz geholfen.",
  keyQuestion: "Wie kann ich sie unterstützen, Lernzeit im Alltag zu schützen, ohne Druck aufzubauen?",
  method: "loesungsideen" as const,
  takeaway:
    "Ich spreche beim nächsten Termin an, was ihr Lernen im Alltag leichter machen würde – und lasse sie selbst den ersten Schritt wählen.",
  entries: [
    {
      author: "mitglied@example.org",
      phase: "spontanbericht",
      kind: "report",
      body: "Wir haben gut angefangen, die Lernfrage ist ihr wichtig. Seit dem Quartalsende ist aber jede Woche etwas dazwischengekommen. Ich merke, dass ich ungeduldig werde.",
    },
    {
      author: "mitglied3@example.org",
      phase: "schluesselfrage",
      kind: "question",
      body: "Hat sie selbst gesagt, dass ihr die Zeit fehlt, oder ist das dein Eindruck?",
    },
    {
      author: "mitglied@example.org",
      phase: "schluesselfrage",
      kind: "answer",
      body: "Sie sagt es selbst, eher entschuldigend.",
    },
    {
      author: "mitglied@example.org",
      phase: "schluesselfrage",
      kind: "key_question",
      body: "Wie kann ich sie unterstützen, Lernzeit im Alltag zu schützen, ohne Druck aufzubauen?",
    },
    {
      author: "mitglied2@example.org",
      phase: "beratung",
      kind: "contribution",
      prompt: "Lösungsidee",
      body: "Das Lernen an eine feste Aufgabe im Arbeitsalltag koppeln, statt zusätzliche Termine zu suchen (Lernen in der Arbeit).",
    },
    {
      author: "mitglied3@example.org",
      phase: "beratung",
      kind: "contribution",
      prompt: "Lösungsidee",
      body: "Mit ihrer Führungskraft gemeinsam klären, wie viel Lernzeit im Monat realistisch ist.",
    },
    {
      author: "qv@example.org",
      phase: "beratung",
      kind: "contribution",
      prompt: "Lösungsidee",
      body: "Die Selbstvereinbarung um einen Plan B ergänzen: Was tut sie in einer Woche, in der nichts geht?",
    },
    {
      author: "mitglied@example.org",
      phase: "abschluss",
      kind: "closing",
      body: "Danke! Der Plan B und das Lernen an einer echten Aufgabe nehme ich mit.",
    },
  ] as Entry[],
};

export const runningLiveCase = {
  topic: "Lernbegleitung, wenn die Führungskraft skeptisch ist",
  situation:
    "Ich begleite einen Kollegen, der sich für eine neue Aufgabe qualifizieren möchte. Seine Führungskraft hält die Lernbegleitung für verlorene Zeit und fragt regelmäßig nach, warum er „schon wieder“ einen Termin hat.",
  tried:
    "Ich habe dem Kollegen die Informationsblätter zur Lernbegleitung mitgegeben. Ein Gespräch mit der Führungskraft gab es bisher nicht.",
  keyQuestion: "Wie kann ich den Kollegen stärken, ohne mich in den Konflikt mit der Führungskraft zu stellen?",
  entries: [
    {
      author: "mitglied@example.org",
      phase: "spontanbericht",
      kind: "report",
      body: "Der Kollege ist hoch motiviert, wirkt aber zunehmend verunsichert. Ich frage mich, ob ich mehr tun sollte oder gerade weniger.",
    },
    {
      author: "qv@example.org",
      phase: "schluesselfrage",
      kind: "question",
      body: "Weiß die Führungskraft, worum es in der Lernfrage geht?",
    },
  ] as Entry[],
};

export const openSeatsCase = {
  topic: "Erstes Lerngespräch mit einer sehr erfahrenen Kollegin",
  situation:
    "Eine Kollegin mit langer Berufserfahrung hat sich für die Lernbegleitung gemeldet. Im Vorgespräch wirkte sie, als wolle sie eigentlich nur bestätigt bekommen, dass sie alles richtig macht.",
  tried: "Ich habe offene Fragen zur Lernfrage vorbereitet, bin aber unsicher, wie ich ins Gespräch einsteige.",
  keyQuestion: "Wie finde ich mit ihr eine Lernfrage, die sie wirklich weiterbringt?",
};
