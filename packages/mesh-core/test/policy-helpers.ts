// Shared by the policy-pack test suites.
import assert from 'node:assert/strict';
import type { App } from 'aws-cdk-lib';

/** Synth of `app` must fail with a line `<ruleId> <path>: …` (matching `message`); returns that line and the whole report. */
export function synthFailure(app: App, ruleId: string, path: string, message?: RegExp): { line: string; text: string } {
  let text = '';
  assert.throws(
    () => app.synth(),
    (e: Error) => {
      text = e.message;
      return true;
    },
  );
  const line = text.split('\n').find((l) => l.includes(`${ruleId} ${path}: `));
  assert.ok(line, `expected a line '${ruleId} ${path}: …' in:\n${text}`);
  if (message) assert.match(line, message);
  return { line, text };
}
