import fs from "node:fs";
import path from "node:path";

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `Das Datenverzeichnis ${dir} wird bereits von Prozess ${pid} benutzt. ` +
        `Zwei Prozesse auf einem eingebetteten Datenbestand würden Daten verlieren. ` +
        `Beende den anderen Prozess oder setze DATA_DIR auf ein anderes Verzeichnis.`,
    );
    this.name = "DataDirLockedError";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM means the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes an exclusive lock on a data directory by creating `.lock` with O_EXCL and our PID in it.
 * Two PGlite instances on one directory silently lose data, so a live holder makes us fail at once;
 * the lock of a process that died is taken over.
 */
export function acquireDataDirLock(dir: string): { release: () => void } {
  const absolute = path.resolve(dir);
  fs.mkdirSync(absolute, { recursive: true });
  const lockPath = path.join(absolute, ".lock");
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, "utf8").trim() === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once("exit", release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = Number.parseInt(fs.readFileSync(lockPath, "utf8").trim(), 10);
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
        throw new DataDirLockedError(absolute, holder);
      }
      // Stale: the holder is gone (or the file is garbage). Remove and retry the exclusive create.
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`Die Sperrdatei ${lockPath} konnte nicht angelegt werden.`);
}
