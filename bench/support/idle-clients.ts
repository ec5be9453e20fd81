// One worker of the idle-sockets benchmark: opens its share of customer sockets, says hello, answers
// pings, and records when each availability frame arrives (absolute ms, comparable across processes).
// Driven over IPC by bench/idle-sockets.ts.
import { WebSocket } from 'ws';

interface Start {
  url: string;
  count: number;
  first: number;
}

const sockets: WebSocket[] = [];
let arrivals: number[] = [];
const now = () => performance.timeOrigin + performance.now();

function open(url: string, index: number): Promise<void> {
  return new Promise((done, fail) => {
    const socket = new WebSocket(url);
    socket.on('open', () => socket.send(JSON.stringify({ type: 'hello', v: 1, role: 'customer', browserId: `idle-${index}`, button: 'b' })));
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      if (text.startsWith('{"type":"availability"')) arrivals.push(now());
      else if (text.startsWith('{"type":"ping"')) socket.send('{"type":"pong"}');
      else if (text.startsWith('{"type":"welcome"')) done();
    });
    socket.on('error', fail);
    sockets.push(socket);
  });
}

process.on('message', async (message: { type: 'start'; start: Start } | { type: 'reset' } | { type: 'report' } | { type: 'close' }) => {
  if (message.type === 'start') {
    const { url, count, first } = message.start;
    // A few hundred handshakes in flight at a time, as a crowd of visitors arriving would be.
    for (let index = 0; index < count; index += 200) {
      await Promise.all(Array.from({ length: Math.min(200, count - index) }, (_, offset) => open(url, first + index + offset)));
    }
    process.send!({ type: 'connected' });
  } else if (message.type === 'reset') {
    arrivals = [];
    process.send!({ type: 'reset' });
  } else if (message.type === 'report') {
    process.send!({ type: 'report', arrivals });
  } else {
    for (const socket of sockets) socket.terminate();
    process.exit(0);
  }
});
