/** The built client: its assets, and index.html for every other path (the client routes pages itself). */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';

export function clientRoutes(directory: string): Hono {
  const routes = new Hono();
  routes.use('/assets/*', serveStatic({ root: directory }));
  let indexHtml: Promise<string> | undefined;
  routes.get('*', async (c) => {
    indexHtml ??= readFile(join(directory, 'index.html'), 'utf8');
    try {
      return c.html(await indexHtml);
    } catch {
      indexHtml = undefined;
      return c.text(
        'The dashboard client is not built. Run `npm run build` in the project, then restart `patchboard serve`.',
        503,
      );
    }
  });
  return routes;
}
