import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** A folder served under a URL prefix, e.g. the widget bundles under /widget/. */
export interface StaticMount {
  prefix: string;
  directory: string;
}

/**
 * Serves files from the mounts, answering true when it handled the request.
 * Paths are normalised and must stay inside their folder, so `..` cannot
 * reach anything else on the machine.
 */
export async function serveStatic(request: IncomingMessage, response: ServerResponse, mounts: readonly StaticMount[]): Promise<boolean> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const pathname = decodePath(new URL(request.url ?? '/', 'http://localhost').pathname);
  if (pathname === undefined) return false;
  for (const { prefix, directory } of mounts) {
    if (!pathname.startsWith(prefix)) continue;
    const relative = pathname.slice(prefix.length) || 'index.html';
    const file = normalize(join(directory, relative.endsWith('/') ? `${relative}index.html` : relative));
    if (!file.startsWith(normalize(directory) + sep) && file !== normalize(directory)) continue;
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) continue;
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
    return true;
  }
  return false;
}

function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}
