import fs from 'node:fs';
import path from 'node:path';
import { apiReference } from './apiReference';
import { cliReference } from './cliReference';
import { configReference } from './configReference';
import { formatMarkdown, REPO } from './markdown';

/**
 * `npm run docs`: writes docs/reference/{configuration,cli,api}.md from the schemas, the CLI program and the API's
 * route table. Exits 1 without writing anything when a configuration key lacks a description (or a description names
 * no key), listing them. `--check` writes nothing and exits 1 when a file differs from what would be generated.
 */

export interface References {
  /** Repository-relative path → formatted Markdown. */
  files: Record<string, string>;
  problems: string[];
}

export const REFERENCE_DIR = 'docs/reference';

export async function renderReferences(): Promise<References> {
  const config = configReference();
  const cli = cliReference();
  const api = apiReference();
  const raw: Record<string, string> = {
    [`${REFERENCE_DIR}/configuration.md`]: config.markdown,
    [`${REFERENCE_DIR}/cli.md`]: cli.markdown,
    [`${REFERENCE_DIR}/api.md`]: api.markdown,
  };
  const files: Record<string, string> = {};
  for (const [rel, text] of Object.entries(raw)) {
    files[rel] = await formatMarkdown(text);
  }
  return { files, problems: config.problems };
}

/** Reference files whose content on disk differs from `files` (missing ones included). */
export function staleFiles(files: Record<string, string>): string[] {
  return Object.entries(files)
    .filter(([rel, text]) => {
      const file = path.join(REPO, rel);
      return !fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== text;
    })
    .map(([rel]) => rel);
}

async function main(): Promise<number> {
  const check = process.argv.includes('--check');
  const { files, problems } = await renderReferences();
  if (problems.length) {
    process.stderr.write(
      `docs: ${problems.length} problem${problems.length === 1 ? '' : 's'} with scripts/docs/descriptions.ts:\n` +
        problems.map((p) => `  ${p}\n`).join('') +
        'Every configuration key needs one sentence (and an example when it has no default); nothing was written.\n'
    );
    return 1;
  }
  const stale = staleFiles(files);
  if (check) {
    if (stale.length) {
      process.stderr.write(`docs: out of date: ${stale.join(', ')}; run npm run docs\n`);
      return 1;
    }
    process.stdout.write('docs: reference up to date\n');
    return 0;
  }
  for (const rel of stale) {
    const file = path.join(REPO, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, files[rel]!);
  }
  process.stdout.write(
    Object.keys(files)
      .map((rel) => `${stale.includes(rel) ? 'wrote' : 'unchanged'} ${rel}\n`)
      .join('')
  );
  return 0;
}

// Run as a program (bin/run-ts.js puts this file in argv[1]), not when a test imports it.
if (path.resolve(process.argv[1] ?? '') === __filename) {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`docs: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    }
  );
}
