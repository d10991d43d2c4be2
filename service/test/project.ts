import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Writes a detectkit project into a fresh temp directory: `files` maps relative paths to contents. */
export function writeProject(files: Record<string, string>, name = 'test_project'): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dtk-project-'));
  const all: Record<string, string> = { 'detectkit_project.yml': `name: ${name}\ndefault_profile: local\n`, ...files };
  for (const [rel, text] of Object.entries(all)) {
    const file = path.join(root, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
  return root;
}
