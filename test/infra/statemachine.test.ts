import { readFileSync } from 'node:fs';
// @ts-expect-error asl-validator ships no type declarations
import aslValidator from 'asl-validator';
import { describe, expect, it } from 'vitest';
import { loadDefinition, STATE_MACHINE_FILE } from '#lib/local/stepfunctions-runner.ts';

const raw = JSON.parse(readFileSync(STATE_MACHINE_FILE, 'utf8'));

describe('statemachine/lifecycle.asl.json', () => {
  it('is valid ASL, with ARNs and paths checked, once its substitution is made', () => {
    const def = loadDefinition(undefined, {
      WorkflowStepFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:gochat-workflow-step',
    });
    expect(aslValidator(def as never, { checkArn: true, checkPaths: true })).toMatchObject({
      isValid: true,
      errors: [],
    });
  });

  it('pins the states: a Wait on $.delaySeconds, then one lambda:invoke Task that ends the execution', () => {
    expect(raw.StartAt).toBe('WaitForDelay');
    expect(Object.keys(raw.States)).toEqual(['WaitForDelay', 'RunWorkflowStep']);
    expect(raw.States.WaitForDelay).toEqual({ Type: 'Wait', SecondsPath: '$.delaySeconds', Next: 'RunWorkflowStep' });
    const task = raw.States.RunWorkflowStep;
    expect(task).toMatchObject({
      Type: 'Task',
      Resource: 'arn:aws:states:::lambda:invoke',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: the DefinitionSubstitutions placeholder, literally
      Parameters: { FunctionName: '${WorkflowStepFunctionArn}', 'Payload.$': '$' },
      OutputPath: '$.Payload',
      End: true,
    });
    expect(task.Retry[0].ErrorEquals).toEqual([
      'Lambda.ServiceException',
      'Lambda.AWSLambdaException',
      'Lambda.SdkClientException',
      'Lambda.TooManyRequestsException',
    ]);
  });

  it('is JSONPath only: no JSONata (the local runner would silently ignore it)', () => {
    const text = JSON.stringify(raw);
    expect(raw.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(text).not.toMatch(/\{%|"Arguments"|"Output"|"Assign"/);
  });
});
