import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** A folder served under a URL prefix, e.g. the widget bundles under /widget/. */
export interface StaticMount {
  prefix: string;
  directory: string;
}

/**
 * Serves the mounts (the demo site and the script-tag bundles). Paths cannot
 * leave their folder; source maps are served only when asked for, since they
 * show the source to anyone.
 */
export async function registerStatic(app: FastifyInstance, mounts: readonly StaticMount[], options: { sourceMaps: boolean }): Promise<void> {
  let first = true;
  for (const { prefix, directory } of mounts) {
    await app.register(fastifyStatic, {
      root: directory,
      prefix,
      decorateReply: first,
      cacheControl: false,
      // Bundles change with every build; browsers revalidate instead of keeping stale code.
      setHeaders: (reply) => {
        reply.header('cache-control', 'no-cache');
        reply.header('x-content-type-options', 'nosniff');
      },
      allowedPath: (path) => options.sourceMaps || !path.endsWith('.map'),
      schemaHide: true,
    });
    first = false;
  }
}
