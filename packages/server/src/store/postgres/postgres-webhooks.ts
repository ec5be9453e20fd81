import type pg from 'pg';
import type { Store } from '../store.js';
import { toWebhook, toWebhookDelivery, type WebhookDeliveryRow, type WebhookRow } from '../webhook-rows.js';

type WebhookMethods = Pick<Store, 'addWebhook' | 'webhooks' | 'deleteWebhook' | 'addWebhookDelivery' | 'getWebhookDelivery' | 'updateWebhookDelivery' | 'webhookDeliveries'>;
type Query = <Row extends pg.QueryResultRow>(sql: string, params?: unknown[]) => Promise<Row[]>;

/** D5 on PostgreSQL: webhook subscriptions and their deliveries. */
export function postgresWebhooks(query: Query, atomically: <T>(work: () => Promise<T>) => Promise<T>): WebhookMethods {
  return {
    addWebhook: async (webhook) =>
      void (await query('INSERT INTO webhooks (id, url, events, secret, created_at) VALUES ($1, $2, $3, $4, $5)', [
        webhook.id, webhook.url, JSON.stringify(webhook.events), webhook.secret, webhook.createdAt,
      ])),
    webhooks: async () => (await query<WebhookRow>('SELECT * FROM webhooks ORDER BY created_at, id')).map(toWebhook),
    deleteWebhook: (id) =>
      atomically(async () => {
        await query('DELETE FROM webhook_deliveries WHERE webhook_id = $1', [id]);
        return (await query<{ id: string }>('DELETE FROM webhooks WHERE id = $1 RETURNING id', [id])).length > 0;
      }),
    addWebhookDelivery: async (delivery) =>
      void (await query(
        `INSERT INTO webhook_deliveries (id, webhook_id, event, body, status, attempts, created_at, last_attempt_at, last_response, last_error)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [delivery.id, delivery.webhookId, delivery.event, delivery.body, delivery.status, delivery.attempts, delivery.createdAt, delivery.lastAttemptAt, delivery.lastResponse, delivery.lastError],
      )),
    getWebhookDelivery: async (id) => {
      const [row] = await query<WebhookDeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = $1', [id]);
      return row && toWebhookDelivery(row);
    },
    updateWebhookDelivery: async (id, change) =>
      void (await query('UPDATE webhook_deliveries SET status = $2, attempts = $3, last_attempt_at = $4, last_response = $5, last_error = $6 WHERE id = $1', [
        id, change.status, change.attempts, change.lastAttemptAt, change.lastResponse, change.lastError,
      ])),
    webhookDeliveries: async (webhookId, limit) =>
      (await query<WebhookDeliveryRow>('SELECT * FROM webhook_deliveries WHERE webhook_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2', [webhookId, limit])).map(toWebhookDelivery),
  };
}
