import { readFileSync } from 'node:fs';
// @ts-expect-error asl-validator ships no type declarations
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { loadDefinition } from '#lib/local/stepfunctions-runner.ts';
import { repoPath } from '#lib/paths.ts';

const FILE = repoPath('statemachine', 'sla.asl.json');
const raw = JSON.parse(readFileSync(FILE, 'utf8'));

describe('statemachine/sla.asl.json', () => {
  it('is valid ASL, with ARNs and paths checked, once its substitution is made', () => {
    const def = loadDefinition(FILE, {
      WorkflowStepFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:gochat-workflow-step',
    });
    expect(aslValidator(def as never, { checkArn: true, checkPaths: true })).toMatchObject({
      isValid: true,
      errors: [],
    });
  });

  it('pins the states: wait until the warning, warn (input kept), wait until due, breach', () => {
    expect(raw.StartAt).toBe('WaitUntilWarning');
    expect(Object.keys(raw.States)).toEqual(['WaitUntilWarning', 'Warn', 'WaitUntilDue', 'Breach']);
    expect(raw.States.WaitUntilWarning).toEqual({ Type: 'Wait', TimestampPath: '$.warnAt', Next: 'Warn' });
    expect(raw.States.WaitUntilDue).toEqual({ Type: 'Wait', TimestampPath: '$.dueAt', Next: 'Breach' });
    // The warning's result is dropped, so the second Wait reads the execution input unchanged.
    expect(raw.States.Warn).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      Parameters: { Payload: { action: 'slaStep', phase: 'warning', 'input.$': '$' } },
      ResultPath: null,
      Next: 'WaitUntilDue',
    });
    expect(raw.States.Breach).toMatchObject({
      Parameters: { Payload: { action: 'slaStep', phase: 'breach', 'input.$': '$' } },
      OutputPath: '$.Payload',
      End: true,
    });
  });
});
