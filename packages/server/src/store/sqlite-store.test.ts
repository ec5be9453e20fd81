import { storeContract } from './store-contract.js';
import { openSqliteStore } from './sqlite-store.js';

storeContract('SQLite', async () => {
  const store = openSqliteStore(':memory:');
  return { store, close: async () => store.close() };
});
