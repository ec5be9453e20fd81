/** Every text the widget shows. A locale is one of these tables; missing entries fall back to English. */
export interface WidgetStrings {
  launcherOnline: string;
  launcherOffline: string;
  launcherClose: string;
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
  typing: (name: string) => string;
  endChat: string;
  reconnecting: string;
  maintenanceAhead: (until: string) => string;
  maintenanceNow: (until: string) => string;
  readOnly: string;
  inactive: string;
  ended: string;
  newChat: string;
  downloadTranscript: string;
  errorGeneric: string;
  required: string;
}
