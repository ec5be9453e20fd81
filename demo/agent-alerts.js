// Alerts for an agent with several chats: unread customer messages per chat, the count in the
// page title, an optional tone for a new message or offer, and a countdown on each offer.
const BASE_TITLE = document.title;

export function createAlerts(client, { selected, onChange }) {
  const seen = new Map();
  const unread = new Map();
  let conversations = {};
  let offers = [];
  let sound = false;

  const recount = () => {
    let fresh = false;
    for (const [sessionId, lines] of Object.entries(conversations)) {
      const last = lines.filter((line) => line.from === 'customer').at(-1)?.seq ?? 0;
      // The chat on screen, in a visible page, is read as it arrives.
      if (sessionId === selected() && document.visibilityState === 'visible') seen.set(sessionId, last);
      const count = lines.filter((line) => line.from === 'customer' && line.seq > (seen.get(sessionId) ?? 0)).length;
      if (count > (unread.get(sessionId) ?? 0)) fresh = true;
      unread.set(sessionId, count);
    }
    const total = [...unread.values()].reduce((sum, count) => sum + count, 0);
    document.title = total > 0 ? `(${total}) ${BASE_TITLE}` : BASE_TITLE;
    if (fresh) chime();
    onChange();
  };

  client.conversations$.subscribe((value) => {
    conversations = value;
    recount();
  });
  client.offers$.subscribe((value) => {
    if (value.some((offer) => !offers.some((known) => known.offerId === offer.offerId))) chime();
    offers = value;
  });
  document.addEventListener('visibilitychange', recount);

  function chime() {
    if (!sound) return;
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      const volume = audio.createGain();
      volume.gain.value = 0.05;
      tone.frequency.value = 660;
      tone.connect(volume).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.15);
      tone.onended = () => void audio.close();
    } catch {
      // No audio device or autoplay refused: the title and marks still show.
    }
  }

  return {
    /** Customer messages not yet seen in a chat. */
    unread: (sessionId) => unread.get(sessionId) ?? 0,
    /** The agent opened a chat: what is in it is read. */
    seen: () => recount(),
    setSound: (on) => (sound = on),
  };
}

/** "Expires in 25 s" on an offer, ticking once a second until it goes. */
export function countdown(expiresAt) {
  const label = document.createElement('span');
  label.className = 'countdown';
  label.setAttribute('role', 'timer');
  let shown = false;
  const tick = () => {
    shown ||= label.isConnected;
    // Stops once the offer left the page (accepted, declined, expired).
    if (shown && !label.isConnected) return;
    const left = Math.max(0, Math.ceil((expiresAt - Date.now()) / 1000));
    label.textContent = left > 0 ? `expires in ${left} s` : 'expiring';
    if (left > 0) setTimeout(tick, 1000);
  };
  tick();
  return label;
}
