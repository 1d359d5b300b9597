/**
 * The site's timed jobs: expired sessions and data exports, case consultations (deadlines, reminders, retention),
 * round reminders with the mail outbox, digests, Merkliste reminders. Each is safe to run in several processes at
 * once (claims in the database), but a service with several workers runs them in one (server/cluster.ts): the same
 * work N times over is N times the queries for nothing.
 */
import { runCaseJobs } from "../app/models/cases/jobs.server.ts";
import { runRoundJobs } from "../app/models/rounds/jobs.server.ts";
import { runDigests } from "../app/models/notifications/digest.server.ts";
import { runBookmarkReminders } from "../app/models/bookmarks/bookmarks.server.ts";
import { deleteExpiredExports } from "../app/models/privacy/export.server.ts";
import { deleteExpiredSessions } from "../app/models/accounts/sessions.server.ts";

interface Job {
  /** The job's label in the metrics and logs (ADR 043). */
  name: string;
  everyMs: number;
  /** Also once right at start (the sweeps), or only after the first interval. */
  atStart?: boolean;
  run: (now: Date) => Promise<unknown>;
}

const JOBS: Job[] = [
  // Expired sessions are also removed when presented; this sweeps those nobody presents again. Exports expire too.
  { name: "sessions-sweep", everyMs: 6 * 60 * 60_000, atStart: true, run: () => deleteExpiredSessions() },
  { name: "exports-sweep", everyMs: 6 * 60 * 60_000, atStart: true, run: () => deleteExpiredExports() },
  // Asynchronous deadlines and reminders each minute; the retention purge runs with them.
  { name: "case-jobs", everyMs: 60_000, run: (now) => runCaseJobs(now) },
  // Round reminders (24 hours and 15 minutes before) and the mail outbox.
  { name: "round-jobs", everyMs: 30_000, run: (now) => runRoundJobs(now) },
  // Daily and weekly digests: due at 07:00 Berlin (Mondays for the weekly one); a run before that finds nothing to
  // do, and a run after it finds each member already done. Their mails go out with the outbox above.
  { name: "digests", everyMs: 5 * 60_000, run: (now) => runDigests(now) },
  // Merkliste reminders (due at 08:00 Berlin on the chosen day); each is claimed once.
  { name: "bookmark-reminders", everyMs: 60_000, run: (now) => runBookmarkReminders(now) },
];

export interface Jobs {
  /** Ends the timers and resolves when the runs under way have finished (shutdown closes the database after). */
  stop: () => Promise<void>;
}

/** Runs one job: counted by job and outcome, a failure logged (server/observe.ts). */
export type JobRunner = <T>(name: string, run: () => Promise<T>) => Promise<T | undefined>;

export function startJobs(runJob: JobRunner): Jobs {
  const running = new Set<Promise<void>>();
  const busy = new Set<string>();
  let stopped = false;
  const start = (job: Job) => {
    // One run of a job at a time: a slow run is not overtaken by the next tick.
    if (stopped || busy.has(job.name)) return;
    busy.add(job.name);
    const run = runJob(job.name, () => job.run(new Date()))
      .then(() => undefined)
      .finally(() => {
        busy.delete(job.name);
        running.delete(run);
      });
    running.add(run);
  };
  const timers = JOBS.map((job) => {
    const timer = setInterval(() => start(job), job.everyMs);
    timer.unref();
    return timer;
  });
  for (const job of JOBS) if (job.atStart) start(job);
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearInterval(timer);
      await Promise.all([...running]);
    },
  };
}
