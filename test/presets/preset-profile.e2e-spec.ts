import { OAuthConsumerError, Preset, presets } from 'nest-dance';
import {
  buildCase,
  caseName,
  CLIENT_ID,
  PRESET_CASES,
} from './support/preset-cases';

const withProfile = PRESET_CASES.filter((c) => c.profile);

describe.each(withProfile.map((c) => [caseName(c), c] as const))(
  'profile of %s',
  (_name, c) => {
    it('maps the documented user-info sample to { id, name, email, avatarUrl, raw }', () => {
      const blueprint = buildCase(c);
      // Without a user-info endpoint (Apple), the claims of the issuer's ID token.
      expect(blueprint.userInfoUrl ?? blueprint.issuer).toMatch(/^https:\/\//);
      const profile = blueprint.profile!(c.profile!.sample);
      expect(profile).toEqual({
        ...c.profile!.expected,
        raw: c.profile!.sample,
      });
    });

    it('refuses a response without a user id, saying where to look', () => {
      const blueprint = buildCase(c);
      expect(() => blueprint.profile!({ unexpected: true })).toThrow(
        OAuthConsumerError,
      );
      expect(() => blueprint.profile!({})).toThrow(
        /user-info response has no user id.*userInfoUrl/,
      );
    });
  },
);

describe('profile coverage', () => {
  it('tests a sample for every OAuth 2.0 preset that has a profile, and only those (jira: test/oauth1)', () => {
    const tested = new Set(withProfile.map((c) => c.preset));
    for (const [name, preset] of Object.entries(presets)) {
      const example = (preset as Preset<never>).info.example ?? {};
      const blueprint = (preset as Preset<never>)({
        clientId: CLIENT_ID,
        ...example,
      } as never);
      if (blueprint.protocol === 'oauth1') continue;
      expect([name, Boolean(blueprint.profile)]).toEqual([
        name,
        tested.has(name as never),
      ]);
      // A profile reads the user-info endpoint, or (Apple: none) the issuer's ID token.
      expect([
        name,
        Boolean(blueprint.userInfoUrl ?? blueprint.issuer),
      ]).toEqual([
        name,
        Boolean(blueprint.profile) || Boolean(blueprint.issuer),
      ]);
    }
  });
});
