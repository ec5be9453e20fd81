/** Every text the widget shows. A locale is one of these tables; missing entries fall back to English. */
export interface WidgetStrings {
  /** Before availability is known: neutral, promises nothing. */
  launcherUnknown: string;
  launcherOnline: string;
  launcherOffline: string;
  launcherClose: string;
  /** While a chat is open and the panel minimised: the launcher is about that chat. */
  launcherInChat: string;
  unread: (count: number) => string;
  panelTitle: string;
  close: string;
  offlineTitle: string;
  offlineIntro: string;
  name: string;
  email: string;
  message: string;
  sendMessage: string;
  offlineThanks: string;
  prechatIntro: string;
  startChat: string;
  waiting: (position: number | undefined) => string;
  agentJoined: (name: string) => string;
  agentChanged: (name: string) => string;
  you: string;
  composerLabel: string;
  send: string;
  sending: string;
  failed: string;
  retry: string;
  /** I2: the composer's button that picks files. */
  attach: string;
  /** I2: stops a file's upload, or forgets a failed one. */
  cancel: string;
  typing: (name: string) => string;
  endChat: string;
  endChatConfirm: string;
  keepChatting: string;
  reconnecting: string;
  maintenanceAhead: (until: string) => string;
  maintenanceNow: (until: string) => string;
  /** M6 with a chat open: what the customer writes waits on this device. */
  readOnlyInChat: string;
  /** M6 with no chat: nothing can be started or left. */
  readOnlyNoChat: string;
  inactive: string;
  ended: string;
  newChat: string;
  downloadTranscript: string;
  transcriptTitle: string;
  transcriptSite: string;
  transcriptAgent: string;
  transcriptDate: string;
  transcriptTimeZone: (zone: string) => string;
  chatEnded: string;
  errorGeneric: string;
  required: string;
  /** I4: the ticks on the customer's own messages. */
  ticks: { sent: string; delivered: string; read: string };
  /** I3: the rating form after the chat. */
  rateTitle: string;
  rateStars: (score: number) => string;
  rateComment: string;
  rateSend: string;
  rateThanks: string;
}
