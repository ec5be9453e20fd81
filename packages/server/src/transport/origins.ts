const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The origin of a URL (`scheme://host[:port]`), lower-cased and without a default port; undefined when it is not one. */
function originOf(url: string): string | undefined {
  try {
    const { origin } = new URL(url);
    return origin === 'null' ? undefined : origin;
  } catch {
    return undefined;
  }
}

/**
 * Which page origins may open customer sockets and read the public API: the
 * service's own and `allowedOrigins` (`*` for any), compared as whole origins,
 * scheme and port included. The service's own origin is that of `publicUrl`;
 * without one, that of the address it listens on, with its loopback aliases
 * when that address is a loopback one. The `Host` header a client sends plays
 * no part: it is the client's to write.
 */
export class OriginPolicy {
  readonly #allowed: ReadonlySet<string>;
  readonly #any: boolean;

  constructor(options: { allowedOrigins: readonly string[]; publicUrl?: string | undefined; listeningUrl?: string | undefined }) {
    this.#any = options.allowedOrigins.includes('*');
    const own = options.publicUrl !== undefined ? [options.publicUrl] : options.listeningUrl !== undefined ? withLoopbackAliases(options.listeningUrl) : [];
    this.#allowed = new Set([...options.allowedOrigins, ...own].map(originOf).filter((origin): origin is string => origin !== undefined));
  }

  /** Whether a request or socket with this `Origin` header may go on. Without one it is not a browser page (the SDK in Node): allowed. */
  allows(origin: string | undefined): boolean {
    if (origin === undefined) return true;
    if (this.#any) return true;
    const normalised = originOf(origin);
    return normalised !== undefined && this.#allowed.has(normalised);
  }
}

function withLoopbackAliases(url: string): string[] {
  const parsed = new URL(url);
  if (!isLoopbackHost(parsed.hostname)) return [url];
  return [...LOOPBACK_HOSTS].map((host) => `${parsed.protocol}//${host}:${parsed.port}`);
}

/** Whether a host name (as in a URL or a Host header, without the port) names this machine's loopback interface. */
export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK_HOSTS.has(hostname.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(hostname);
}
