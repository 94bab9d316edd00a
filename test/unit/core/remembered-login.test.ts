import md5 from 'blueimp-md5';
import { describe, expect, it } from 'vitest';
import { forgetLogin, LOGIN_KEY, memoryStore, recallLogin, rememberLogin, type KeyValueStore } from '../../../src/core/remembered-login.js';
import { accountDomain, accountUser, computeHa1 } from '../../../src/core/sip-digest.js';

const NOW = 1764153600;

describe('remembered login', () => {
  it('keeps account and HA1, never the password', () => {
    const store = memoryStore();
    const login = rememberLogin(store, '40@pbx.test', 'hunter2', 'pbx.test', 'de', NOW);
    expect(login.ha1).toBe(md5('40:pbx.test:hunter2'));
    expect(store.map.get(LOGIN_KEY)).not.toContain('hunter2');
    expect(recallLogin(store, 'pbx.test', { now: NOW })).toEqual({ account: '40@pbx.test', ha1: login.ha1, realm: 'pbx.test', lang: 'de', savedAt: NOW });
  });

  it('expires: 30 days by default, maxAgeDays when given; undated (0.1) and far-future entries count as expired', () => {
    const store = memoryStore();
    rememberLogin(store, '40', 'pw', 'a.test', undefined, NOW);
    expect(recallLogin(store, 'a.test', { now: NOW + 30 * 86400 })).toBeDefined();
    expect(recallLogin(store, 'a.test', { now: NOW + 30 * 86400 + 1 })).toBeUndefined();
    expect(store.map.has(LOGIN_KEY)).toBe(false); // forgotten, not just hidden
    rememberLogin(store, '40', 'pw', 'a.test', undefined, NOW);
    expect(recallLogin(store, 'a.test', { now: NOW + 2 * 86400, maxAgeDays: 1 })).toBeUndefined();
    store.setItem(LOGIN_KEY, JSON.stringify({ account: '40', ha1: 'a'.repeat(32), realm: 'a.test' }));
    expect(recallLogin(store, 'a.test', { now: NOW })).toBeUndefined();
    rememberLogin(store, '40', 'pw', 'a.test', undefined, NOW + 3600);
    expect(recallLogin(store, 'a.test', { now: NOW })).toBeUndefined();
    rememberLogin(store, '40', 'pw', 'a.test', undefined, NOW + 60); // a clock adjusted by a minute
    expect(recallLogin(store, 'a.test', { now: NOW })).toBeDefined();
  });

  it('forgets a login made for another realm, and a corrupt entry', () => {
    const store = memoryStore();
    rememberLogin(store, '40', 'pw', 'a.test');
    expect(recallLogin(store, 'b.test')).toBeUndefined();
    expect(store.map.has(LOGIN_KEY)).toBe(false);
    store.setItem(LOGIN_KEY, '{not json');
    expect(recallLogin(store, 'a.test')).toBeUndefined();
    store.setItem(LOGIN_KEY, JSON.stringify({ account: '40', ha1: 'short', realm: 'a.test' }));
    expect(recallLogin(store, 'a.test')).toBeUndefined();
  });

  it('logout forgets; a storage that throws behaves as empty', () => {
    const store = memoryStore();
    rememberLogin(store, '40', 'pw', 'a.test');
    forgetLogin(store);
    expect(recallLogin(store, 'a.test')).toBeUndefined();
    const broken: KeyValueStore = { getItem: () => { throw new Error('denied'); }, setItem: () => undefined, removeItem: () => { throw new Error('denied'); } };
    expect(recallLogin(broken, 'a.test')).toBeUndefined();
    expect(() => forgetLogin(broken)).not.toThrow();
  });
});

describe('sip digest helpers', () => {
  it('splits accounts and computes HA1', () => {
    expect(accountUser('40@pbx.test')).toBe('40');
    expect(accountUser('40')).toBe('40');
    expect(accountDomain('40@pbx.test')).toBe('pbx.test');
    expect(accountDomain('40')).toBeUndefined();
    expect(computeHa1('40', 'r', 'p')).toBe(md5('40:r:p'));
  });
});
