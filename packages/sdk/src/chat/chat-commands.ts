import type { ChatEngine } from './chat-engine.js';
import type { OfflineMessage } from './chat-http.js';

/** What any tab may ask of the leader's chat engine. */
export const CHAT_COMMANDS = {
  start: (engine: ChatEngine, prechat: Record<string, string>) => engine.startChat(prechat),
  flush: (engine: ChatEngine) => engine.flush(),
  retry: (engine: ChatEngine, id: string) => engine.retry(id),
  typing: (engine: ChatEngine, on: boolean) => engine.setTyping(on),
  end: (engine: ChatEngine) => engine.end(),
  rate: (engine: ChatEngine, score: number, comment?: string) => engine.rate(score, comment),
  read: (engine: ChatEngine) => engine.markRead(),
  leave: (engine: ChatEngine, message: OfflineMessage) => engine.leaveMessage(message),
  identify: (engine: ChatEngine, userToken: string) => engine.identify(userToken),
};
