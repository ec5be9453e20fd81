// The page API (docs/embedding.md): hidden pre-chat fields from the page.
const whenReady = () => (window.parley ? Promise.resolve() : new Promise((resolve) => setTimeout(() => resolve(whenReady()), 50)));
await whenReady();
window.parley.setHiddenFields({ order: 'A-1042' });

// I1: signing in. The shop's backend signs a user token (here the demo service plays that part at
// /demo/user-token); the page hands it to the widget with parley.identify().
// (Pages that reuse this script without the button, as the end-to-end tests' shop on another origin, skip it.)
document.querySelector('#sign-in')?.addEventListener('click', async () => {
  const { token } = await (await fetch('/demo/user-token?user=dana')).json();
  await window.parley.identify(token);
  document.querySelector('#sign-in').hidden = true;
  const signedIn = document.querySelector('#signed-in');
  signedIn.textContent = 'Signed in as Dana Scully.';
  signedIn.hidden = false;
});
