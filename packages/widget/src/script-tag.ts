// The one-line embed: <script src=".../parley-chat.js" data-endpoint="…" data-button="…" async>.
// Registers <parley-chat> and adds one to the page, configured from the tag's data attributes.
import { ParleyChat } from './chat/parley-chat.js';

const script = document.currentScript as HTMLScriptElement | null;

function mount(): void {
  const chat = new ParleyChat();
  chat.endpoint = script?.dataset.endpoint ?? new URL(script?.src ?? location.href).origin;
  chat.button = script?.dataset.button ?? '';
  document.body.append(chat);
}

if (document.body) mount();
else addEventListener('DOMContentLoaded', mount, { once: true });
