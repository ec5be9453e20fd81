// Q1: the queue of the agent's offices, oldest first, as the service routes it. Text only.
export function showQueue(client, list) {
  client.waiting$.subscribe((entries) => {
    list.replaceChildren(
      ...entries.map((entry) => {
        const since = new Date(entry.since).toLocaleTimeString();
        const item = document.createElement('li');
        item.textContent = `${entry.position}. ${entry.prechat.name ?? 'A customer'} on ${entry.button}, waiting since ${since}${entry.offered ? ' (being offered)' : ''}`;
        return item;
      }),
    );
    if (entries.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'hint';
      empty.textContent = 'Nobody is waiting.';
      list.append(empty);
    }
  });
}
