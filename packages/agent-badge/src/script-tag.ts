// The script-tag bundle: registers <parley-agent-badge>, <parley-office-admin> and <parley-left-messages> so any page
// (an agent console, an intranet) can place them with no build step.
import './badge/parley-agent-badge.js';
import './office-admin/parley-office-admin.js';
import './left-messages/parley-left-messages.js';
