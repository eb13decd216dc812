/**
 * The lifecycle on one machine, wired: the table's stream → the dispatch handler → the Step Functions
 * adapter → a local SFN endpoint → THE state machine on a time scale → the workflow-step handler.
 * The local stack (lib/local/stack.ts) runs it with the Lambdas' entry files; the lifecycle tests and
 * the bench run it with handlers built by the same factories on adapters of their own.
 */

import { createDispatchHandler, createWorkflowStepHandler, type HandlerLog } from '#adapters/lifecycle-handlers.ts';
import { SfnWorkflowStarter, sfnClient } from '#adapters/sfn-starter.ts';
import type { DirectoryStore } from '#core/ports.ts';
import type { TimerDeps } from '#core/timers.ts';
import { type SfnEndpoint, startSfnEndpoint } from './sfn-endpoint.ts';
import {
  LOCAL_SLA_STATE_MACHINE_ARN,
  LOCAL_WORKFLOW_STEP_ARN,
  LocalStepFunctions,
  type LocalStepFunctionsOptions,
  SLA_STATE_MACHINE_FILE,
} from './stepfunctions-runner.ts';
import { StreamPoller, type StreamPollerOptions } from './stream-poller.ts';

/** The workflow-step Lambda, as the state machine's Task states invoke it. */
export type WorkflowStepHandler = (payload: unknown) => Promise<unknown>;
/** The dispatch Lambda, as the table's stream feeds it. */
export type DispatchHandler = StreamPollerOptions['handler'];

/** The local SFN endpoint that the dispatch handler starts executions on. */
export interface LocalSfn {
  endpoint: string;
  stateMachineArn: string;
  /** The SLA clocks' machine on the same endpoint (statemachine/sla.asl.json). */
  slaStateMachineArn: string;
  /** The real Step Functions adapter, pointed at the endpoint. */
  starter: SfnWorkflowStarter;
}

export interface LocalLifecycleOptions {
  ddbEndpoint: string;
  tableName: string;
  /** The stream poller's region (the SDK default when absent). */
  region?: string;
  timeScale: number;
  sfnPort?: number;
  workflowStep: WorkflowStepHandler;
  /** The dispatch handler, made once the SFN endpoint is up and before the stream is read. */
  dispatch: (sfn: LocalSfn) => DispatchHandler | Promise<DispatchHandler>;
  /** The event source mapping: how often the stream is polled, where it starts (TRIM_HORIZON), its errors. */
  stream?: Pick<StreamPollerOptions, 'intervalMs' | 'startAt' | 'onError'>;
  onExecutionEvent?: LocalStepFunctionsOptions['onEvent'];
  /** The endpoint the dispatcher's client calls instead of the SFN endpoint (a fault proxy in front of it). */
  sfnVia?: (endpoint: string) => Promise<string>;
  log?: HandlerLog;
}

export interface LocalLifecycle {
  runner: LocalStepFunctions;
  sfn: SfnEndpoint;
  starter: SfnWorkflowStarter;
  poller: StreamPoller;
  /** Waits until every status change is dispatched and every execution has ended. */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * The two lifecycle handlers built by their factories (the code path of functions/dispatch.ts and
 * functions/workflow-step.ts) on the given adapters, instead of the entry files' own.
 */
export function lifecycleHandlers(
  deps: TimerDeps | (() => Promise<TimerDeps>),
  directory: Pick<DirectoryStore, 'getSettings'>,
  log?: HandlerLog,
): Pick<LocalLifecycleOptions, 'workflowStep' | 'dispatch' | 'log'> {
  return {
    workflowStep: createWorkflowStepHandler(deps, log),
    dispatch: ({ starter }) => createDispatchHandler({ directory, starter }, log),
    log,
  };
}

export async function startLocalLifecycle(opts: LocalLifecycleOptions): Promise<LocalLifecycle> {
  const runner = new LocalStepFunctions({
    functions: { [LOCAL_WORKFLOW_STEP_ARN]: opts.workflowStep },
    timeScale: opts.timeScale,
    ...(opts.onExecutionEvent ? { onEvent: opts.onExecutionEvent } : {}),
  });
  // The SLA clocks' machine, on the same endpoint and the same step handler (as in the stack).
  const slaRunner = new LocalStepFunctions({
    definition: SLA_STATE_MACHINE_FILE,
    stateMachineArn: LOCAL_SLA_STATE_MACHINE_ARN,
    functions: { [LOCAL_WORKFLOW_STEP_ARN]: opts.workflowStep },
    timeScale: opts.timeScale,
    ...(opts.onExecutionEvent ? { onEvent: opts.onExecutionEvent } : {}),
  });
  let sfn: SfnEndpoint | undefined;
  let client: ReturnType<typeof sfnClient> | undefined;
  try {
    sfn = await startSfnEndpoint(runner, opts.sfnPort, [slaRunner]);
    const via = opts.sfnVia ? await opts.sfnVia(sfn.endpoint) : sfn.endpoint;
    client = sfnClient({ region: 'local', endpoints: { sfn: via } });
    const starter = new SfnWorkflowStarter(client, runner.stateMachineArn, opts.log);
    const dispatch = await opts.dispatch({
      endpoint: sfn.endpoint,
      stateMachineArn: runner.stateMachineArn,
      slaStateMachineArn: slaRunner.stateMachineArn,
      starter,
    });
    const poller = new StreamPoller({
      endpoint: opts.ddbEndpoint,
      tableName: opts.tableName,
      ...(opts.region ? { region: opts.region } : {}),
      handler: dispatch,
      ...opts.stream,
    });
    await poller.start();
    const endpoint = sfn;
    const sdk = client;
    return {
      runner,
      sfn: endpoint,
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
        slaRunner.close();
        await poller.stop();
        await endpoint.close();
        sdk.destroy();
      },
    };
  } catch (e) {
    runner.close();
    slaRunner.close();
    await sfn?.close();
    client?.destroy();
    throw e;
  }
}
