import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const DOC = join(ROOT, 'docs/security.md');

/** The ```ts blocks of a Markdown file, in order. */
function typescriptBlocks(markdown: string): string[] {
  return [...markdown.matchAll(/^( *)```ts\n([\s\S]*?)^\1```/gm)].map(
    ([, indent, body]) =>
      body
        .split('\n')
        .map((line) => line.slice(indent.length))
        .join('\n'),
  );
}

/**
 * docs/security.md is part of the security checklist: every TypeScript snippet in it compiles
 * against the library as it is (each snippet a module of its own, with the repo's compiler
 * options and path aliases), so the documented API cannot drift from the real one.
 */
describe('docs/security.md', () => {
  it('has TypeScript snippets, and every one type-checks', () => {
    const snippets = typescriptBlocks(readFileSync(DOC, 'utf8'));
    expect(snippets.length).toBeGreaterThanOrEqual(5);

    const config = ts.getParsedCommandLineOfConfigFile(
      join(ROOT, 'tsconfig.json'),
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
          throw new Error(
            ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'),
          );
        },
      },
    )!;
    // Virtual files beside this suite: module resolution finds the repo's node_modules and aliases.
    const files = new Map(
      snippets.map((code, i) => [
        join(__dirname, '__security_docs__', `snippet-${i + 1}.ts`),
        code,
      ]),
    );
    const options: ts.CompilerOptions = {
      ...config.options,
      noEmit: true,
      incremental: false,
    };
    const host = ts.createCompilerHost(options);
    const getSourceFile = host.getSourceFile.bind(host);
    host.getSourceFile = (fileName, languageVersion, ...rest) => {
      const code = files.get(resolve(fileName));
      return code === undefined
        ? getSourceFile(fileName, languageVersion, ...rest)
        : ts.createSourceFile(fileName, code, languageVersion, true);
    };
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (fileName) =>
      files.has(resolve(fileName)) || fileExists(fileName);
    const readFile = host.readFile.bind(host);
    host.readFile = (fileName) =>
      files.get(resolve(fileName)) ?? readFile(fileName);

    const program = ts.createProgram([...files.keys()], options, host);
    const problems = ts
      .getPreEmitDiagnostics(program)
      .filter((d) => d.file && files.has(resolve(d.file.fileName)))
      .map((d) => {
        const { line } = d.file!.getLineAndCharacterOfPosition(d.start ?? 0);
        const name = d.file!.fileName.slice(
          dirname(d.file!.fileName).length + 1,
        );
        return `${name}:${line + 1}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
      });
    expect(problems).toEqual([]);
  });
});

/** The rows of the threat table: its lines that start with `|`, past the header. */
function threatRows(markdown: string): string[] {
  const start = markdown.indexOf('| threat | defence | test |');
  const end = markdown.indexOf('\n\n', start);
  return markdown
    .slice(start, end)
    .split('\n')
    .slice(2)
    .filter((line) => line.startsWith('|'));
}

/**
 * Also (issue 13): the threat table of docs/security.md names, for every threat, the suite that
 * fails when the defence is missing. Every suite it names exists, and every item of the second
 * review has a row.
 */
describe('docs/security.md threat table', () => {
  const rows = threatRows(readFileSync(DOC, 'utf8'));

  it('names only suites that exist', () => {
    const named = rows.flatMap((row) =>
      [...row.matchAll(/`((?:test\/[\w/.-]+\/)?[\w.-]+\.e2e-spec\.ts)`/g)].map(
        ([, file]) => file,
      ),
    );
    expect(named.length).toBeGreaterThanOrEqual(25);
    const missing = named.filter(
      (file) =>
        !existsSync(
          file.startsWith('test/')
            ? join(ROOT, file)
            : join(ROOT, 'test/adversarial', file),
        ),
    );
    expect(missing).toEqual([]);
  });

  it('has a row for each of the fifteen items of issue 13', () => {
    for (let item = 1; item <= 15; item++) {
      expect([
        item,
        rows.some((row) => row.startsWith(`| issue 13 #${item}:`)),
      ]).toEqual([item, true]);
    }
  });
});
