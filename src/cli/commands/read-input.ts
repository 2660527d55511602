import { readFileSync } from 'node:fs';

/** A command's input file as text; an unreadable file is an Error naming the file and the system's code (never its content). */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : 'read error';
    throw new Error(`${file}: cannot read the file (${code})`);
  }
}
