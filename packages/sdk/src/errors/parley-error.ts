/**
 * Every error the SDK surfaces. `code` is stable and documented in docs/protocol.md
 * (service codes) and docs/sdk.md (client codes); `message` is for people.
 *
 * @example
 * client.send(text).catch((error) => {
 *   if (error instanceof ParleyError && error.code === 'read_only') showNotice();
 * });
 */
export class ParleyError extends Error {
  override readonly name = 'ParleyError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
