import type { HelloFrame, VerifiedIdentity } from '@parley/protocol';
import type { ParleyService } from '../service/parley-service.js';
import type { Connection } from '../transport/connection.js';

/**
 * I1: the user a customer's `hello` signs in with its `userToken`, or undefined (anonymous). A token
 * that does not verify is told to the client as `bad_identity` (no `ref`: it answers the hello) and
 * the socket goes on anonymously; whether an anonymous customer may chat is `start`'s to say.
 */
export async function identifyCustomer(service: ParleyService, connection: Connection, hello: HelloFrame): Promise<VerifiedIdentity | undefined> {
  if (hello.userToken === undefined) return undefined;
  const check = await service.auth.user(hello.userToken);
  if (check.ok) return check.identity;
  const then = service.context.config.identity.required ? 'Sign in again to chat.' : 'The chat goes on anonymously.';
  const detail = check.detail === undefined ? '' : ` (${check.detail})`;
  connection.error('bad_identity', `The user token is ${check.reason}${detail}. ${then}`);
  return undefined;
}

/**
 * I1: whether a browser's own resume token may resume a session: not when the page signed in
 * another user (a shared computer). Without a verified user it may, so a user token that expired
 * mid-chat does not cost the customer their chat.
 */
export function belongsTo(session: { userId?: string | null | undefined }, identity: VerifiedIdentity | undefined): boolean {
  return !session.userId || !identity || session.userId === identity.userId;
}
