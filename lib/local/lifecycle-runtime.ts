/**
 * The lifecycle on one machine, wired: the table's stream → the dispatch handler → the Step Functions
 * adapter → a local SFN endpoint → THE state machine on a time scale → the workflow-step handler.
 * `bin/local.ts` starts this; the bench and tests use the same pieces.
 */
import { sfnClient } from '../../functions/adapters/aws-clients.ts';
import {
  createDispatchHandler,
  createWorkflowStepHandler,
  type HandlerLog,
} from '../../functions/adapters/lifecycle-handlers.ts';
import { SfnWorkflowStarter } from '../../functions/adapters/sfn-starter.ts';
import type { DirectoryStore } from '../../functions/core/ports.ts';
import type { TimerDeps } from '../../functions/core/timers.ts';
import { type SfnEndpoint, startSfnEndpoint } from './sfn-endpoint.ts';
import { LOCAL_WORKFLOW_STEP_ARN, LocalStepFunctions } from './stepfunctions-runner.ts';
import { StreamPoller } from './stream-poller.ts';

export interface LocalLifecycle {
  runner: LocalStepFunctions;
  sfn: SfnEndpoint;
  starter: SfnWorkflowStarter;
  poller: StreamPoller;
  /** Waits until every status change is dispatched and every execution has ended. */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalLifecycle(opts: {
  ddbEndpoint: string;
  tableName: string;
  /** The workflow step's dependencies (the same adapters as in AWS, on local endpoints). */
  deps: TimerDeps | (() => Promise<TimerDeps>);
  directory: Pick<DirectoryStore, 'getSettings'>;
  timeScale: number;
  sfnPort?: number;
  log?: HandlerLog;
  /** The workflow-step handler to run; defaults to one built from `deps` (the Lambda's own code path). */
  workflowStep?: (payload: unknown) => Promise<unknown>;
}): Promise<LocalLifecycle> {
  const runner = new LocalStepFunctions({
    functions: { [LOCAL_WORKFLOW_STEP_ARN]: opts.workflowStep ?? createWorkflowStepHandler(opts.deps, opts.log) },
    timeScale: opts.timeScale,
  });
  const sfn = await startSfnEndpoint(runner, opts.sfnPort);
  const client = sfnClient({ region: 'local', endpoints: { sfn: sfn.endpoint } });
  const starter = new SfnWorkflowStarter(client, runner.stateMachineArn, opts.log);
  const poller = new StreamPoller({
    endpoint: opts.ddbEndpoint,
    tableName: opts.tableName,
    handler: createDispatchHandler({ directory: opts.directory, starter }, opts.log),
    intervalMs: 50,
    startAt: 'LATEST',
    onError: (e) => opts.log?.warn('stream poller', { error: String(e) }),
  });
  await poller.start();
  return {
    runner,
    sfn,
    starter,
    poller,
    async settle(timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        await poller.drain(timeoutMs);
        await runner.idle(Math.max(1, deadline - Date.now()));
        await poller.drain(timeoutMs);
        if (runner.running().length === 0) return;
        if (Date.now() > deadline) throw new Error('lifecycle did not settle');
      }
    },
    async close() {
      runner.close();
      await poller.stop();
      await sfn.close();
      client.destroy();
    },
  };
}
