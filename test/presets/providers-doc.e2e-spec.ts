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

  it('has a section for every preset and lists jira as coming', () => {
    const doc = renderProvidersDoc();
    for (const name of Object.keys(presets)) {
      expect(doc).toContain(`### \`${name}\`: `);
    }
    expect(doc).toMatch(/`jira`.*OAuth 1\.0a.*coming/);
  });
});
