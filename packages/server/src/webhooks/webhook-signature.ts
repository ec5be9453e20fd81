import { createHmac, randomBytes } from 'node:crypto';

/** D5: the headers every delivery carries. */
export const WEBHOOK_HEADERS = {
  id: 'parley-delivery-id',
  timestamp: 'parley-timestamp',
  signature: 'parley-signature',
} as const;

/** `v1=` and the hex HMAC-SHA256 of `${timestamp}.${body}` under the subscription's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** A new secret: 32 random bytes, base64url, with a prefix that says what it is. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
