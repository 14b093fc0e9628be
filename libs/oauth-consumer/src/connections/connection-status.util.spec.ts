import { connectionOf } from './connection-status.util';

describe('connectionOf', () => {
  const key = { provider: 'github', userId: 'alice', accountId: '42' };
  const now = 1_800_000_000_000;
  const token = {
    access_token: 'at',
    refresh_token: 'rt',
    scope: 'repo, gist user',
    expires_at: now / 1000 + 600,
    nest_dance_connection: {
      accountId: '42',
      accountName: 'Ann',
      connectedAt: now - 10_000,
      updatedAt: now - 5_000,
    },
  };

  it('is active with account, scopes and dates, and never the token', () => {
    const connection = connectionOf(key, token, true, now);
    expect(connection).toEqual({
      provider: 'github',
      accountId: '42',
      account: { id: '42', name: 'Ann' },
      scopes: ['repo', 'gist', 'user'],
      connectedAt: new Date(now - 10_000),
      updatedAt: new Date(now - 5_000),
      expiresAt: new Date(now + 600_000),
      status: 'active',
    });
    expect(JSON.stringify(connection)).not.toContain('"at"');
  });

  it('is expired when refreshable, reconnect-required when not', () => {
    const expired = { ...token, expires_at: now / 1000 - 1 };
    expect(connectionOf(key, expired, true, now).status).toBe('expired');
    expect(connectionOf(key, expired, false, now).status).toBe(
      'reconnect-required',
    );
  });

  it('is refresh-failing with the last error and next retry', () => {
    const failing = {
      ...token,
      nest_dance_connection: {
        ...token.nest_dance_connection,
        refreshFailing: {
          kind: 'unavailable',
          since: now,
          retryAt: now + 2000,
        },
      },
    };
    expect(connectionOf(key, failing, true, now)).toMatchObject({
      status: 'refresh-failing',
      lastError: 'unavailable',
      nextRetryAt: new Date(now + 2000),
    });
  });

  it('is reconnect-required for a kept dead grant, whatever its expiry', () => {
    const dead = { ...token, nest_dance_reconnect: true };
    expect(connectionOf(key, dead, true, now).status).toBe(
      'reconnect-required',
    );
  });

  it('has null dates for a token stored without a connection record', () => {
    const connection = connectionOf(
      { provider: 'github', userId: 'bob' },
      { access_token: 'x' },
      false,
      now,
    );
    expect(connection).toEqual({
      provider: 'github',
      scopes: [],
      connectedAt: null,
      updatedAt: null,
      expiresAt: null,
      status: 'active',
    });
  });
});
