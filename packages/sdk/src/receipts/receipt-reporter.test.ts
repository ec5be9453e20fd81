import { expect } from '@open-wc/testing';
import { TestScheduler } from 'rxjs/testing';
import type { ReceiptMarks } from '../chat/chat-view.js';
import { RECEIPT_DELAY_MS, ReceiptReporter } from './receipt-reporter.js';

/** A reporter on virtual time, with a socket that is open when `open()` says so; what it sent, with when. */
function reporterOn(scheduler: TestScheduler, open: () => boolean = () => true) {
  const sent: Array<[number, string, ReceiptMarks]> = [];
  const reporter = new ReceiptReporter((sessionId, marks) => {
    if (!open()) return false;
    sent.push([scheduler.now(), sessionId, marks]);
    return true;
  }, scheduler);
  return { reporter, sent };
}

describe('ReceiptReporter', () => {
  it('I4: a burst of reports (a replay) is one receipt per session, after the delay; marks never go back, and a repeat sends nothing', () => {
    const scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
    scheduler.run(({ flush }) => {
      const { reporter, sent } = reporterOn(scheduler);
      for (let seq = 1; seq <= 30; seq++) reporter.report('s1', seq, false);
      reporter.report('s2', 4, true);
      reporter.report('s1', 12, true);
      flush();
      expect(sent).to.deep.equal([
        [RECEIPT_DELAY_MS, 's1', { delivered: 30, read: 12 }],
        [RECEIPT_DELAY_MS, 's2', { delivered: 4, read: 4 }],
      ]);
      reporter.report('s1', 12, true);
      reporter.report('s1', 29, false);
      reporter.report('s2', 3, true);
      flush();
      expect(sent.length).to.equal(2);
    });
  });

  it('I4: a receipt the socket could not take goes again with the next report; after a reconnect the marks go again', () => {
    const scheduler = new TestScheduler((actual, expected) => {
      expect(actual).to.deep.equal(expected);
    });
    scheduler.run(({ flush }) => {
      let open = false;
      const { reporter, sent } = reporterOn(scheduler, () => open);
      reporter.report('s1', 5, true);
      flush();
      expect(sent).to.deep.equal([]);
      open = true;
      reporter.report('s1', 5, true);
      flush();
      expect(sent.map(([, , marks]) => marks)).to.deep.equal([{ delivered: 5, read: 5 }]);
      reporter.reconnected();
      reporter.report('s1', 5, true);
      flush();
      expect(sent.map(([, , marks]) => marks)).to.deep.equal([{ delivered: 5, read: 5 }, { delivered: 5, read: 5 }]);
    });
  });
});
