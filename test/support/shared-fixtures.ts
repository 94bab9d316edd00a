import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface SigningVector {
  name: string; user: string; password: string; dest: string; time: string; duration: string; hash: string; query: string;
}

/** The repository's copy of the signing vectors: the TypeScript and the PHP tests both read this one file. */
export function signingVectors(): SigningVector[] {
  const file = resolve(REPO_ROOT, 'test/fixtures/signing-vectors.json');
  return (JSON.parse(readFileSync(file, 'utf8')) as { vectors: SigningVector[] }).vectors;
}
