// Where a scenario failed: the file:line in the scenario (and the helper it failed in, if any) from an
// error's stack, so a failure line points at the assertion rather than at expectCode in the library.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT_URL } from '../../shared/package-root.ts';

/** tlssim's own code: frames in these folders of the checkout are the library, not the app (dist/ compiled). */
const ROOT = fileURLToPath(PACKAGE_ROOT_URL);
const LIBRARY = ['lab', 'mcu', 'modem', 'shared', 'native', 'node_modules', 'bin', 'dist'].map(
  (d) => resolve(ROOT, d) + sep,
);

/** The mcu.log line that names it: "[ERR][MCU]: failed at scenarios/x.ts:12:5". */
export const FAILED_AT = 'failed at ';

interface Frame {
  file: string;
  line: number;
  column: number;
}

/** "at fn (/path/x.ts:10:5)", "at /path/x.ts:10:5", "at async fn (file:///path/x.ts:10:5)" */
const FRAME = /\s+at (?:.*?\()?((?:file:\/\/)?[^()\s]+?):(\d+):(\d+)\)?\s*$/;

export function stackFrames(stack: string): Frame[] {
  const frames: Frame[] = [];
  for (const line of stack.split('\n')) {
    const match = FRAME.exec(line);
    if (!match) continue;
    const file = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
    if (!isAbsolute(file)) continue; // node:internal frames
    frames.push({ file, line: Number(match[2]), column: Number(match[3]) });
  }
  return frames;
}

/**
 * "scenarios/x.ts:12:5", or "scenarios/x.ts:12:5 (in scenarios/_support/h.ts:40:3)" when the app's
 * first frame is a helper; undefined when no frame is the app's (an error inside the library alone).
 */
export function failureWhere(
  stack: string | undefined,
  scenarioFile: string,
  cwd = process.cwd(),
): string | undefined {
  if (!stack) return undefined;
  const app = stackFrames(stack).filter((f) => !LIBRARY.some((dir) => f.file.startsWith(dir)));
  const scenario = app.find((f) => resolve(f.file) === resolve(scenarioFile));
  const first = app[0];
  if (!first) return undefined;
  const show = (f: Frame) => {
    const rel = relative(cwd, f.file);
    return `${rel.startsWith('..') ? f.file : rel}:${f.line}:${f.column}`;
  };
  if (!scenario) return show(first);
  return first === scenario ? show(scenario) : `${show(scenario)} (in ${show(first)})`;
}
