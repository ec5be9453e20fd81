// The admin script-tag bundle: registers <parley-office-admin> and <parley-left-messages> for an
// admin page, with no build step.
import './office-admin/parley-office-admin.js';
import './left-messages/parley-left-messages.js';
