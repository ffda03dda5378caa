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
