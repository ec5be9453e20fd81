// The admin script-tag bundle: registers <parley-office-admin>, <parley-left-messages> and <parley-ratings>
// for an admin page, with no build step.
import './office-admin/parley-office-admin.js';
import './left-messages/parley-left-messages.js';
import './ratings/parley-ratings.js';
