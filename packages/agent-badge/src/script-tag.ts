// The script-tag bundle: registers <parley-agent-badge> so any page (an agent
// console, an intranet) can place the element with no build step.
import './badge/parley-agent-badge.js';
