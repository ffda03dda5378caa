// A loopback HTTP sink for the replay benchmark: reads each request body to the end (by its
// Content-Length), discards it, and answers 204 No Content (what S3 answers a POST upload
// without success_action_status). Plain TCP with the least work per byte (no HTTP parser, no
// stream piping), so that the sink takes as little CPU from the sender as it can, whoever sends.
// Prints "listening <port>" on stdout once it accepts connections; runs until killed.
// With --verify, it also prints the length and SHA-256 of each body to stderr.
import { createServer } from 'node:net';
import { createHash } from 'node:crypto';

const verify = process.argv.includes('--verify');
const server = createServer({ noDelay: true }, (socket) => {
  let head = Buffer.alloc(0);
  let left = -1; // body bytes still to come (-1: reading the head)
  let total = 0;
  let hash = null;
  const answer = (status) => {
    socket.write(`HTTP/1.1 ${status}\r\nContent-Length: 0\r\nConnection: keep-alive\r\n\r\n`);
    if (verify && status.startsWith('204')) process.stderr.write(`sink: ${total} bytes sha256 ${hash.digest('hex')}\n`);
    head = Buffer.alloc(0);
    left = -1;
  };
  const body = (bytes) => {
    const n = Math.min(bytes.length, left);
    if (hash) hash.update(bytes.subarray(0, n));
    left -= n;
    total += n;
    if (left === 0) answer('204 No Content');
  };
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk) => {
    if (left >= 0) return body(chunk);
    head = Buffer.concat([head, chunk]);
    const end = head.indexOf('\r\n\r\n');
    if (end < 0) return;
    const m = /\r\ncontent-length:\s*(\d+)/i.exec(head.subarray(0, end).toString('latin1'));
    if (!m) return answer('411 Length Required');
    left = Number(m[1]);
    total = 0;
    hash = verify ? createHash('sha256') : null;
    const rest = head.subarray(end + 4);
    if (left === 0) answer('204 No Content');
    else if (rest.length) body(rest);
  });
});
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${server.address().port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
