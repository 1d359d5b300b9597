/** Demo discussions, written for this project in German from the domain brief. Authors are demo e-mail addresses. */

export interface SeedReply {
  ref: string;
  author: string;
  body: string;
  anonymous?: boolean;
  thanks?: string[];
  helpful?: string[];
  replies?: SeedReply[];
}

/** A poll asked with the thread; `votes` are the demo members' choices (indexes into `options`). */
export interface SeedPoll {
  question: string;
  options: string[];
  multiple?: boolean;
  /** Closes this many days after the thread started (in the past for an ended poll). */
  closesAfterDays: number;
  votes: Record<string, number[]>;
}

export interface SeedThread {
  ref: string;
  category: string;
  type: "question" | "best_practice" | "success_story" | "impulse" | "announcement";
  title: string;
  author: string;
  body: string;
  tags: string[];
  ilbStep?: string;
  competenceArea?: string;
  audience?: string;
  legalDomain?: string;
  anonymous?: boolean;
  pinned?: boolean;
  accepted?: string;
  daysAgo: number;
  replies: SeedReply[];
  poll?: SeedPoll;
}

const sevgi = "mitglied@example.org";
const jonas = "mitglied2@example.org";
const malte = "moderation@example.org";
const petra = "qv@example.org";
const andrea = "admin@example.org";

export const demoThreads: SeedThread[] = [
  {
    ref: "demo-willkommen",
    category: "willkommen",
    type: "announcement",
    title: "Willkommen im Netzwerk – so findest du dich zurecht",
    author: malte,
    pinned: true,
    daysAgo: 30,
    tags: ["orientierung"],
    body: "Schön, dass du da bist! Hier tauschen sich Lernbegleiterinnen und Lernbegleiter aus allen Regionen aus.\n\n- **Diskussionen**: Fragen stellen, Best Practice teilen, Erfolge feiern\n- **Materialien**: OnePager, Kurzvideos und Podcasts\n- **Dialogrunden**: regelmäßige Online-Runden zu aktuellen Themen\n\nStell dich gern in diesem Raum kurz vor. *Mach mit! Misch dich ein! Frag nach!*",
    replies: [
      {
        ref: "demo-willkommen-r1",
        author: jonas,
        body: "Danke für den Überblick! Ich bin seit März dabei und freue mich auf den Austausch.",
        thanks: [malte],
      },
      {
        ref: "demo-willkommen-r2",
        author: petra,
        body: "Hallo zusammen, ich bin Qualifizierungsverantwortliche in Stuttgart und lese hier schon eine Weile mit.",
      },
    ],
  },
  {
    ref: "demo-erstes-gespraech",
    category: "lerngespraeche",
    type: "question",
    title: "Wie startet ihr das erste Lerngespräch, wenn die Lernfrage noch unklar ist?",
    author: jonas,
    daysAgo: 21,
    ilbStep: "lernbedarf",
    competenceArea: "lerngespraeche",
    audience: "neue",
    tags: ["erstgespräch", "lernfrage"],
    accepted: "demo-erstes-gespraech-r1",
    // Ended a week ago: the result shows.
    poll: {
      question: "Wie lange dauert bei euch das erste Lerngespräch?",
      options: ["bis 30 Minuten", "30 bis 60 Minuten", "länger als eine Stunde"],
      closesAfterDays: 14,
      votes: { [sevgi]: [1], [petra]: [0], [malte]: [1], [andrea]: [1] },
    },
    body: "In meinen ersten Begleitungen merke ich: Viele Kolleginnen und Kollegen kommen mit einem Gefühl, aber noch ohne klare Lernfrage. Wie steigt ihr ein, ohne gleich zu viel vorzugeben?",
    replies: [
      {
        ref: "demo-erstes-gespraech-r1",
        author: sevgi,
        helpful: [jonas, petra],
        thanks: [jonas],
        body: "Ich frage zuerst nach einer konkreten Situation aus der letzten Woche, in der es gehakt hat. Daraus entwickeln wir gemeinsam die Lernfrage.\n\nHilfreich sind drei Fragen:\n\n1. Was ist passiert?\n2. Was hättest du gern anders gemacht?\n3. Was brauchst du dafür?",
        replies: [
          {
            ref: "demo-erstes-gespraech-r1a",
            author: jonas,
            body: "Das probiere ich aus! Schreibst du die Antworten gleich mit oder erst danach?",
            replies: [
              {
                ref: "demo-erstes-gespraech-r1a1",
                author: sevgi,
                body: "Ich schreibe Stichworte mit und lasse die Person am Ende die Lernfrage selbst formulieren. So bleibt sie ihre eigene.",
              },
            ],
          },
          {
            ref: "demo-erstes-gespraech-r1b",
            author: malte,
            body: "Dazu passt unsere Methodenkarte zur Lernlandkarte. Wir stellen sie bald in die Materialien.",
          },
        ],
      },
      {
        ref: "demo-erstes-gespraech-r2",
        author: petra,
        body: "Bei uns hilft es, das Gespräch bewusst kurz zu halten: 30 Minuten, dann eine Woche Zeit zum Nachdenken.",
      },
    ],
  },
  {
    ref: "demo-lernlandkarte",
    category: "methoden",
    type: "best_practice",
    title: "Lernlandkarte auf einer Seite: so klären wir den Lernbedarf",
    author: sevgi,
    daysAgo: 18,
    ilbStep: "lernbedarf",
    competenceArea: "lerngespraeche",
    tags: ["methode", "visualisierung"],
    body: "Wir zeichnen mit der lernenden Person eine einfache Landkarte: links die heutige Situation, rechts das Ziel, dazwischen die Wege. Das dauert zehn Minuten und macht sichtbar, **wo** gelernt werden kann.\n\n> Eine Karte auf Papier wirkt oft mehr als jede Tabelle.",
    replies: [
      {
        ref: "demo-lernlandkarte-r1",
        author: jonas,
        body: "Klingt gut. Funktioniert das auch digital, zum Beispiel im Videotermin?",
        replies: [
          {
            ref: "demo-lernlandkarte-r1a",
            author: sevgi,
            body: "Ja, mit einem geteilten Whiteboard. Wichtig ist, dass die Person selbst zeichnet.",
          },
        ],
      },
      {
        ref: "demo-lernlandkarte-r2",
        author: petra,
        body: "Danke, das nehme ich in unseren nächsten Verbundtreff mit.",
        thanks: [sevgi],
      },
    ],
  },
  {
    ref: "demo-verbund-erfolg",
    category: "ilb-etablieren",
    type: "success_story",
    title: "Vom Pilot zur festen Säule: iLB in unserem Verbund",
    author: petra,
    daysAgo: 15,
    competenceArea: "etablieren",
    audience: "qv",
    legalDomain: "cross",
    tags: ["verbund", "führungskräfte"],
    body: "Vor zwei Jahren haben wir mit drei Lernbegleitungen angefangen. Heute fragen Teams von sich aus nach. Was geholfen hat: kurze Erfolgsberichte in der Dienstbesprechung und eine feste Ansprechperson bei den Führungskräften.",
    replies: [
      {
        ref: "demo-verbund-erfolg-r1",
        author: malte,
        body: "Großartig! Magst du eure Berichtsvorlage teilen? Die würde vielen helfen.",
        replies: [
          {
            ref: "demo-verbund-erfolg-r1a",
            author: petra,
            body: "Gern, ich bereite sie als Vorlage für die Materialien auf.",
          },
        ],
      },
      {
        ref: "demo-verbund-erfolg-r2",
        author: andrea,
        body: "Das ist genau die Art Geschichte, die anderen Mut macht. Danke fürs Teilen!",
      },
    ],
  },
  {
    ref: "demo-eakte-impuls",
    category: "aktuelle-themen",
    type: "impulse",
    title: "Impuls: Was verändert die eAkte an euren Lernbegleitungen?",
    author: malte,
    daysAgo: 12,
    tags: ["eAkte", "Digitalisierung"],
    body: "Mit der elektronischen Akte verändern sich Abläufe in vielen Teams. Welche Lernfragen bringen eure Kolleginnen und Kollegen dazu mit? Und wie unterstützt ihr sie beim **Lernen in der Arbeit**?",
    ilbStep: "lernen_in_der_arbeit",
    replies: [
      {
        ref: "demo-eakte-r1",
        author: sevgi,
        body: "Bei uns geht es oft um Suchstrategien und um das Vertrauen, nichts zu übersehen.",
        replies: [
          {
            ref: "demo-eakte-r2",
            author: jonas,
            body: "Das kenne ich. Helfen euch kleine Übungsaufgaben im Echtsystem?",
            replies: [
              {
                ref: "demo-eakte-r3",
                author: sevgi,
                body: "Ja, mit einer Kollegin als Tandem. Zehn Minuten täglich reichen oft.",
                replies: [
                  {
                    ref: "demo-eakte-r4",
                    author: petra,
                    body: "Tandems funktionieren bei uns auch, vor allem rechtskreisübergreifend.",
                    replies: [
                      {
                        ref: "demo-eakte-r5",
                        author: jonas,
                        body: "Wie findet ihr die Tandempartner?",
                        replies: [
                          {
                            ref: "demo-eakte-r6",
                            author: petra,
                            body: "Über eine kurze Abfrage im Team – freiwillig und ohne Vorgaben.",
                            replies: [
                              {
                                ref: "demo-eakte-r7",
                                author: sevgi,
                                body: "Freiwilligkeit ist der Schlüssel, da stimme ich zu.",
                              },
                            ],
                          },
                        ],
                      },
                    ],
                  },
                ],
              },
            ],
          },
        ],
      },
    ],
  },
  {
    ref: "demo-ueberlastung",
    category: "aktuelle-themen",
    type: "question",
    title: "Wie geht ihr mit Überlastung um, wenn Lernbegleitung neben dem Tagesgeschäft läuft?",
    author: jonas,
    anonymous: true,
    daysAgo: 9,
    tags: ["zeit", "belastung"],
    body: "Ich habe offiziell zwei Stunden pro Woche für die Lernbegleitung, in der Praxis wird es oft weniger. Wie schützt ihr diese Zeit?",
    replies: [
      {
        ref: "demo-ueberlastung-r1",
        author: sevgi,
        body: "Feste Termine im Kalender, die auch das Team sieht. Und ich sage offen, wenn es nicht passt.",
        helpful: [petra],
      },
      {
        ref: "demo-ueberlastung-r2",
        author: petra,
        body: "Sprich das gern mit deiner Führungskraft an – als Qualifizierungsverantwortliche unterstütze ich solche Gespräche.",
      },
    ],
  },
  {
    ref: "demo-fuehrungskraefte",
    category: "ilb-etablieren",
    type: "question",
    title: "Wie überzeugt ihr Führungskräfte, Zeit für Lernbegleitung freizugeben?",
    author: petra,
    daysAgo: 7,
    competenceArea: "etablieren",
    audience: "fk",
    tags: ["führungskräfte"],
    // Still open, and Sevgi (the demo member) has not voted yet.
    poll: {
      question: "Was hat bei euch Führungskräfte am ehesten überzeugt?",
      options: [
        "Beispiele aus dem eigenen Haus",
        "Zahlen zu Weiterbildung und Bindung",
        "Ein gemeinsames Gespräch mit der Lernbegleitung",
        "Eine Dialogrunde oder Infoveranstaltung",
      ],
      multiple: true,
      closesAfterDays: 21,
      votes: { [malte]: [0, 3], [andrea]: [0, 1], [jonas]: [2] },
    },
    body: "Einige Führungskräfte sehen den Nutzen, andere eher den Ausfall am Arbeitsplatz. Welche Argumente oder Beispiele haben bei euch gewirkt?",
    replies: [
      {
        ref: "demo-fuehrungskraefte-r1",
        author: malte,
        body: "Konkrete Beispiele aus dem eigenen Haus wirken am stärksten. Vielleicht eine Dialogrunde dazu?",
      },
    ],
  },
  {
    ref: "demo-selbstvereinbarung",
    category: "lerngespraeche",
    type: "best_practice",
    title: "Selbstvereinbarung: drei Fragen, die immer funktionieren",
    author: sevgi,
    daysAgo: 6,
    ilbStep: "selbstvereinbarung",
    competenceArea: "lerngespraeche",
    tags: ["selbstvereinbarung"],
    body: "Am Ende des Gesprächs frage ich: *Was nimmst du dir vor? Bis wann? Woran merkst du, dass es geklappt hat?* Die Antworten schreibt die Person selbst auf.",
    replies: [{ ref: "demo-selbstvereinbarung-r1", author: jonas, body: "Einfach und stark. Danke!", thanks: [sevgi] }],
  },
  {
    ref: "demo-sachsen",
    category: "verbuende",
    type: "question",
    title: "Gibt es einen lokalen Verbund in Sachsen?",
    author: jonas,
    daysAgo: 5,
    legalDomain: "sgb3",
    tags: ["Sachsen", "Vernetzung"],
    body: "Ich würde mich gern mit Lernbegleiterinnen und Lernbegleitern in meiner Nähe austauschen. Gibt es schon einen Verbund?",
    replies: [],
  },
  {
    ref: "demo-ki",
    category: "aktuelle-themen",
    type: "question",
    title: "KI im Arbeitsalltag: nutzt jemand Sprachmodelle zur Vorbereitung?",
    author: sevgi,
    daysAgo: 3,
    tags: ["KI"],
    body: "Mich interessiert, ob und wie ihr KI-Werkzeuge nutzt, etwa um Fragen für ein Lerngespräch vorzubereiten – natürlich ohne personenbezogene Daten.",
    replies: [],
  },
  {
    ref: "demo-pruefung",
    category: "lerngespraeche",
    type: "success_story",
    title: "Prüfung bestanden – mit Lernen in der Arbeit",
    author: sevgi,
    daysAgo: 2,
    ilbStep: "auswertung",
    tags: ["erfolg"],
    body: "Ein Kollege, den ich ein halbes Jahr begleitet habe, hat seine Fortbildung abgeschlossen. Er hat jede Woche eine kleine Aufgabe aus dem Arbeitsalltag als Übung genutzt. Ich freue mich riesig!",
    replies: [
      { ref: "demo-pruefung-r1", author: petra, body: "Herzlichen Glückwunsch an euch beide!", thanks: [sevgi] },
    ],
  },
  {
    ref: "demo-reflexionsbogen",
    category: "methoden",
    type: "question",
    title: "Reflexionsbogen für die Auswertung gesucht",
    author: jonas,
    daysAgo: 1,
    ilbStep: "auswertung",
    tags: ["vorlage", "auswertung"],
    accepted: "demo-reflexionsbogen-r1",
    body: "Hat jemand einen kurzen Bogen für das Abschlussgespräch, der nicht nach Prüfung aussieht?",
    replies: [
      {
        ref: "demo-reflexionsbogen-r1",
        author: malte,
        body: "Wir nutzen vier offene Fragen auf einer Seite. Die Vorlage kommt in die Materialien; bis dahin schicke ich sie dir gern.",
        helpful: [jonas],
      },
    ],
  },
];
