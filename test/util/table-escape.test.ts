import { describe, expect, it } from 'vitest';
import { escapeXml } from '../../src/util/escape.ts';
import { formatTable } from '../../src/util/table.ts';

describe('formatTable', () => {
  it('aligns columns two spaces apart and leaves no trailing blanks', () => {
    expect(
      formatTable([
        ['NAME', 'RTO', 'NOTE'],
        ['az-failure', '2m', ''],
        ['pitr', '20m', 'restore'],
      ]),
    ).toEqual(['NAME        RTO  NOTE', 'az-failure  2m', 'pitr        20m  restore']);
  });

  it('puts a dashed rule under the header when asked', () => {
    expect(
      formatTable(
        [
          ['', 'metric'],
          ['PASS', 'http_req_failed'],
        ],
        { rule: true },
      ),
    ).toEqual(['      metric', '----  ---------------', 'PASS  http_req_failed']);
  });
});

describe('escapeXml', () => {
  it('escapes the five XML specials, ampersand first', () => {
    expect(escapeXml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
    expect(escapeXml('&lt;')).toBe('&amp;lt;');
  });
});
