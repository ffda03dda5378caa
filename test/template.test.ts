import { describe, expect, it } from 'vitest';
import { fill, formatDuration, placeholders } from '../src/core/template.js';

describe('formatDuration', () => {
  it('reads the COS expiry example as 16 h 2 min (rounded to the minute)', () => {
    expect(formatDuration(1621245817 - 1621188104)).toBe('16 h 2 min');
    expect(formatDuration(57713, 'ja')).toBe('16時間2分');
    expect(formatDuration(57713, 'zh')).toBe('16小时2分钟');
  });
  it('keeps two units and drops a zero lower unit', () => {
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(59)).toBe('59 s');
    expect(formatDuration(185)).toBe('3 min 5 s');
    expect(formatDuration(3600)).toBe('1 h');
    expect(formatDuration(3 * 86400 + 5 * 3600 + 1200)).toBe('3 d 5 h');
    expect(formatDuration(-900)).toBe('15 min');
  });
});

describe('fill', () => {
  it('fills placeholders with filters and keeps unknown ones visible', () => {
    expect(fill('{a} {b|duration} {c|json} {missing}', { a: 'x', b: 90, c: ['eq', '$key'] })).toBe('x 1 min 30 s ["eq","$key"] {missing}');
    expect(placeholders('{a} and {b|iso}')).toEqual(['a', 'b']);
  });
});

describe('sizes and yes/no in prose', () => {
  it('bytes: singular, units translated, no nested brackets', async () => {
    const { formatBytes, fill } = await import('../src/core/template.js');
    expect(formatBytes(1)).toBe('1 byte');
    expect(formatBytes(0)).toBe('0 bytes');
    expect(formatBytes(1536)).toBe('1.5 KiB = 1536 bytes');
    expect(formatBytes(24, 'ja')).toBe('24 バイト');
    expect(formatBytes(2048, 'zh')).toBe('2 KiB = 2048 字节');
    expect(fill('({size|bytes})', { size: 1048576 })).toBe('(1 MiB = 1048576 bytes)');
  });

  it('a true/false fact reads as a word', async () => {
    const { fill } = await import('../src/core/template.js');
    expect(fill('sent only after the file: {afterFile}', { afterFile: true })).toBe('sent only after the file: yes');
    expect(fill('{x}', { x: false }, 'ja')).toBe('いいえ');
    expect(fill('{x}', { x: true }, 'zh')).toBe('是');
  });
});
