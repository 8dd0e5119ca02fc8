/**
 * The servers the service is measured against, each in its own process; prints
 * `{"port":N}` once listening. `floor`: a bare `node:http` server answering 204 (what the
 * collector can be at best). `naive`: what a user would write instead for a durable
 * collector, a `node:http` server that inserts each hit into SQLite (WAL, synchronous FULL),
 * one transaction per request, before answering 204.
 * Run: `node --import tsx bench/serviceFloorServer.ts floor|naive [file]`.
 */
import http from 'node:http';
import Database from 'better-sqlite3';

const [kind, file] = process.argv.slice(2);
let handle: (url: string) => void = () => undefined;
if (kind === 'naive') {
  const db = new Database(file ?? 'naive.db');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(
    'CREATE TABLE IF NOT EXISTS hits (id INTEGER PRIMARY KEY, tag_id TEXT NOT NULL, at INTEGER NOT NULL)',
  );
  const insert = db.prepare('INSERT INTO hits (tag_id, at) VALUES (?, ?)');
  handle = (url) => {
    const ti = new URLSearchParams(url.slice(url.indexOf('?') + 1)).get('ti') ?? '';
    insert.run(ti, Date.now());
  };
}
const server = http.createServer((request, response) => {
  handle(request.url ?? '');
  response.writeHead(204).end();
});
server.keepAliveTimeout = 5_000;
server.listen(0, '127.0.0.1', () => {
  console.log(JSON.stringify({ port: (server.address() as { port: number }).port }));
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
