// What the customer told us before the chat: the pre-chat answers and the fields the shop page set
// (window.parley.setHiddenFields, e.g. the order number). Shown on the offer and beside the chat.
export function customerDetails(prechat) {
  const list = document.createElement('dl');
  list.className = 'details';
  for (const [name, value] of Object.entries(prechat ?? {})) {
    const term = document.createElement('dt');
    term.textContent = name;
    const detail = document.createElement('dd');
    detail.textContent = value;
    list.append(term, detail);
  }
  return list;
}
