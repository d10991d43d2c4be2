import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, formatIssue, type ConfigIssue } from './issues';

/** Test helper: a project in a temporary directory from `relative path → content`. */
export function makeProject(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-config-'));
  const all: Record<string, string> = {
    'detectkit_project.yml': 'name: test_project\ndefault_profile: dev\n',
    ...files,
  };
  for (const [rel, text] of Object.entries(all)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}

export const FIXTURES = path.join(__dirname, 'fixtures');

/** Runs `fn` and returns the ConfigError it throws. */
export function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) {
      return e;
    }
    throw e;
  }
  throw new Error('expected a ConfigError');
}

/** Issues as `<relative file>:<line>:<col>: <path>: <message>` lines. */
export function lines(root: string, issues: ConfigIssue[]): string[] {
  return issues.map((i) => formatIssue({ ...i, file: path.relative(root, i.file) }));
}

export const METRIC = `name: cpu
interval: 10min
query: SELECT 1
`;
