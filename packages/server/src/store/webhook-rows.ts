import type { WebhookDeliveryRecord, WebhookRecord } from './store.js';

/** D5: the stored rows of webhooks and deliveries, as both engines return them (PostgreSQL BIGINTs as strings). */
export interface WebhookRow {
  id: string;
  url: string;
  events: string;
  secret: string;
  created_at: number | string;
}

export interface WebhookDeliveryRow {
  id: string;
  webhook_id: string;
  event: string;
  body: string;
  status: WebhookDeliveryRecord['status'];
  attempts: number;
  created_at: number | string;
  last_attempt_at: number | string | null;
  last_response: number | null;
  last_error: string | null;
}

export const toWebhook = (row: WebhookRow): WebhookRecord => ({
  id: row.id,
  url: row.url,
  events: JSON.parse(row.events) as string[],
  secret: row.secret,
  createdAt: Number(row.created_at),
});

export const toWebhookDelivery = (row: WebhookDeliveryRow): WebhookDeliveryRecord => ({
  id: row.id,
  webhookId: row.webhook_id,
  event: row.event,
  body: row.body,
  status: row.status,
  attempts: row.attempts,
  createdAt: Number(row.created_at),
  lastAttemptAt: row.last_attempt_at === null ? null : Number(row.last_attempt_at),
  lastResponse: row.last_response,
  lastError: row.last_error,
});
