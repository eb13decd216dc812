/**
 * WorkflowStarter on Step Functions (Standard). The execution name is the idempotency key: starting a
 * name that exists is a no-op (the same input while it runs is already a success in AWS; a different
 * input, or a finished execution, gives ExecutionAlreadyExists, which means the work was started before).
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand, StopExecutionCommand } from '@aws-sdk/client-sfn';
import type { WorkflowStarter } from '#core/ports.ts';
import { type ClientOptions, localCredentials, MAX_ATTEMPTS } from './aws-clients.ts';
import { recordSdkCalls } from './sdk-call-recorder.ts';

export const sfnClient = (opts: ClientOptions) =>
  recordSdkCalls(
    new SFNClient({
      region: opts.region,
      ...(opts.endpoints?.sfn ? { endpoint: opts.endpoints.sfn } : {}),
      ...localCredentials(opts.endpoints?.sfn),
      maxAttempts: MAX_ATTEMPTS.sfn,
    }),
  );

/** `arn:aws:states:r:a:stateMachine:M` + name → `arn:aws:states:r:a:execution:M:name`. */
export function executionArn(stateMachineArn: string, name: string): string {
  const parts = stateMachineArn.split(':');
  if (parts.length < 7 || parts[5] !== 'stateMachine') throw new Error(`not a state machine ARN: ${stateMachineArn}`);
  return [...parts.slice(0, 5), 'execution', parts[6], name].join(':');
}

export class SfnWorkflowStarter implements WorkflowStarter {
  constructor(
    private readonly sfn: SFNClient,
    private readonly stateMachineArn: string,
    private readonly log?: { warn(message: string, extra?: Record<string, unknown>): void },
  ) {}

  async start(name: string, input: unknown): Promise<void> {
    try {
      await this.sfn.send(
        new StartExecutionCommand({ stateMachineArn: this.stateMachineArn, name, input: JSON.stringify(input) }),
      );
    } catch (e) {
      if (e instanceof ExecutionAlreadyExists || (e as Error).name === 'ExecutionAlreadyExists') return;
      throw e;
    }
  }

  /** Best effort: a stale execution that is not stopped still ends quietly at its version check. */
  async stop(name: string): Promise<void> {
    try {
      await this.sfn.send(
        new StopExecutionCommand({
          executionArn: executionArn(this.stateMachineArn, name),
          cause: 'superseded by a newer status change',
        }),
      );
    } catch (e) {
      this.log?.warn('stop execution failed', { name, error: (e as Error).name });
    }
  }
}
