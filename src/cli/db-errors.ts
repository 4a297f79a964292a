import Database from 'better-sqlite3';

/**
 * A database fault as one sentence saying what is wrong and what to do (issue 13 item 10), or undefined when `err`
 * is not one. Never a stack trace: the user can act on a permission, a full disk or a wrong file, not on a trace.
 */
export function databaseProblem(err: unknown, dbPath: string): string | undefined {
  const e = err as NodeJS.ErrnoException & { code?: string };
  const where = `the database ${dbPath}`;
  if (err instanceof Database.SqliteError) {
    const base = e.code!.replace(/_.*$/, '') === 'SQLITE' ? e.code!.split('_').slice(0, 2).join('_') : e.code!;
    switch (base) {
      case 'SQLITE_NOTADB':
        return `${where} is not a SQLite database (wrong file, or damaged beyond reading): point TERMDRIFT_DB at the termdrift database, or restore it from a backup`;
      case 'SQLITE_CORRUPT':
        return `${where} is corrupted (${e.message}): restore it from a backup; \`sqlite3 ${dbPath} .recover\` may save what is left`;
      case 'SQLITE_READONLY':
        return `${where} is read-only (${e.message}): this command writes, so give termdrift write access to the file and its directory; history, terms, diff, status, export and verify work on a read-only copy`;
      case 'SQLITE_FULL':
        return `the disk holding ${where} is full: free some space and run the command again (nothing was half-written: the last transaction was rolled back)`;
      case 'SQLITE_CANTOPEN':
        return `cannot open ${where} (${e.message}): check that its directory exists and termdrift may read and write it, or set TERMDRIFT_DB`;
      case 'SQLITE_BUSY':
      case 'SQLITE_LOCKED':
        return `${where} is locked by another process for too long: try again, or stop the other termdrift writing to it`;
      case 'SQLITE_IOERR':
        return `cannot read or write ${where} (${e.message}): check the disk and the file's permissions`;
      default:
        return `${where}: ${e.message} (${e.code})`;
    }
  }
  if (err instanceof Error && /^database schema version \d+ is newer than this termdrift/.test(err.message)) {
    return `${where}: ${err.message} (or point TERMDRIFT_DB at a database of this version)`;
  }
  if (e && (e.code === 'EACCES' || e.code === 'EROFS' || e.code === 'ENOSPC' || e.code === 'ENOTDIR' || e.code === 'EEXIST') && typeof e.path === 'string' && dbPath.startsWith(e.path)) {
    const why = e.code === 'ENOSPC' ? 'the disk is full' : e.code === 'ENOTDIR' || e.code === 'EEXIST' ? 'a part of the path is a file, not a directory' : 'permission denied or a read-only file system';
    return `cannot create the directory of ${where} (${why}): create it with write access for termdrift, or set TERMDRIFT_DB`;
  }
  return undefined;
}
