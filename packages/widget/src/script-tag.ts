// The one-line embed:
//   <script src="https://chat.example.com/widget/parley-chat.js" data-button="sales" async></script>
// Registers <parley-chat>, adds one to the page configured from the tag's data attributes, and
// offers `window.parley` to the page. The panel is loaded from parley-chat-panel.js beside this file.
import { ParleyChat } from './chat/parley-chat.js';
import type { PanelModule } from './panel/panel-entry.js';

const script = document.currentScript as HTMLScriptElement | null;
const base = script?.src ?? location.href;
ParleyChat.loadPanel ??= () => import(/* @vite-ignore */ new URL('parley-chat-panel.js', base).href) as Promise<PanelModule>;

const ATTRIBUTES = ['button', 'locale', 'prechat-fields', 'theme', 'user-token'] as const;

function mount(): ParleyChat {
  const existing = document.querySelector('parley-chat');
  if (existing) return existing;
  const chat = new ParleyChat();
  chat.endpoint = script?.dataset.endpoint ?? new URL(base).origin;
  for (const name of ATTRIBUTES) {
    const value = script?.getAttribute(`data-${name}`);
    if (value !== null && value !== undefined) chat.setAttribute(name, value);
  }
  if (script?.hasAttribute('data-sound')) chat.setAttribute('sound', '');
  document.body.append(chat);
  return chat;
}

const ready = new Promise<ParleyChat>((resolve) => {
  if (document.body) resolve(mount());
  else addEventListener('DOMContentLoaded', () => resolve(mount()), { once: true });
});

/** The page API (docs/embedding.md). */
const api = {
  open: async () => (await ready).open(),
  close: async () => (await ready).close(),
  setHiddenFields: async (fields: Record<string, string>) => (await ready).setHiddenFields(fields),
  /** I1: signs the customer in with a token from the site's backend. */
  identify: async (userToken: string) => (await ready).identify(userToken),
  /** Listens to a widget event (`open`, `close`, `message`, `availability`, `unread`); returns a function that stops listening. */
  on(type: string, listener: (detail: unknown) => void): () => void {
    const handler = (event: Event) => listener((event as CustomEvent).detail);
    void ready.then((chat) => chat.addEventListener(`parley-${type}`, handler));
    return () => void ready.then((chat) => chat.removeEventListener(`parley-${type}`, handler));
  },
};
(globalThis as typeof globalThis & { parley?: typeof api }).parley ??= api;
