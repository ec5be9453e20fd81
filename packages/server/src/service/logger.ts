import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** The service's logger: pino, JSON lines on stdout (docs/server.md "Logs"). */
export type Logger = PinoLogger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Wherever a token or secret could sit in a logged object. Tokens travel in
 * frames and headers only, never in URLs, so a request's URL is safe to log.
 */
const REDACTED_PATHS = [
  'token',
  'resumeToken',
  'secret',
  'adminToken',
  'authorization',
  '*.token',
  '*.resumeToken',
  '*.secret',
  '*.adminToken',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
];

/** A pino logger that never writes a token or a secret: those fields are replaced by `[redacted]`. */
export function createLogger(options: { level: LogLevel; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      base: { service: 'parley' },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      serializers: {
        err: pino.stdSerializers.err,
        // Only what identifies a request: never its headers (the Authorization header holds a token).
        req: (request: { id?: unknown; method?: string; url?: string; ip?: string }) => ({ id: request.id, method: request.method, url: request.url, ip: request.ip }),
      },
    },
    options.destination ?? pino.destination({ sync: false }),
  );
}

/** Logs nothing (tests). */
export const silentLogger: Logger = pino({ level: 'silent' });
