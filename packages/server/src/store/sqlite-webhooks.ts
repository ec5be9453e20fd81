import type Database from 'better-sqlite3';
import type { Store } from './store.js';
import { toWebhook, toWebhookDelivery, type WebhookDeliveryRow, type WebhookRow } from './webhook-rows.js';

type WebhookMethods = Pick<Store, 'addWebhook' | 'webhooks' | 'deleteWebhook' | 'addWebhookDelivery' | 'getWebhookDelivery' | 'updateWebhookDelivery' | 'webhookDeliveries'>;
type Run = <T>(action: () => T) => Promise<T>;

/** D5 on SQLite: webhook subscriptions and their deliveries. */
export function sqliteWebhooks(db: Database.Database, read: Run, write: Run): WebhookMethods {
  const statements = {
    add: db.prepare('INSERT INTO webhooks (id, url, events, secret, created_at) VALUES (?, ?, ?, ?, ?)'),
    all: db.prepare<[], WebhookRow>('SELECT * FROM webhooks ORDER BY created_at, id'),
    delete: db.prepare('DELETE FROM webhooks WHERE id = ?'),
    deleteDeliveries: db.prepare('DELETE FROM webhook_deliveries WHERE webhook_id = ?'),
    addDelivery: db.prepare(
      `INSERT INTO webhook_deliveries (id, webhook_id, event, body, status, attempts, created_at, last_attempt_at, last_response, last_error)
       VALUES (@id, @webhookId, @event, @body, @status, @attempts, @createdAt, @lastAttemptAt, @lastResponse, @lastError)`,
    ),
    getDelivery: db.prepare<[string], WebhookDeliveryRow>('SELECT * FROM webhook_deliveries WHERE id = ?'),
    updateDelivery: db.prepare(
      `UPDATE webhook_deliveries SET status = @status, attempts = @attempts, last_attempt_at = @lastAttemptAt, last_response = @lastResponse, last_error = @lastError
       WHERE id = @id`,
    ),
    deliveries: db.prepare<[string, number], WebhookDeliveryRow>('SELECT * FROM webhook_deliveries WHERE webhook_id = ? ORDER BY created_at DESC, id DESC LIMIT ?'),
  };
  const remove = db.transaction((id: string) => {
    statements.deleteDeliveries.run(id);
    return statements.delete.run(id).changes > 0;
  });
  return {
    addWebhook: (webhook) => write(() => void statements.add.run(webhook.id, webhook.url, JSON.stringify(webhook.events), webhook.secret, webhook.createdAt)),
    webhooks: () => read(() => statements.all.all().map(toWebhook)),
    deleteWebhook: (id) => write(() => remove(id)),
    addWebhookDelivery: (delivery) => write(() => void statements.addDelivery.run(delivery)),
    getWebhookDelivery: (id) => read(() => {
      const row = statements.getDelivery.get(id);
      return row && toWebhookDelivery(row);
    }),
    updateWebhookDelivery: (id, change) => write(() => void statements.updateDelivery.run({ id, ...change })),
    webhookDeliveries: (webhookId, limit) => read(() => statements.deliveries.all(webhookId, limit).map(toWebhookDelivery)),
  };
}
