import { readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

/** The page's files, beside `src/` and `dist/` alike (`assets/status-page/`). */
const ASSETS = new URL('../../../assets/status-page/', import.meta.url);

const FILES = [
  { path: '/', file: 'index.html', type: 'text/html; charset=utf-8' },
  { path: '/status-page/app.js', file: 'app.js', type: 'text/javascript; charset=utf-8' },
  { path: '/status-page/style.css', file: 'style.css', type: 'text/css; charset=utf-8' },
] as const;

/**
 * The status page at `/` (plain HTML, CSS and JavaScript, served by the service, open to
 * anyone who may connect; the data it shows comes from the read routes, with the read token
 * given in the address as `/#token=<token>`): counts per status, a searchable and
 * filterable table of tags with status badges, a tag's goals, history and timeline,
 * updated live from `GET /changes`.
 */
export function registerStatusPageRoute(app: FastifyInstance): void {
  for (const { path, file, type } of FILES) {
    const text = readFileSync(new URL(file, ASSETS), 'utf8');
    app.get(path, { config: { access: 'public' } }, async (_request, reply) =>
      reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header(
          'content-security-policy',
          "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
        )
        .header('x-content-type-options', 'nosniff')
        .send(text),
    );
  }
}
