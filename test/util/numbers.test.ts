import { describe, expect, it } from 'vitest';
import { roundSignificant, shortNumber } from '../../src/util/numbers.ts';

describe('numbers', () => {
  it('roundSignificant removes binary noise', () => {
    expect(14.4 * 0.001).not.toBe(0.0144);
    expect(roundSignificant(14.4 * 0.001, 12)).toBe(0.0144);
    expect(roundSignificant(1 / 3, 4)).toBe(0.3333);
  });

  it('shortNumber keeps integers whole and shortens the rest without exponents', () => {
    expect(shortNumber(12345)).toBe('12345');
    expect(shortNumber(0.30000000000000004)).toBe('0.3');
    expect(shortNumber(43.2)).toBe('43.2');
    expect(shortNumber(1000.0000000001101)).toBe('1000');
    expect(shortNumber(0.000123456)).toBe('0.0001235');
  });
});
