// The script-tag bundle: registers <parley-agent-badge> and <parley-office-admin> so any page
// (an agent console, an intranet) can place them with no build step.
import './badge/parley-agent-badge.js';
import './office-admin/parley-office-admin.js';
