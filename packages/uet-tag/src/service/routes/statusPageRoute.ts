import { existsSync, readFileSync } from 'node:fs';
import type { FastifyInstance } from 'fastify';

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
  const assets = assetsFolder();
  for (const { path, file, type } of FILES) {
    const text = readFileSync(new URL(file, assets), 'utf8');
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

/**
 * The page's files: the package's `assets/status-page/`, looked for from this module's
 * folder upward, since the module sits at another depth in `src/`, `dist/` and a bundle.
 */
function assetsFolder(): URL {
  let folder = new URL('./', import.meta.url);
  for (let depth = 0; depth < 5; depth++) {
    const candidate = new URL('assets/status-page/', folder);
    if (existsSync(new URL('index.html', candidate))) return candidate;
    folder = new URL('../', folder);
  }
  throw new Error(
    `the status page's files (assets/status-page/) are not beside ${import.meta.url}`,
  );
}
