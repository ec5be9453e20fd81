import type { Receipt } from '@parley/protocol';
import { ServiceError, type ServiceContext } from '../service/context.js';
import type { ReceiptMarks } from '../store/store.js';
import type { ChatService } from './chat-service.js';

/**
 * I4: a reader's receipt (delivered and read up to a seq). Marks only move forward: a lower or equal one
 * changes nothing and tells nobody, so a receipt repeated after a reconnect is harmless. A mark past the
 * session's last event is refused. The caller has authorized the reader (the session's customer, or its
 * assigned agent).
 */
export async function recordReceipt(context: ServiceContext, chat: ChatService, sessionId: string, by: Receipt['by'], marks: ReceiptMarks): Promise<Receipt> {
  const session = await chat.get(sessionId);
  if (marks.delivered > session.lastSeq || marks.read > session.lastSeq) {
    throw new ServiceError('bad_request', `A receipt cannot pass the session's last event (seq ${session.lastSeq}).`);
  }
  const raised = await context.store.raiseReceipt(sessionId, by, marks);
  const receipt: Receipt = { sessionId, by, delivered: raised.delivered, read: raised.read };
  if (raised.changed) context.emit({ type: 'receipt', receipt, agentIds: await chat.routing.agentsOf(sessionId) });
  return receipt;
}

/** I4: the stored receipts of a session, as the frames a resuming client gets (readers with no marks left out). */
export async function storedReceipts(context: ServiceContext, sessionId: string): Promise<Receipt[]> {
  const marks = await context.store.receiptsOf(sessionId);
  return (['customer', 'agent'] as const).filter((by) => marks[by].delivered > 0).map((by) => ({ sessionId, by, ...marks[by] }));
}
