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
      '| [`jira`](#jira-jira-server--data-center) | Jira (Server / Data Center) | no | no | no | yes | OAuth 1.0a RSA-SHA1 signature | yes |',
    );
    expect(doc).toContain(
      '  - request token: https://jira.example.com/plugins/servlet/oauth/request-token',
    );
    expect(doc).toContain('[OAuth 1.0a](oauth1.md)');
    expect(doc).not.toContain('PRIVATE KEY');
  });
});
