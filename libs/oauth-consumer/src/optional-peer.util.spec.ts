import { MissingPeerError } from './errors/missing-peer.error';
import { OAuthConsumerError } from './errors/oauth-consumer.error';
import { optionalPeerClass, requireOptionalPeer } from './optional-peer.util';

const ABSENT = 'nest-dance-absent-peer-for-tests';

describe('requireOptionalPeer', () => {
  it('loads an installed package', () => {
    const path = requireOptionalPeer<typeof import('node:path')>({
      packageName: 'node:path',
      feature: 'test',
    });
    expect(path.join('a', 'b')).toBe('a/b');
  });

  it('names the npm install command when the package is missing', () => {
    expect(() =>
      requireOptionalPeer({ packageName: ABSENT, feature: 'RedisRefreshLock' }),
    ).toThrow(new MissingPeerError('RedisRefreshLock', ABSENT));
    try {
      requireOptionalPeer({
        packageName: ABSENT,
        feature: 'OAuth 1.0a blueprints (oauth1)',
        install: `${ABSENT} other-package`,
      });
    } catch (error) {
      expect(error).toBeInstanceOf(OAuthConsumerError);
      expect((error as Error).name).toBe('MissingPeerError');
      expect((error as Error).message).toBe(
        `OAuth 1.0a blueprints (oauth1) needs the package '${ABSENT}': npm install ${ABSENT} other-package`,
      );
      return;
    }
    throw new Error('requireOptionalPeer did not throw');
  });
});

describe('optionalPeerClass', () => {
  it('is the peer class when the package is installed', () => {
    const Base = optionalPeerClass(
      { packageName: 'node:events', feature: 'test' },
      (events: typeof import('node:events')) => events.EventEmitter,
    );
    class Sub extends Base {}
    expect(new Sub()).toBeInstanceOf(Base);
    expect(typeof new Sub().on).toBe('function');
  });

  it('loads without the package and throws MissingPeerError on construction', () => {
    const Base = optionalPeerClass(
      { packageName: ABSENT, feature: 'OAuth1Client' },
      (m: { Client: new () => object }) => m.Client,
    );
    class Sub extends Base {}
    expect(() => new Sub()).toThrow(
      `OAuth1Client needs the package '${ABSENT}': npm install ${ABSENT}`,
    );
  });
});
