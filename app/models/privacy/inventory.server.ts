/**
 * Every table of the database and what "Meine Daten" does with it: which rows the export includes (only rows that
 * are the member's own, never another member's) and how account deletion treats it. A test compares this list with
 * the tables in the database, so a new table cannot be forgotten: adding a table means adding one entry here.
 */
import { and, asc, eq, or, sql } from "drizzle-orm";
import {
  accountIdentities,
  auditLog,
  bookmarks,
  calendarTokens,
  caseConsultations,
  caseContributions,
  caseParticipants,
  categories,
  categoryReads,
  categoryWatches,
  dataExports,
  dialogueRounds,
  digestRuns,
  drafts,
  draftSends,
  feedTokens,
  flags,
  images,
  invitations,
  loginKnownAddresses,
  loginThrottle,
  mailOutbox,
  materialFiles,
  materials,
  notifications,
  notificationSettings,
  pollOptions,
  polls,
  pollVotes,
  postRevisions,
  profilePictures,
  posts,
  reactions,
  roundEvents,
  roundHosts,
  roundParticipants,
  roundQuestions,
  roundQuestionVotes,
  roundRegistrations,
  roundReminders,
  roundWatches,
  searchSynonyms,
  sessions,
  threadReads,
  threads,
  threadWatches,
  users,
} from "../../../db/schema/index.ts";
import type { Database } from "../db.server.ts";
import { throttleKey } from "../accounts/throttle.server.ts";

export interface Owner {
  id: string;
  email: string;
}

interface TableEntry {
  /** The table's name in the database. */
  table: string;
  /** The rows of this table that belong to the member, as they appear in the export's JSON; absent: not exported. */
  export?: (db: Database, owner: Owner) => Promise<unknown>;
  /** Why the table is not exported (nothing personal in it, or derived from exported data). */
  notExported?: string;
  /** What deleting an account does here (see deletion.server.ts; documented on /datenschutz). */
  deletion: string;
}

export const inventory: TableEntry[] = [
  {
    table: "users",
    export: async (db, { id }) => {
      const [u] = await db
        .select({
          id: users.id,
          email: users.email,
          displayName: users.displayName,
          handle: users.handle,
          role: users.role,
          roleText: users.roleText,
          legalDomain: users.legalDomain,
          region: users.region,
          bio: users.bio,
          listedInDirectory: users.listed,
          expertise: users.expertise,
          welcomeChecklistClosedAt: users.welcomeDismissedAt,
          createdAt: users.createdAt,
          updatedAt: users.updatedAt,
        })
        .from(users)
        .where(eq(users.id, id));
      return u ?? null;
    },
    deletion: "Die Zeile wird gelöscht (Name, E-Mail, Kurzname, Profil, Passwort-Hash).",
  },
  {
    table: "sessions",
    export: (db, { id }) =>
      db
        .select({ createdAt: sessions.createdAt, expiresAt: sessions.expiresAt })
        .from(sessions)
        .where(eq(sessions.userId, id)),
    deletion: "Alle Anmeldungen werden beendet (gelöscht, offene Verbindungen getrennt).",
  },
  {
    table: "account_identities",
    // Which person at the organisation's provider the account belongs to (ADR 040).
    export: (db, { id }) =>
      db
        .select({
          provider: accountIdentities.issuer,
          subject: accountIdentities.subject,
          linkedAt: accountIdentities.createdAt,
          lastSignInAt: accountIdentities.lastSignInAt,
        })
        .from(accountIdentities)
        .where(eq(accountIdentities.userId, id)),
    deletion: "Gelöscht (Fremdschlüssel); eine neue Anmeldung über die Organisation legt ein neues Konto an.",
  },
  {
    table: "session_id_tokens",
    notExported:
      "Nur der Anmeldenachweis der Organisation für das Abmelden dort; er enthält nichts, was nicht schon im Export steht, und endet mit der Sitzung.",
    deletion: "Gelöscht mit den Sitzungen (Fremdschlüssel).",
  },
  {
    table: "invitations",
    export: async (db, { id }) => ({
      created: await db
        .select({
          note: invitations.note,
          role: invitations.role,
          createdAt: invitations.createdAt,
          expiresAt: invitations.expiresAt,
          used: sql<boolean>`${invitations.usedAt} is not null`,
          revokedAt: invitations.revokedAt,
        })
        .from(invitations)
        .where(eq(invitations.createdBy, id)),
      accepted: await db.select({ usedAt: invitations.usedAt }).from(invitations).where(eq(invitations.usedBy, id)),
    }),
    deletion: "Einladungen bleiben bestehen, der Verweis auf das Mitglied wird geleert.",
  },
  {
    table: "login_throttle",
    // Only the account's counter can be found for a member; address counters are keyed by addresses alone.
    export: async (db, { email }) =>
      db
        .select({
          failures: loginThrottle.failures,
          nextAllowedAt: loginThrottle.nextAllowedAt,
          updatedAt: loginThrottle.updatedAt,
        })
        .from(loginThrottle)
        .where(eq(loginThrottle.key, await throttleKey.account(email))),
    deletion:
      "Der Zähler der Fehlversuche unter der E-Mail-Adresse wird gelöscht; Zähler je Adresse enthalten keine Person und verfallen nach einem Tag.",
  },
  {
    table: "login_known_addresses",
    // The addresses are HMACs: the member can see when, not from where (the site cannot tell either without guessing).
    export: (db, { id }) =>
      db
        .select({ lastSeenAt: loginKnownAddresses.lastSeenAt })
        .from(loginKnownAddresses)
        .where(eq(loginKnownAddresses.userId, id)),
    deletion: "Gelöscht (Fremdschlüssel).",
  },
  {
    table: "audit_log",
    // Their own actions as moderator or admin; whom an action concerned is another person's data.
    export: (db, { id }) =>
      db
        .select({
          action: auditLog.action,
          subjectType: auditLog.subjectType,
          subjectId: sql<
            string | null
          >`case when ${auditLog.subjectType} = 'user' then null else ${auditLog.subjectId} end`,
          createdAt: auditLog.createdAt,
        })
        .from(auditLog)
        .where(eq(auditLog.actorId, id))
        .orderBy(asc(auditLog.id)),
    deletion: "Die Einträge bleiben (Rechenschaft), die handelnde Person wird geleert (Fremdschlüssel „set null“).",
  },
  { table: "site_settings", notExported: "Einstellungen der Website, nichts Persönliches.", deletion: "Unverändert." },
  {
    table: "installation",
    notExported: "Zeitpunkt des ersten Starts auf dieser Datenbank, nichts Persönliches.",
    deletion: "Unverändert.",
  },
  { table: "categories", notExported: "Themenräume, nichts Persönliches.", deletion: "Unverändert." },
  {
    table: "threads",
    export: (db, { id }) =>
      db
        .select({
          id: threads.id,
          room: categories.slug,
          type: threads.type,
          title: threads.title,
          anonymous: threads.anonymous,
          tags: threads.tags,
          ilbStep: threads.ilbStep,
          competenceArea: threads.competenceArea,
          audience: threads.audience,
          legalDomain: threads.legalDomain,
          createdAt: threads.createdAt,
          deletedAt: threads.deletedAt,
        })
        .from(threads)
        .innerJoin(categories, eq(categories.id, threads.categoryId))
        .where(eq(threads.authorId, id))
        .orderBy(asc(threads.createdAt)),
    deletion:
      "Behalten: die Diskussion bleibt, als „ehemaliges Mitglied“. Löschen: ohne Antworten anderer wird sie gelöscht; mit Antworten bleibt der Eröffnungsbeitrag als „gelöscht“ stehen.",
  },
  {
    table: "posts",
    export: (db, { id }) =>
      db
        .select({
          id: posts.id,
          threadId: posts.threadId,
          parentId: posts.parentId,
          anonymous: posts.anonymous,
          body: posts.body,
          text: posts.bodyText,
          createdAt: posts.createdAt,
          editedAt: posts.editedAt,
          deletedAt: posts.deletedAt,
        })
        .from(posts)
        .where(eq(posts.authorId, id))
        .orderBy(asc(posts.createdAt)),
    deletion:
      "Behalten: Beiträge bleiben als „ehemaliges Mitglied“. Löschen: Text wird geleert, Beiträge mit Antworten bleiben als „gelöscht“. Erwähnungen in Beiträgen anderer werden zu „@ehemaliges Mitglied“.",
  },
  {
    table: "post_revisions",
    export: (db, { id }) =>
      db
        .select({
          postId: postRevisions.postId,
          title: postRevisions.title,
          body: postRevisions.body,
          createdAt: postRevisions.createdAt,
        })
        .from(postRevisions)
        .innerJoin(posts, eq(posts.id, postRevisions.postId))
        .where(eq(posts.authorId, id))
        .orderBy(asc(postRevisions.id)),
    deletion: "Frühere Fassungen gelöschter Beiträge werden gelöscht; Erwähnungen in Fassungen anderer werden ersetzt.",
  },
  {
    table: "reactions",
    export: (db, { id }) =>
      db
        .select({ postId: reactions.postId, kind: reactions.kind, createdAt: reactions.createdAt })
        .from(reactions)
        .where(eq(reactions.userId, id)),
    deletion: "Gelöscht; die Zahlen „Danke“/„Hilfreich“ werden neu gezählt.",
  },
  {
    table: "polls",
    // The polls the member asked, with their options; the totals are everyone's, not the member's.
    export: (db, { id }) =>
      db
        .select({
          threadId: polls.threadId,
          question: polls.question,
          multiple: polls.multiple,
          closesAt: polls.closesAt,
          options: sql<
            string[]
          >`(select array_agg(o.label order by o.position) from poll_options o where o.poll_id = "polls"."id")`,
          createdAt: polls.createdAt,
        })
        .from(polls)
        .where(eq(polls.createdBy, id))
        .orderBy(asc(polls.createdAt)),
    deletion: "Behalten: die Umfrage bleibt ohne Namen. Löschen: die Umfrage wird mit allen Stimmen gelöscht.",
  },
  {
    table: "poll_options",
    notExported: "Antwortmöglichkeiten; mit den eigenen Umfragen (polls) exportiert.",
    deletion: "Wie polls.",
  },
  {
    table: "poll_carried_totals",
    notExported: "Mitgebrachte Gesamtzahlen importierter Umfragen (ADR 032): Zahlen ohne Personenbezug.",
    deletion: "Wie polls.",
  },
  {
    table: "poll_votes",
    // Only the member's own votes: who else voted is never exported (ADR 026).
    export: (db, { id }) =>
      db
        .select({
          threadId: polls.threadId,
          question: polls.question,
          answer: pollOptions.label,
          createdAt: pollVotes.createdAt,
        })
        .from(pollVotes)
        .innerJoin(polls, eq(polls.id, pollVotes.pollId))
        .innerJoin(pollOptions, eq(pollOptions.id, pollVotes.optionId))
        .where(eq(pollVotes.userId, id))
        .orderBy(asc(pollVotes.createdAt), asc(pollOptions.position)),
    deletion: "Gelöscht; die Ergebnisse zählen diese Stimmen nicht mehr (ADR 026).",
  },
  {
    table: "thread_watches",
    export: (db, { id }) =>
      db
        .select({ threadId: threadWatches.threadId, createdAt: threadWatches.createdAt })
        .from(threadWatches)
        .where(eq(threadWatches.userId, id)),
    deletion: "Gelöscht.",
  },
  {
    table: "category_watches",
    export: (db, { id }) =>
      db
        .select({ room: categories.slug, createdAt: categoryWatches.createdAt })
        .from(categoryWatches)
        .innerJoin(categories, eq(categories.id, categoryWatches.categoryId))
        .where(eq(categoryWatches.userId, id)),
    deletion: "Gelöscht.",
  },
  {
    table: "thread_reads",
    export: (db, { id }) =>
      db
        .select({ threadId: threadReads.threadId, readAt: threadReads.readAt })
        .from(threadReads)
        .where(eq(threadReads.userId, id)),
    deletion: "Gelöscht.",
  },
  {
    table: "category_reads",
    export: (db, { id }) =>
      db
        .select({ room: categories.slug, readAt: categoryReads.readAt })
        .from(categoryReads)
        .innerJoin(categories, eq(categories.id, categoryReads.categoryId))
        .where(eq(categoryReads.userId, id)),
    deletion: "Gelöscht.",
  },
  {
    table: "drafts",
    export: (db, { id }) =>
      db
        .select({ key: drafts.key, content: drafts.content, updatedAt: drafts.updatedAt })
        .from(drafts)
        .where(eq(drafts.userId, id)),
    deletion: "Gelöscht; Erwähnungen in Entwürfen anderer werden ersetzt.",
  },
  {
    table: "draft_sends",
    export: (db, { id }) =>
      db.select({ key: draftSends.key, sentAt: draftSends.sentAt }).from(draftSends).where(eq(draftSends.userId, id)),
    deletion: "Gelöscht.",
  },
  {
    table: "flags",
    export: (db, { id }) =>
      db
        .select({
          postId: flags.postId,
          reason: flags.reason,
          createdAt: flags.createdAt,
          resolvedAt: flags.resolvedAt,
        })
        .from(flags)
        .where(eq(flags.reporterId, id)),
    deletion: "Meldungen bleiben für die Moderation, ohne meldende Person.",
  },
  {
    table: "notifications",
    export: (db, { id }) =>
      db
        .select({
          type: notifications.type,
          threadId: notifications.threadId,
          postId: notifications.postId,
          caseId: notifications.caseId,
          roundId: notifications.roundId,
          readAt: notifications.readAt,
          createdAt: notifications.createdAt,
        })
        .from(notifications)
        .where(eq(notifications.userId, id))
        .orderBy(asc(notifications.id)),
    deletion: "Eigene Benachrichtigungen gelöscht; in Benachrichtigungen anderer wird die auslösende Person geleert.",
  },
  {
    table: "bookmarks",
    // The member's Merkliste: what they kept (by id), their notes and reminders.
    export: (db, { id }) =>
      db
        .select({
          kind: bookmarks.kind,
          targetId: bookmarks.targetId,
          note: bookmarks.note,
          remindAt: bookmarks.remindAt,
          remindedAt: bookmarks.remindedAt,
          createdAt: bookmarks.createdAt,
        })
        .from(bookmarks)
        .where(eq(bookmarks.userId, id))
        .orderBy(asc(bookmarks.createdAt)),
    deletion: "Gelöscht (Fremdschlüssel), mit den Erinnerungen daraus.",
  },
  {
    table: "materials",
    export: (db, { id }) =>
      db
        .select({
          id: materials.id,
          type: materials.type,
          status: materials.status,
          title: materials.title,
          summary: materials.summary,
          body: materials.body,
          transcript: materials.transcript,
          tags: materials.tags,
          source: materials.source,
          licence: materials.licence,
          externalUrl: materials.externalUrl,
          authored: sql<boolean>`coalesce(${materials.createdBy} = ${id}, false)`,
          suggested: sql<boolean>`coalesce(${materials.suggestedBy} = ${id}, false)`,
          createdAt: materials.createdAt,
          publishedAt: materials.publishedAt,
        })
        .from(materials)
        .where(or(eq(materials.createdBy, id), eq(materials.suggestedBy, id)))
        .orderBy(asc(materials.createdAt)),
    deletion:
      "Veröffentlichte Materialien bleiben in der Bibliothek (ohne Verweis auf die Person); eigene, noch nicht veröffentlichte Vorschläge werden mit ihren Dateien gelöscht.",
  },
  {
    table: "material_files",
    export: (db, { id }) =>
      db
        .select({
          id: materialFiles.id,
          materialId: materialFiles.materialId,
          kind: materialFiles.kind,
          mime: materialFiles.mime,
          originalName: materialFiles.originalName,
          size: materialFiles.size,
          createdAt: materialFiles.createdAt,
        })
        .from(materialFiles)
        .where(eq(materialFiles.uploadedBy, id))
        .orderBy(asc(materialFiles.createdAt)),
    deletion:
      "Dateien veröffentlichter Materialien bleiben; nicht zugeordnete Uploads und Dateien gelöschter Vorschläge werden gelöscht.",
  },
  {
    table: "images",
    export: (db, { id }) =>
      db
        .select({
          id: images.id,
          postId: images.postId,
          materialId: images.materialId,
          width: images.width,
          height: images.height,
          createdAt: images.createdAt,
        })
        .from(images)
        .where(eq(images.uploadedBy, id))
        .orderBy(asc(images.createdAt)),
    deletion:
      "Alle hochgeladenen Bilder werden gelöscht; in Beiträgen und Materialien, die bleiben, steht an ihrer Stelle „[Bild entfernt]“.",
  },
  {
    table: "audio_facts",
    notExported: "Spieldauer einer Audiodatei für den Podcast-Feed (ADR 033), ohne Personenbezug.",
    deletion: "Wie material_files.",
  },
  { table: "collections", notExported: "Themenpakete der Moderation, ohne Person.", deletion: "Unverändert." },
  { table: "collection_items", notExported: "Themenpakete der Moderation, ohne Person.", deletion: "Unverändert." },
  {
    table: "feed_tokens",
    // The secret itself is never stored in readable form, and never exported.
    export: async (db, { id }) => {
      const [row] = await db
        .select({ createdAt: feedTokens.createdAt })
        .from(feedTokens)
        .where(eq(feedTokens.userId, id));
      return { exists: !!row, createdAt: row?.createdAt ?? null };
    },
    deletion: "Gelöscht (Podcast-Adresse ungültig).",
  },
  {
    table: "case_consultations",
    export: (db, { id }) =>
      db
        .select({
          id: caseConsultations.id,
          topic: caseConsultations.topic,
          situation: caseConsultations.situation,
          tried: caseConsultations.tried,
          keyQuestion: caseConsultations.keyQuestion,
          mode: caseConsultations.mode,
          phase: caseConsultations.phase,
          takeaway: caseConsultations.takeaway,
          learningTitle: caseConsultations.learningTitle,
          learningText: caseConsultations.learningText,
          createdAt: caseConsultations.createdAt,
          closedAt: caseConsultations.closedAt,
          purgedAt: caseConsultations.purgedAt,
        })
        .from(caseConsultations)
        .where(eq(caseConsultations.caseGiverId, id)),
    deletion: "Eigene Fälle (als fallgebende Person) werden mit allem Inhalt gelöscht.",
  },
  {
    table: "case_participants",
    export: (db, { id }) =>
      db
        .select({
          caseId: caseParticipants.caseId,
          role: caseParticipants.role,
          agreedAt: caseParticipants.agreedAt,
          nameConsent: caseParticipants.nameConsent,
        })
        .from(caseParticipants)
        .where(eq(caseParticipants.userId, id)),
    deletion: "Gelöscht: die Fallberatungen anderer verlieren den Namen.",
  },
  {
    table: "case_contributions",
    // Only what they wrote themselves, and only what the retention purge has not yet removed.
    export: (db, { id }) =>
      db
        .select({
          caseId: caseContributions.caseId,
          phase: caseContributions.phase,
          kind: caseContributions.kind,
          prompt: caseContributions.prompt,
          body: caseContributions.body,
          createdAt: caseContributions.createdAt,
        })
        .from(caseContributions)
        .where(eq(caseContributions.authorId, id))
        .orderBy(asc(caseContributions.id)),
    deletion: "In Fallberatungen anderer bleiben sie ohne Namen stehen (bis zur Löschfrist der Fallberatung).",
  },
  {
    table: "dialogue_rounds",
    export: (db, { id }) =>
      db
        .select({
          id: dialogueRounds.id,
          title: dialogueRounds.title,
          description: dialogueRounds.description,
          startsAt: dialogueRounds.startsAt,
          createdAt: dialogueRounds.createdAt,
        })
        .from(dialogueRounds)
        .where(eq(dialogueRounds.createdBy, id)),
    deletion: "Dialogrunden bleiben; „angelegt von“ und „hat das Wort“ werden geleert.",
  },
  {
    table: "round_hosts",
    export: (db, { id }) =>
      db.select({ roundId: roundHosts.roundId }).from(roundHosts).where(eq(roundHosts.userId, id)),
    deletion: "Gelöscht.",
  },
  { table: "round_agenda_items", notExported: "Tagesordnung der Runde, ohne Person.", deletion: "Unverändert." },
  {
    table: "round_registrations",
    export: (db, { id }) =>
      db
        .select({
          roundId: roundRegistrations.roundId,
          round: dialogueRounds.title,
          status: roundRegistrations.status,
          queuedAt: roundRegistrations.queuedAt,
        })
        .from(roundRegistrations)
        .innerJoin(dialogueRounds, eq(dialogueRounds.id, roundRegistrations.roundId))
        .where(eq(roundRegistrations.userId, id)),
    deletion: "Gelöscht; frei gewordene Plätze gehen an die Warteliste.",
  },
  {
    table: "round_watches",
    export: (db, { id }) =>
      db.select({ roundId: roundWatches.roundId }).from(roundWatches).where(eq(roundWatches.userId, id)),
    deletion: "Gelöscht.",
  },
  {
    table: "round_questions",
    export: (db, { id }) =>
      db
        .select({
          roundId: roundQuestions.roundId,
          text: roundQuestions.text,
          votes: roundQuestions.votes,
          createdAt: roundQuestions.createdAt,
        })
        .from(roundQuestions)
        .where(eq(roundQuestions.authorId, id)),
    deletion: "Behalten: ohne Namen. Löschen: die Fragen werden gelöscht.",
  },
  {
    table: "round_question_votes",
    export: (db, { id }) =>
      db
        .select({ questionId: roundQuestionVotes.questionId })
        .from(roundQuestionVotes)
        .where(eq(roundQuestionVotes.userId, id)),
    deletion: "Gelöscht; die Stimmen werden neu gezählt.",
  },
  {
    table: "round_participants",
    export: (db, { id }) =>
      db
        .select({
          roundId: roundParticipants.roundId,
          handRaisedAt: roundParticipants.handRaisedAt,
          muted: roundParticipants.muted,
          removed: roundParticipants.removed,
          scribe: roundParticipants.scribe,
        })
        .from(roundParticipants)
        .where(eq(roundParticipants.userId, id)),
    deletion: "Gelöscht.",
  },
  {
    table: "round_events",
    // Chat they wrote. Notes events carry the whole shared text (everyone's), so they are not theirs alone.
    export: (db, { id }) =>
      db
        .select({
          roundId: roundEvents.roundId,
          seq: roundEvents.seq,
          text: roundEvents.text,
          createdAt: roundEvents.createdAt,
        })
        .from(roundEvents)
        .where(and(eq(roundEvents.authorId, id), eq(roundEvents.kind, "chat")))
        .orderBy(asc(roundEvents.id)),
    deletion: "Behalten: Chatnachrichten ohne Namen. Löschen: ihr Text wird geleert.",
  },
  {
    table: "round_reminders",
    export: (db, { id }) =>
      db
        .select({ roundId: roundReminders.roundId, kind: roundReminders.kind, sentAt: roundReminders.sentAt })
        .from(roundReminders)
        .where(eq(roundReminders.userId, id)),
    deletion: "Gelöscht.",
  },
  {
    table: "calendar_tokens",
    export: async (db, { id }) => {
      const [row] = await db
        .select({ createdAt: calendarTokens.createdAt })
        .from(calendarTokens)
        .where(eq(calendarTokens.userId, id));
      return { exists: !!row, createdAt: row?.createdAt ?? null };
    },
    deletion: "Gelöscht (Kalender-Adresse ungültig).",
  },
  {
    table: "search_documents",
    notExported: "Suchindex, abgeleitet aus Profil und Beiträgen (die exportiert werden).",
    deletion: "Profil aus der Suche entfernt, betroffene Beiträge neu indiziert.",
  },
  { table: "search_texts", notExported: "Suchindex (abgeleitet).", deletion: "Wie search_documents." },
  {
    table: "search_facet_sets",
    notExported: "Kombinationen von Filterwerten der Suche, ohne Person.",
    deletion: "Unverändert.",
  },
  {
    table: "search_words",
    notExported: "Wortliste der Suche, ohne Person.",
    deletion: "Wörter aus Name und Kurzname werden entfernt.",
  },
  { table: "search_outbox", notExported: "Technische Warteschlange der Suche.", deletion: "Unverändert." },
  {
    table: "search_synonyms",
    export: (db, { id }) =>
      db
        .select({ terms: searchSynonyms.terms, updatedAt: searchSynonyms.updatedAt })
        .from(searchSynonyms)
        .where(eq(searchSynonyms.updatedBy, id)),
    deletion: "Synonyme bleiben, „geändert von“ wird geleert.",
  },
  { table: "search_query_stats", notExported: "Suchanfragen werden ohne Person gezählt.", deletion: "Unverändert." },
  {
    table: "mail_outbox",
    export: (db, { email }) =>
      db
        // When and whether; not the texts: notification mails quote other members (their names and posts).
        .select({ status: mailOutbox.status, createdAt: mailOutbox.createdAt, sentAt: mailOutbox.sentAt })
        .from(mailOutbox)
        .where(eq(mailOutbox.to, email))
        .orderBy(asc(mailOutbox.id)),
    deletion:
      "Mails an die Adresse werden gelöscht (auch noch nicht versandte), ebenso Mails an andere, die den Namen, den Kurznamen oder die Adresse nennen.",
  },
  {
    table: "notification_settings",
    export: (db, { id }) =>
      db
        .select({
          group: notificationSettings.group,
          delivery: notificationSettings.delivery,
          updatedAt: notificationSettings.updatedAt,
        })
        .from(notificationSettings)
        .where(eq(notificationSettings.userId, id))
        .orderBy(asc(notificationSettings.group)),
    deletion: "Die eigenen Einstellungen werden gelöscht.",
  },
  {
    table: "digest_runs",
    export: (db, { id }) =>
      db
        .select({ period: digestRuns.period, lastDigest: digestRuns.slot, coveredUntil: digestRuns.coveredUntil })
        .from(digestRuns)
        .where(eq(digestRuns.userId, id)),
    deletion: "Gelöscht (wann die letzte Zusammenfassung verschickt wurde).",
  },
  {
    table: "material_usage",
    notExported: "Aufrufe und Downloads je Material und Tag, ohne Bezug zu einer Person.",
    deletion: "Unverändert.",
  },
  {
    table: "download_marks",
    notExported:
      "Nur für den laufenden Tag: ob ein Download schon gezählt ist, als Prüfwert ohne Konto oder Namen (einmal pro Person und Tag).",
    deletion: "Einträge früherer Tage werden beim nächsten gezählten Download gelöscht.",
  },
  {
    table: "accessibility_feedback",
    notExported:
      "Rückmeldungen zur Barrierefreiheit gehen an die Moderation (auch von Gästen ohne Konto); sie sind kein Inhalt deines Kontos.",
    deletion:
      "Name und Kontaktangabe aus dem Formular werden gelöscht, ebenso der Bezug zum Konto; der Text bleibt für die Bearbeitung durch die Moderation.",
  },
  {
    table: "site_keys",
    notExported: "Schlüssel der Seite zum Signieren von Abmeldelinks; nichts Persönliches.",
    deletion: "Unverändert.",
  },
  {
    table: "socket_io_attachments",
    notExported: "Kurzlebige technische Daten der Live-Verbindungen.",
    deletion: "Unverändert.",
  },
  {
    table: "data_exports",
    export: (db, { id }) =>
      db
        .select({ createdAt: dataExports.createdAt, state: dataExports.state })
        .from(dataExports)
        .where(eq(dataExports.userId, id)),
    deletion: "Gelöscht, mit den Zip-Dateien.",
  },
  {
    table: "profile_pictures",
    // The pictures themselves go into the zip as files (profilbild/, see picturesOf); here what describes them.
    export: async (db, { id }) => {
      const [p] = await db
        .select({
          file: sql<string>`'profilbild/'`,
          sourceWidth: profilePictures.sourceWidth,
          sourceHeight: profilePictures.sourceHeight,
          square: sql<unknown>`json_build_object('focusX', ${profilePictures.focusX}, 'focusY', ${profilePictures.focusY}, 'zoom', ${profilePictures.zoom})`,
          createdAt: profilePictures.createdAt,
          updatedAt: profilePictures.updatedAt,
        })
        .from(profilePictures)
        .where(eq(profilePictures.userId, id));
      return p ?? null;
    },
    deletion: "Das Profilbild wird mit dem Konto gelöscht (alle Größen und das hochgeladene Bild).",
  },
];

/** The member's profile picture for the zip: the uploaded picture (upright, without metadata) and the square shown. */
export async function picturesOf(db: Database, userId: string): Promise<{ name: string; bytes: Buffer }[]> {
  const [p] = await db
    .select({ source: profilePictures.source, large: profilePictures.large })
    .from(profilePictures)
    .where(eq(profilePictures.userId, userId));
  return p
    ? [
        { name: "profilbild/hochgeladen.webp", bytes: p.source },
        { name: "profilbild/profilbild-192.webp", bytes: p.large },
      ]
    : [];
}

/** Ids of material files the member uploaded, for copying them into the zip. */
export async function uploadsOf(db: Database, userId: string) {
  return db
    .select({ id: materialFiles.id, storageName: materialFiles.storageName, originalName: materialFiles.originalName })
    .from(materialFiles)
    .where(eq(materialFiles.uploadedBy, userId));
}
