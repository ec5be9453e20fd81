import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { AttachmentRef } from '@parley/protocol';
import { PNG } from '../test-support/attachment-files.js';
import { openChat } from '../test-support/chat-setup.js';
import { startTestNodes, type TestNodes } from '../test-support/test-nodes.js';

describe('I2: attachments on several nodes (PostgreSQL)', { timeout: 120_000 }, () => {
  let cluster: TestNodes;
  afterEach(() => cluster.close());

  it('I2: a file uploaded through one node is served by another; the same upload through every node at once is stored once', async () => {
    cluster = await startTestNodes(3);
    const { sessionId, resumeToken } = await openChat(cluster.nodes[0]!);
    const uploads = await Promise.all(
      cluster.nodes.map(async (node) => {
        const response = await fetch(`${node.server.url}/v1/attachments?key=cmid-1&name=photo.png`, {
          method: 'POST',
          headers: { authorization: `Bearer ${resumeToken}`, 'content-type': 'application/octet-stream' },
          body: new Uint8Array(PNG),
        });
        assert.equal(response.status, 201);
        return ((await response.json()) as { attachment: AttachmentRef }).attachment;
      }),
    );
    assert.equal(new Set(uploads.map((attachment) => attachment.id)).size, 1);
    const { rows } = await cluster.stores[0]!.pool.query<{ count: string }>('SELECT COUNT(*) AS count FROM attachments WHERE session_id = $1', [sessionId]);
    assert.equal(Number(rows[0]!.count), 1);

    const link = await fetch(`${cluster.nodes[1]!.server.url}/v1/attachments/${uploads[0]!.id}/link`, { headers: { authorization: `Bearer ${resumeToken}` } });
    const { url } = (await link.json()) as { url: string };
    const file = await fetch(`${cluster.nodes[2]!.server.url}${url}`);
    assert.equal(file.status, 200);
    assert.deepEqual(Buffer.from(await file.arrayBuffer()), PNG);
    assert.deepEqual(cluster.errors(), []);
  });
});
