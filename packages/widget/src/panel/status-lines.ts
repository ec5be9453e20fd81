import type { AvailabilityView, ConnectionState } from '@parley/sdk';
import type { WidgetStrings } from '../strings/strings.js';

/** The quiet status lines above the conversation: reconnecting (M3), planned maintenance (M1), read-only in a chat (M6). */
export function statusLines(t: WidgetStrings, lang: string, connection: ConnectionState | undefined, availability: AvailabilityView | undefined, inChat: boolean): string[] {
  const lines: string[] = [];
  if (connection?.status === 'reconnecting') lines.push(t.reconnecting);
  const window = availability?.window;
  if (window) {
    // Under way is the service's word (reason `maintenance`), not the customer's clock, which may be wrong.
    const underWay = availability.reason === 'maintenance';
    lines.push(underWay ? t.maintenanceNow(new Date(window.endsAt).toLocaleString(lang)) : t.maintenanceAhead(new Date(window.startsAt).toLocaleString(lang)));
  } else if (connection?.status === 'maintenance' && connection.until) {
    lines.push(t.maintenanceNow(new Date(connection.until).toLocaleString(lang)));
  }
  // M6 with a chat open: what the customer writes waits in the outbox. Without one, the panel's body says it.
  if (availability?.reason === 'read-only' && inChat) lines.push(t.readOnlyInChat);
  return lines;
}
