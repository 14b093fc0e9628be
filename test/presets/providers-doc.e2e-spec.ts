import { readFileSync } from 'node:fs';
import { presets } from 'nest-dance';
import {
  PROVIDERS_DOC_PATH,
  renderProvidersDoc,
  writeProvidersDoc,
} from '../../scripts/generate-providers-doc';

describe('docs/providers.md', () => {
  if (process.env.UPDATE_PROVIDERS_DOC === '1') writeProvidersDoc();

  it('is generated from the presets and fresh', () => {
    const onDisk = readFileSync(PROVIDERS_DOC_PATH, 'utf8');
    if (onDisk !== renderProvidersDoc()) {
      throw new Error(
        'docs/providers.md is stale: run `UPDATE_PROVIDERS_DOC=1 npx jest test/presets/providers-doc` and commit it.',
      );
    }
  });

  it('has a section for every preset, jira as OAuth 1.0a with its three endpoints', () => {
    const doc = renderProvidersDoc();
    for (const name of Object.keys(presets)) {
      expect(doc).toContain(`### \`${name}\`: `);
    }
    expect(doc).not.toMatch(/## Coming|, coming/);
    expect(doc).toContain(
      '| [`jira`](#jira-jira-server--data-center) | Jira (Server / Data Center) | no | no | no | yes | OAuth 1.0a RSA-SHA1 signature | yes | ',
    );
    expect(doc).toContain(
      '  - request token: https://jira.example.com/plugins/servlet/oauth/request-token',
    );
    expect(doc).toContain('[OAuth 1.0a](oauth1.md)');
    expect(doc).not.toContain('PRIVATE KEY');
  });

  it('says for every preset which page it was checked against and when, or why it was not', () => {
    const doc = renderProvidersDoc();
    expect(doc).toContain(
      '| Preset | Provider | PKCE | Refresh | Revocation | Profile | Client auth | Flask-Dance | Verified against |',
    );
    for (const [name, preset] of Object.entries(presets)) {
      const row = doc
        .split('\n')
        .find((line) => line.startsWith(`| [\`${name}\`](`));
      expect(row).toBeDefined();
      const record = preset.info.verification;
      if ('page' in record) {
        expect(row).toContain(`| ${record.checkedOn}, [`);
        expect(row).toContain(`](${record.page}) |`);
        expect(doc).toContain(
          `- **Verified** on ${record.checkedOn} against ${record.page}.`,
        );
        if (record.rotating)
          expect(row).toMatch(/\| (yes|with `offline`), rotating \|/);
      } else {
        expect(row).toMatch(/\| \*\*not verified\*\*: .{10,} \|$/);
      }
    }
  });
});
