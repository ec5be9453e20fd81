import type { ChatClient, ChatClientOptions } from '@parley/sdk';

/** A same-origin iframe running its own chat client: another tab, as Web Locks and BroadcastChannel see it. */
export interface TabFrame {
  frame: HTMLIFrameElement;
  /** The client of the page now in the frame (a new one after `reload`). */
  readonly chat: ChatClient;
  /** Reloads the page, as the browser's reload button does. */
  reload(): Promise<void>;
  close(): void;
}

export async function openTab(options: Pick<ChatClientOptions, 'endpoint' | 'button'>): Promise<TabFrame> {
  const frame = document.createElement('iframe');
  frame.srcdoc = `<script type="module">
    import { createChatClient } from '/packages/sdk/src/index.ts';
    window.chat = createChatClient(${JSON.stringify(options)});
  </script>`;
  const loaded = () => new Promise((resolve) => frame.addEventListener('load', resolve, { once: true }));
  const first = loaded();
  document.body.append(frame);
  await first;
  return {
    frame,
    get chat() {
      return (frame.contentWindow as Window & { chat: ChatClient }).chat;
    },
    async reload() {
      const again = loaded();
      frame.contentWindow!.location.reload();
      await again;
    },
    close: () => frame.remove(),
  };
}
