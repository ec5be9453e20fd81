// The page API (docs/embedding.md): hidden pre-chat fields from the page.
const whenReady = () => (window.parley ? Promise.resolve() : new Promise((resolve) => setTimeout(() => resolve(whenReady()), 50)));
await whenReady();
window.parley.setHiddenFields({ order: 'A-1042' });
