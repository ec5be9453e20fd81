import { expect } from '@open-wc/testing';
import { uuidv7 } from './uuid-v7.js';

describe('message ids', () => {
  it('C6: a cmid is a UUIDv7 whose first 48 bits are its time, and ids sort in the order made, within one millisecond too (the outbox order)', () => {
    const at = Date.UTC(2026, 10, 22, 1, 2, 3, 456);
    const id = uuidv7(at + 1_000_000);
    expect(id).to.match(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).to.equal(at + 1_000_000);

    // 5000 ids in one millisecond (past the 4096 the counter holds), then a clock that steps back.
    const made = [...Array.from({ length: 5000 }, () => uuidv7(at + 2_000_000)), uuidv7(at + 1_999_000), uuidv7(at + 3_000_000)];
    expect([...made].sort()).to.deep.equal(made);
    expect(new Set(made).size).to.equal(made.length);
  });
});
