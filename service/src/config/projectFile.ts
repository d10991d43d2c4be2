import fs from 'node:fs';
import path from 'node:path';
import { projectConfigSchema, type ProjectConfig } from '../../../common/config';
import { interpolateYaml, withoutShadowed } from './env';
import type { ConfigIssue } from './issues';
import { PROJECT_FILE } from './discover';
import { validateValue } from './schema';
import { readYaml } from './yamlFile';

export function loadProjectFile(
  root: string,
  opts: { strict?: boolean; env?: NodeJS.ProcessEnv } = {}
): { config?: ProjectConfig; issues: ConfigIssue[] } {
  const file = path.join(root, PROJECT_FILE);
  if (!fs.existsSync(file)) {
    return {
      issues: [
        {
          file,
          message: `Project config file not found: ${file}; run 'dtk init <name>' or create it with at least \`name:\``,
          severity: 'error',
        },
      ],
    };
  }
  const { yaml, issues } = readYaml(file);
  if (!yaml || issues.some((i) => i.severity === 'error')) {
    return { issues };
  }
  if (yaml.doc.contents === null) {
    issues.push({ file, line: 1, column: 1, message: `Empty project config file: ${file}`, severity: 'error' });
    return { issues };
  }
  const unset = interpolateYaml(yaml, opts.env ?? process.env);
  issues.push(...unset.map((u) => u.issue));
  const v = validateValue(yaml, yaml.doc.toJS(), projectConfigSchema, { strict: opts.strict });
  issues.push(...withoutShadowed(v.issues, unset));
  return { config: issues.some((i) => i.severity === 'error') ? undefined : v.data, issues };
}
