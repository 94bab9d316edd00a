import { describe, expect, it } from 'vitest';
import { sipUserForNumber } from '../../../src/core/sip-uri.js';

describe('sipUserForNumber', () => {
  it.each([['1234', '1234'], ['+4930123', '+4930123'], ['*97', '*97'], ['*31#', '*31%23'], ['#31#12', '%2331%2312']])(
    '%s -> %s', (n, user) => expect(sipUserForNumber(n)).toBe(user));
});
