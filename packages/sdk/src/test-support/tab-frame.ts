import type { ChatClient, ChatClientOptions } from '@parley/sdk';

/** A same-origin iframe running its own chat client: another tab, as Web Locks and BroadcastChannel see it. */
export interface TabFrame {
  frame: HTMLIFrameElement;
  chat: ChatClient;
  close(): void;
}

export async function openTab(options: Pick<ChatClientOptions, 'endpoint' | 'button'>): Promise<TabFrame> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<script type="module">
    import { createChatClient } from '/packages/sdk/src/index.ts';
    window.chat = createChatClient(${JSON.stringify(options)});
  </script>`;
  const loaded = new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  document.body.append(frame);
  await loaded;
  const chat = (frame.contentWindow as Window & { chat: ChatClient }).chat;
  return { frame, chat, close: () => frame.remove() };
}
