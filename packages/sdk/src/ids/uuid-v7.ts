/** The last id's time and its count within that millisecond: ids made in one millisecond still sort in the order made. */
let lastMs = -1;
let count = 0;

/**
 * A UUIDv7 (RFC 9562): 48 bits of Unix time in ms, the version, a 12-bit
 * counter (RFC 9562 §6.2, method 1: it starts at a random value in its lower
 * half each millisecond and counts up), the variant, and 62 random bits. Ids
 * sort by creation time, which is the outbox's order. Written out here rather
 * than taken from the uuid package: it is these few lines, and the SDK's size
 * budget counts every byte.
 */
export function uuidv7(now: number = Date.now()): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  if (now > lastMs) {
    lastMs = now;
    count = ((bytes[6]! << 8) | bytes[7]!) & 0x7ff;
  } else if (++count > 0xfff) {
    // 4096 ids in one millisecond: borrow the next one, so the order still holds.
    lastMs++;
    count = 0;
  }
  let ms = lastMs;
  for (let index = 5; index >= 0; index--, ms = Math.floor(ms / 256)) bytes[index] = ms % 256;
  bytes[6] = 0x70 | (count >> 8);
  bytes[7] = count & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
