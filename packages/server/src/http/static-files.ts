import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** A folder served under a URL prefix, e.g. the widget bundles under /widget/. */
export interface StaticMount {
  prefix: string;
  directory: string;
  /**
   * Public code any page may load, whatever its origin (the script-tag
   * bundles): answered with CORS and a cross-origin resource policy, so the
   * widget's lazily imported panel loads on a shop served from elsewhere.
   */
  public?: boolean;
}

/**
 * Serves the mounts (the demo site and the script-tag bundles). Paths cannot
 * leave their folder; source maps are served only when asked for, since they
 * show the source to anyone.
 */
export async function registerStatic(app: FastifyInstance, mounts: readonly StaticMount[], options: { sourceMaps: boolean }): Promise<void> {
  let first = true;
  for (const { prefix, directory, public: open } of mounts) {
    await app.register(fastifyStatic, {
      root: directory,
      prefix,
      decorateReply: first,
      cacheControl: false,
      // Bundles change with every build; browsers revalidate instead of keeping stale code.
      setHeaders: (reply) => {
        reply.header('cache-control', 'no-cache');
        reply.header('x-content-type-options', 'nosniff');
        if (open) {
          reply.header('access-control-allow-origin', '*');
          reply.header('cross-origin-resource-policy', 'cross-origin');
        }
      },
      allowedPath: (path) => options.sourceMaps || !path.endsWith('.map'),
      schemaHide: true,
    });
    first = false;
  }
}
