// Offline guard for the SDK oracle tests: the SDKs sign locally, so any socket, DNS look-up or
// fetch is counted and fails the file (never a silent pass).
import net from 'node:net';
import dns from 'node:dns';
import { afterAll, beforeAll, expect, vi, type MockInstance } from 'vitest';

export function guardNetwork(): { attempts: () => number } {
  let connect: MockInstance | undefined;
  let lookup: MockInstance | undefined;
  let fetchSpy: MockInstance | undefined;
  let count = 0;
  beforeAll(() => {
    connect = vi.spyOn(net.Socket.prototype, 'connect').mockImplementation(function (this: net.Socket) {
      count++;
      throw new Error('oracle tests must not open sockets');
    });
    lookup = vi.spyOn(dns, 'lookup').mockImplementation((() => {
      count++;
      throw new Error('oracle tests must not resolve names');
    }) as never);
    fetchSpy = vi.spyOn(globalThis, 'fetch').mockImplementation(async () => {
      count++;
      throw new Error('oracle tests must not fetch');
    });
  });
  afterAll(() => {
    expect(count).toBe(0);
    connect?.mockRestore();
    lookup?.mockRestore();
    fetchSpy?.mockRestore();
  });
  return { attempts: () => count };
}
