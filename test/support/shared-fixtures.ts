import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, and `shared/` beside it (as laid out for developers and CI). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SHARED_DIR = process.env.VODIA_SHARED_DIR ?? resolve(REPO_ROOT, '../shared');

export interface SigningVector {
  name: string; user: string; password: string; dest: string; time: string; duration: string; hash: string; query: string;
}

/** Read, never copied: the TypeScript and the PHP must pass the same file. */
export function signingVectors(): SigningVector[] {
  const file = resolve(SHARED_DIR, 'fixtures/signing-vectors.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { vectors: SigningVector[] }).vectors;
}
