// What the agent knows of the customer, kept apart by how far it can be trusted (I1):
// - verified: who the site's backend signed the customer in as (the user token's name, email and
//   attributes), shown only when the service verified the token;
// - unverified: the pre-chat answers and the fields the shop page set (window.parley.setHiddenFields,
//   e.g. the order number): anyone can type or set these.
// Shown on the offer and beside the chat.
export function customerDetails(prechat, identity) {
  const box = document.createElement('div');
  box.className = 'customer';
  if (identity) {
    const { userId, name, email, attributes } = identity;
    const claims = { user: userId, ...(name ? { name } : {}), ...(email ? { email } : {}), ...attributes };
    box.append(caption('✓ Verified by the site', 'trust verified'), list(claims, 'details verified'));
  }
  if (Object.keys(prechat ?? {}).length > 0) box.append(caption('Unverified: typed in the form or set by the page', 'trust unverified'), list(prechat, 'details'));
  return box;
}

function caption(text, className) {
  const element = document.createElement('p');
  element.className = className;
  element.textContent = text;
  return element;
}

function list(fields, className) {
  const element = document.createElement('dl');
  element.className = className;
  for (const [name, value] of Object.entries(fields)) {
    const term = document.createElement('dt');
    term.textContent = name;
    const detail = document.createElement('dd');
    detail.textContent = value;
    element.append(term, detail);
  }
  return element;
}
