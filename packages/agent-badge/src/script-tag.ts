// The script-tag bundle: registers <parley-agent-badge> so any page (an agent console, an intranet)
// can place it with no build step. The admin elements have their own bundle (admin-script-tag.ts),
// so agents' pages do not load them.
import './badge/parley-agent-badge.js';
